// Entry point: build the services, register the contributions, hand every Disposable to VS Code.
// Each feature registers inside `contain`, so one that throws is logged and the others still work.
import * as vscode from 'vscode';
import { ApiKeys, type ApiKeyName } from './keys/api-keys';
import { CommandId } from './common/command-ids';
import { extensionApi, type TraceReplayExports } from './extension-api';
import { registerImportCommand } from './sources/import-command';
import { PlatformConnections } from './sources/platform-connections';
import { DisposableStore } from './common/lifecycle';
import { Log } from './common/log';
import { Notifications } from './common/notifications';
import { ReceiverController, registerReceiverCommands } from './receiver/receiver-controller';
import { registerReplayFeatures } from './replay/replay-features';
import { getSetting } from './common/settings';
import { UserError } from '../core/util/user-error';
import { registerSourceCommands } from './sources/source-commands';
import { StoreHost } from './store/store-host';
import { TraceSources } from './sources/trace-sources';
import { TracesTreeProvider } from './views/traces-tree';
import { registerTracesView } from './views/traces-view';

/** Graceful part of shutdown (stop listening, flush the store), awaited by deactivate(). */
let shutdown: (() => Promise<void>) | undefined;

export type { TraceReplayApi, TraceReplayExports } from './extension-api';

export function activate(context: vscode.ExtensionContext): TraceReplayExports {
  const started = performance.now();
  const owned = new DisposableStore(); // released newest first: replays, tree, receiver, store, log
  context.subscriptions.push(owned);
  const { log, channel } = Log.create();
  owned.add(channel);
  const contain = (feature: string, register: () => vscode.Disposable | vscode.Disposable[]): void => {
    try {
      for (const d of [register()].flat()) owned.add(d);
    } catch (err) {
      log.error(`${feature} failed to start; the rest of Trace Replay still works`, err);
    }
  };

  // Every toast of the extension goes through this one reporter (one button label per fix).
  const notifications = owned.add(new Notifications(log.for('notifications')));
  const stores = owned.add(new StoreHost(context.globalStorageUri, log.for('store')));
  const keys = owned.add(new ApiKeys(context.secrets));
  const connections = owned.add(new PlatformConnections(keys, log.for('platforms')));
  const sources = owned.add(new TraceSources(stores, connections, context.workspaceState, log.for('sources')));
  const receiver = owned.add(new ReceiverController(stores, log.for('receiver'), notifications));
  const tree = owned.add(new TracesTreeProvider(stores, sources, log.for('tree'), receiver));
  shutdown = async () => {
    await receiver.stop();
    await stores.close();
  };

  contain('Traces view', () => registerTracesView(tree, sources));
  contain('Trace source commands', () => registerSourceCommands(sources, stores, notifications));
  contain('Import command', () => registerImportCommand(stores, log.for('import'), notifications));
  contain('OTLP receiver commands', () => registerReceiverCommands(receiver));
  contain('Show Output command', () => vscode.commands.registerCommand(CommandId.ShowOutput, () => log.show()));
  const replay = registerReplayFeatures({
    extensionUri: context.extensionUri,
    stores,
    sources,
    keys,
    log,
    notifications,
    contain,
    own: (d) => owned.add(d),
  });

  if (getSetting('receiver.autoStart')) void receiver.start({ interactive: false });
  const activationMs = performance.now() - started;
  log.info(`activated (VS Code ${vscode.version}) in ${activationMs.toFixed(1)} ms`);

  // The test hooks exist only when VS Code runs the extension for its tests.
  return extensionApi(
    activationMs,
    context.extensionMode !== vscode.ExtensionMode.Test
      ? undefined
      : () => ({
          store: () => stores.get(),
          storeDir: () => stores.storeDir(),
          receiver: () => receiver.info(),
          receiverStatusText: () => receiver.statusBarText(),
          tracesTree: tree,
          sources,
          ...replay,
          UserError,
          setApiKey: (name: ApiKeyName, value: string | undefined) =>
            value === undefined ? keys.delete(name) : keys.set(name, value),
          activationMs,
        }),
  );
}

export async function deactivate(): Promise<void> {
  // VS Code awaits this (briefly) before disposing context.subscriptions.
  await shutdown?.();
  shutdown = undefined;
}
