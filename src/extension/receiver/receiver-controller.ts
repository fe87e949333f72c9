// Runs the OTLP/HTTP receiver inside the extension host: spans it receives go straight into the
// store (and from there, through the store's change event, into the Traces view). Owns the
// receiver's context key, status-bar item and start/stop commands.
import * as vscode from 'vscode';
import { describeLogsOutcome } from '../../core/otlp/otlp-response';
import { startOtlpReceiver, type OtlpLogLevel } from '../../core/otlp/receiver';
import { CommandId, ContextKey } from '../common/command-ids';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { getSetting, settingId } from '../common/settings';
import { ReceiverStatusBar } from './status-bar';
import type { StoreHost } from '../store/store-host';
import { fixFor, startReceiverFix, type Notifications } from '../common/notifications';

export interface ReceiverInfo {
  url: string;
  /** What an app's OTLP HTTP exporter should send traces to (`url` + `/v1/traces`). */
  endpoint: string;
  /** Where GenAI log events (message content) go (`url` + `/v1/logs`). */
  logsEndpoint: string;
  port: number;
}

type RunningReceiver = ReceiverInfo & { close(): Promise<void> };

export class ReceiverController extends Disposable {
  private running: RunningReceiver | undefined;
  /** Serializes start/stop so a double click cannot start two receivers. */
  private transition: Promise<unknown> = Promise.resolve();
  private readonly statusBar = this.register(new ReceiverStatusBar());
  private readonly stateChanged = this.register(new vscode.EventEmitter<ReceiverInfo | undefined>());
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly stores: StoreHost,
    private readonly log: Log,
    private readonly notifications: Notifications,
  ) {
    super();
    this.register(toDisposable(() => void this.stopNow()));
    void setRunningContext(false);
  }

  info(): ReceiverInfo | undefined {
    return (
      this.running && {
        url: this.running.url,
        endpoint: this.running.endpoint,
        logsEndpoint: this.running.logsEndpoint,
        port: this.running.port,
      }
    );
  }

  statusBarText(): string | undefined {
    return this.statusBar.text();
  }

  /** Starts the receiver (or returns the running one). Failures are shown and logged; resolves undefined. */
  start(options: { interactive: boolean }): Promise<ReceiverInfo | undefined> {
    return this.serialize(() => this.startNow(options.interactive));
  }

  /** Stops the receiver; resolves true when one was running. */
  stop(): Promise<boolean> {
    return this.serialize(() => this.stopNow());
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.transition.then(work, work);
    this.transition = next.catch(() => undefined);
    return next;
  }

  private async startNow(interactive: boolean): Promise<ReceiverInfo | undefined> {
    if (this.running) {
      if (interactive) this.announce(this.running);
      return this.info();
    }
    const port = getSetting('receiver.port');
    const maxBodyBytes = Math.max(1, getSetting('receiver.maxBodyMB')) * 1024 * 1024;
    try {
      const receiver = await startOtlpReceiver({
        port,
        maxBodyBytes,
        onSpans: async (spans) => {
          const store = await this.stores.get();
          await store.ingest(spans);
        },
        // GenAI log events (message content) join their spans; the counts go to the output log.
        onLogRecords: async (records) => {
          const result = await (await this.stores.get()).ingestLogs(records);
          this.log.info(`OTLP logs: ${records.length} record(s): ${describeLogsOutcome(result) || 'nothing to join'}`);
          return result;
        },
        onLog: (level, message) => this.logReceiver(level, message),
      });
      if (this.isDisposed) {
        await receiver.close();
        return undefined;
      }
      this.running = receiver;
      this.statusBar.showRunning(receiver.port, receiver.endpoint);
      await setRunningContext(true);
      this.stateChanged.fire(this.info());
      if (interactive) this.announce(receiver);
      return this.info();
    } catch (err) {
      // The port setting is the fix of every start failure (in use, not allowed).
      void this.notifications.reportError(
        err,
        `start the OTLP receiver on port ${port}`,
        fixFor({ kind: 'open-settings', setting: settingId('receiver.port') }),
      );
      return undefined;
    }
  }

  private async stopNow(): Promise<boolean> {
    const receiver = this.running;
    if (!receiver) return false;
    this.running = undefined;
    this.statusBar.hide();
    try {
      await receiver.close();
      this.log.info('OTLP receiver stopped');
    } catch (err) {
      this.log.error('stopping the OTLP receiver failed', err);
    }
    if (!this.isDisposed) {
      await setRunningContext(false);
      this.stateChanged.fire(undefined);
    }
    return true;
  }

  private announce(receiver: ReceiverInfo): void {
    // Not awaited: the command must not wait until the user closes the message.
    void this.notifications.info(
      `Trace Replay is receiving OTLP traces and GenAI log events at ${receiver.url}. Point your app's OTLP HTTP exporter there (OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url}; traces go to ${receiver.endpoint}).`,
      { title: 'Copy Endpoint', run: () => this.copyEndpoint() },
    );
  }

  /** Copies `text` (an endpoint row of the Traces view), else the traces endpoint; resolves with
   *  what was copied, undefined (and a message with the fix) when the receiver is not running. */
  async copyEndpoint(text?: string): Promise<string | undefined> {
    const receiver = this.info();
    if (!receiver) {
      void this.notifications.info(
        'The OTLP receiver is not running, so there is no endpoint to copy; start it first.',
        startReceiverFix(),
      );
      return undefined;
    }
    const copied = text ?? receiver.endpoint;
    await vscode.env.clipboard.writeText(copied);
    void vscode.window.setStatusBarMessage(`Copied ${copied}`, 3000);
    return copied;
  }

  private logReceiver(level: OtlpLogLevel, message: string): void {
    if (level === 'error') this.log.error(message);
    else if (level === 'warn') this.log.warn(message);
    else this.log.info(message);
  }
}

/** One sentence saying what to do, chosen by the error's code (never by its message text). */
function setRunningContext(running: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', ContextKey.ReceiverRunning, running);
}

function copyText(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const copy = typeof arg === 'object' && arg !== null ? (arg as { copy?: unknown }).copy : undefined;
  return typeof copy === 'string' ? copy : undefined;
}

export function registerReceiverCommands(controller: ReceiverController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CommandId.StartReceiver, () => controller.start({ interactive: true })),
    vscode.commands.registerCommand(CommandId.StopReceiver, async () => {
      const wasRunning = await controller.stop();
      if (wasRunning) void vscode.window.setStatusBarMessage('Trace Replay: OTLP receiver stopped', 3000);
      return wasRunning;
    }),
    // Args: none (the traces endpoint), a text, or an endpoint row of the Traces view (its copy button).
    vscode.commands.registerCommand(CommandId.CopyReceiverEndpoint, (arg?: unknown) =>
      controller.copyEndpoint(copyText(arg)),
    ),
  ];
}
