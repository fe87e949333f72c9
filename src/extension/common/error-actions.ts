// Toasts that carry their fix: every error (or warning) of the replay flows names the cause in one
// sentence and offers the action that fixes it as its button ("Set API Key...", "Choose Model...",
// "Start Receiver"), as the GitHub extension offers "Sign in"; "Open Output" only comes second, or
// alone when there is no better fix. Tests watch what was shown and answer it (onDidShow, preset).
import * as vscode from 'vscode';
import { CommandId } from './command-ids';
import { Disposable } from './lifecycle';
import type { Log } from './log';

export type ToastSeverity = 'error' | 'warning' | 'info';

/** A button and what it does when clicked. */
export interface Fix {
  title: string;
  run(): unknown;
}

/** What a toast showed (for tests; no key values ever go into a message). */
export interface ShownToast {
  severity: ToastSeverity;
  message: string;
  buttons: string[];
}

/** Answers a toast instead of a person (tests): the button title to click, or undefined to dismiss. */
export type ToastAnswer = (toast: ShownToast) => string | undefined | Promise<string | undefined>;

export const SET_API_KEY_BUTTON = 'Set API Key...';
export const CHOOSE_MODEL_BUTTON = 'Choose Model...';
export const START_RECEIVER_BUTTON = 'Start Receiver';
export const IMPORT_TRACES_BUTTON = 'Import Traces...';
export const OPEN_OUTPUT_BUTTON = 'Open Output';

export function openOutputFix(log: Log): Fix {
  return { title: OPEN_OUTPUT_BUTTON, run: () => log.show() };
}

export function startReceiverFix(): Fix {
  return { title: START_RECEIVER_BUTTON, run: () => vscode.commands.executeCommand(CommandId.StartReceiver) };
}

export function importTracesFix(): Fix {
  return { title: IMPORT_TRACES_BUTTON, run: () => vscode.commands.executeCommand(CommandId.ImportTraces) };
}

export class Toasts extends Disposable {
  private readonly shown = this.register(new vscode.EventEmitter<ShownToast>());
  /** Fires when a toast is shown (before anyone answers it). */
  readonly onDidShow = this.shown.event;
  private answer: ToastAnswer | undefined;

  /** Tests: answer every toast with this (undefined: a person answers). */
  preset(answer: ToastAnswer | undefined): void {
    this.answer = answer;
  }

  /** Shows the toast and runs the fix that was clicked; resolves when that fix is done (or at once
   *  when the toast is dismissed). Never throws: a failing fix is logged by its own command. */
  async show(severity: ToastSeverity, message: string, ...fixes: Fix[]): Promise<void> {
    const toast: ShownToast = { severity, message, buttons: fixes.map((f) => f.title) };
    this.shown.fire(toast);
    const titles = toast.buttons;
    const clicked = this.answer
      ? await this.answer(toast)
      : await (severity === 'error'
          ? vscode.window.showErrorMessage(message, ...titles)
          : severity === 'warning'
            ? vscode.window.showWarningMessage(message, ...titles)
            : vscode.window.showInformationMessage(message, ...titles));
    const fix = fixes.find((f) => f.title === clicked);
    if (fix) await fix.run();
  }

  error(message: string, ...fixes: Fix[]): Promise<void> {
    return this.show('error', message, ...fixes);
  }

  warning(message: string, ...fixes: Fix[]): Promise<void> {
    return this.show('warning', message, ...fixes);
  }

  info(message: string, ...fixes: Fix[]): Promise<void> {
    return this.show('info', message, ...fixes);
  }
}

/** The fix of a replay that failed on its setup (a job queued before a key was removed, a resumed
 *  one): "Set API Key..." (then the job runs again) or "Choose Model..."; undefined for the rest. */
export function failedJobFix(job: { id: string; traceId: string; errorCode?: string }): Fix | undefined {
  switch (job.errorCode) {
    case 'MISSING_API_KEY':
      return {
        title: SET_API_KEY_BUTTON,
        run: async () => {
          if (await vscode.commands.executeCommand<boolean>(CommandId.SetApiKey))
            await vscode.commands.executeCommand(CommandId.RerunReplay, job.id);
        },
      };
    case 'UNKNOWN_MODEL':
    case 'UNKNOWN_PROVIDER':
      return {
        title: CHOOSE_MODEL_BUTTON,
        run: () => vscode.commands.executeCommand(CommandId.ReplayTrace, job.traceId),
      };
    default:
      return undefined;
  }
}
