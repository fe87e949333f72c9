// The one notifications reporter of the extension: every toast (error, warning, info) is shown
// here, and this is the only file that calls vscode.window.show{Error,Warning,Information}Message
// (an ESLint rule keeps it so). A toast carries its fix as its button ("Set API Key...", "Choose
// Model...", "Connect Langfuse...": one label per action, next-actions.ts), as the GitHub extension
// offers "Sign in". reportError(err, doing) writes the one sentence "Trace Replay could not <doing>:
// <message>" for every error, turns a UserError's `next` into its button, logs the error, and always
// offers "Open Output" last; anything thrown that is not a UserError is a bug and is reported as
// unexpected, with its stack in the log; a cancelled error shows nothing. Messages carry no
// "Trace Replay:" label (VS Code shows the extension's name on the toast). Tests watch what was
// shown and answer it (onDidShow, preset).
import * as vscode from 'vscode';
import { redactedMessage } from '../../core/util/redact-secrets';
import { isUserError, type NextAction } from '../../core/util/user-error';
import { CommandId } from './command-ids';
import { Disposable } from './lifecycle';
import type { Log } from './log';
import {
  nextActionCommand,
  nextActionOfFailedJob,
  OPEN_OUTPUT_BUTTON,
  START_RECEIVER_BUTTON,
  IMPORT_TRACES_BUTTON,
  type FixTarget,
} from './next-actions';

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

/** Where a fix applies, and what runs once it did its job. */
export interface FixContext extends FixTarget {
  /** Runs after the fix's command reported success (a key was stored): e.g. run the failed job again. */
  then?(): unknown;
}

/** The button of a NextAction: its label and command from the one table (next-actions.ts). */
export function fixFor(next: NextAction, context: FixContext = {}): Fix {
  const { title, command, args } = nextActionCommand(next, context);
  return {
    title,
    run: async () => {
      const done = await vscode.commands.executeCommand<unknown>(command, ...args);
      if (done === true) await context.then?.();
    },
  };
}

export function openOutputFix(log: Log): Fix {
  return { title: OPEN_OUTPUT_BUTTON, run: () => log.show() };
}

export function startReceiverFix(): Fix {
  return { title: START_RECEIVER_BUTTON, run: () => vscode.commands.executeCommand(CommandId.StartReceiver) };
}

export function importTracesFix(): Fix {
  return { title: IMPORT_TRACES_BUTTON, run: () => vscode.commands.executeCommand(CommandId.ImportTraces) };
}

/** The fix of a replay that failed on its setup (a job queued before a key was removed, a resumed
 *  one): "Set API Key..." (then the job runs again) or "Choose Model..." (for its trace); undefined
 *  for the rest. The stored code is looked up as a NextAction, then made a button like any other. */
export function failedJobFix(job: {
  id: string;
  traceId: string;
  errorCode?: string;
  overrides?: { model?: string };
}): Fix | undefined {
  const next = nextActionOfFailedJob(job);
  return next
    ? fixFor(next, {
        traceIds: [job.traceId],
        then: () => vscode.commands.executeCommand(CommandId.RerunReplay, job.id),
      })
    : undefined;
}

export class Notifications extends Disposable {
  private readonly shown = this.register(new vscode.EventEmitter<ShownToast>());
  /** Fires when a toast is shown (before anyone answers it). */
  readonly onDidShow = this.shown.event;
  private answer: ToastAnswer | undefined;

  /** `log`: where reportError writes, and what "Open Output" shows. */
  constructor(private readonly log: Log) {
    super();
  }

  /** Tests: answer every toast with this (undefined: a person answers). */
  preset(answer: ToastAnswer | undefined): void {
    this.answer = answer;
  }

  /** Shows the toast and runs the fix that was clicked; resolves when that fix is done (or at once
   *  when the toast is dismissed). Never rejects: a fix that fails is logged here. Buttons with the
   *  same label are shown once (the first one runs). */
  async show(severity: ToastSeverity, message: string, ...fixes: Fix[]): Promise<void> {
    const unique = fixes.filter((f, i) => fixes.findIndex((g) => g.title === f.title) === i);
    const toast: ShownToast = { severity, message, buttons: unique.map((f) => f.title) };
    try {
      this.shown.fire(toast);
      const titles = toast.buttons;
      const clicked = this.answer
        ? await this.answer(toast)
        : await (severity === 'error'
            ? vscode.window.showErrorMessage(message, ...titles)
            : severity === 'warning'
              ? vscode.window.showWarningMessage(message, ...titles)
              : vscode.window.showInformationMessage(message, ...titles));
      const fix = unique.find((f) => f.title === clicked);
      if (fix) await fix.run();
    } catch (err) {
      this.log.error(`the "${message}" notification or its button failed`, err);
    }
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

  /** Reports what went wrong while doing `doing` ("open the comparison"): one sentence, the error's
   *  fix (its `next`) first, `extraFixes` next, "Open Output" last. Not awaited by callers that
   *  must not wait for the toast to close. */
  reportError(err: unknown, doing: string, ...extraFixes: Fix[]): Promise<void> {
    if (isUserError(err)) {
      if (err.kind === 'cancelled') {
        this.log.info(`${doing}: cancelled (${redactedMessage(err)})`);
        return Promise.resolve();
      }
      this.log.warn(`could not ${doing}: [${err.code}] ${redactedMessage(err)}`);
      const fixes = err.next ? [fixFor(err.next), ...extraFixes] : extraFixes;
      return this.error(errorSentence(err, doing), ...fixes, openOutputFix(this.log));
    }
    this.log.error(`unexpected error while trying to ${doing}`, err);
    return this.error(errorSentence(err, doing), openOutputFix(this.log));
  }
}

/** The sentence reportError shows: "Trace Replay could not <doing>: <message>"; an error that is not
 *  a UserError (a bug) says it was unexpected. */
export function errorSentence(err: unknown, doing: string): string {
  const message = redactedMessage(err);
  return isUserError(err)
    ? `Trace Replay could not ${doing}: ${message}`
    : `Trace Replay could not ${doing} because of an unexpected error: ${message}`;
}
