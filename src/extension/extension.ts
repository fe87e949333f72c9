// Entry point: build the services, register the contributions, hand every Disposable to VS Code.
// Each feature registers inside `contain`, so one that throws is logged and the others still work.
import * as vscode from 'vscode';
import type { TraceStore } from '../core/store/trace-store';
import { CommandId } from './command-ids';
import { registerImportCommand } from './import-command';
import { Log } from './log';
import { ReceiverController, registerReceiverCommands, type ReceiverInfo } from './receiver-controller';
import { getSetting } from './settings';
import { StoreHost } from './store-host';
import { TracesTreeProvider } from './traces-tree';
import { registerTracesView } from './traces-view';

/** Returned by activate(); used by the integration tests (and, later, by companion extensions). */
export interface TraceReplayApi {
  /** The open store (opened on first call). */
  store(): Promise<TraceStore>;
  storeDir(): string;
  receiver(): ReceiverInfo | undefined;
  receiverStatusText(): string | undefined;
  readonly tracesTree: TracesTreeProvider;
}

export function activate(context: vscode.ExtensionContext): TraceReplayApi {
  const { log, channel } = Log.create();
  context.subscriptions.push(channel);
  const contain = (feature: string, register: () => vscode.Disposable | vscode.Disposable[]): void => {
    try {
      const d = register();
      context.subscriptions.push(...(Array.isArray(d) ? d : [d]));
    } catch (err) {
      log.error(`${feature} failed to start; the rest of Trace Replay still works`, err);
    }
  };

  const stores = new StoreHost(context.globalStorageUri, log.for('store'));
  const tree = new TracesTreeProvider(stores, log.for('tree'));
  const receiver = new ReceiverController(stores, log.for('receiver'));
  // Pushed in creation order; VS Code disposes subscriptions in reverse, so the receiver stops
  // before the store closes.
  context.subscriptions.push(stores, tree, receiver);

  contain('Traces view', () => registerTracesView(tree));
  contain('Import command', () => registerImportCommand(stores, log.for('import')));
  contain('OTLP receiver commands', () => registerReceiverCommands(receiver));
  contain('Show Output command', () => vscode.commands.registerCommand(CommandId.ShowOutput, () => log.show()));

  if (getSetting('receiver.autoStart')) void receiver.start({ interactive: false });
  log.info(`activated (VS Code ${vscode.version})`);

  return {
    store: () => stores.get(),
    storeDir: () => stores.storeDir(),
    receiver: () => receiver.info(),
    receiverStatusText: () => receiver.statusBarText(),
    tracesTree: tree,
  };
}

export function deactivate(): void {
  // Everything is on context.subscriptions.
}
