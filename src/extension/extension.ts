// Entry point: build the services, register the contributions, hand every Disposable to VS Code.
// Each feature registers inside `contain`, so one that throws is logged and the others still work.
import * as vscode from 'vscode';
import type { TraceStore } from '../core/store/trace-store';
import { ApiKeys, type ApiKeyName } from './api-keys';
import { CommandId } from './command-ids';
import { registerImportCommand } from './import-command';
import { PlatformConnections } from './platforms/platform-connections';
import type { PlatformReplayRecorder } from './platforms/platform-replays';
import type { Toasts } from './error-actions';
import { DisposableStore } from './lifecycle';
import { Log } from './log';
import type { QuickInputs } from './multi-step-input';
import { ReceiverController, registerReceiverCommands, type ReceiverInfo } from './receiver-controller';
import type { PanelsTestApi } from './panels';
import { registerReplayFeatures } from './replay-features';
import type { ReplayHost } from './replay-host';
import type { TracePicker } from './replay-trace-command';
import type { ReplaysTreeProvider } from './replays-tree';
import { getSetting } from './settings';
import { registerSourceCommands } from './source-commands';
import { StoreHost } from './store-host';
import type { TemplateCodeLensProvider } from './template-codelens';
import type { TemplateFiles } from './template-files';
import { TraceSources } from './trace-sources';
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
  /** The Traces view's source (local store or a platform connection) and the platform sessions. */
  readonly sources: TraceSources;
  /** What replays of platform traces recorded and wrote back. */
  readonly platformReplays: PlatformReplayRecorder;
  /** The replay engine of the open store: enqueue, wait, cancel, events. */
  readonly replays: ReplayHost;
  readonly replaysTree: ReplaysTreeProvider;
  readonly templateFiles: TemplateFiles;
  readonly templateCodeLens: TemplateCodeLensProvider;
  /** The open panels (comparison, trace detail, batch) and their serializers' restore. */
  readonly panels: PanelsTestApi;
  /** Tests: answers the trace question of "Replay Trace" run without a trace (undefined: ask). */
  presetTracePick(picker: TracePicker | undefined): void;
  /** The replay flows' toasts (each with its fix as a button): what was shown, and tests' answers. */
  readonly toasts: Toasts;
  /** Tests: scripted answers to the replay wizard's quick inputs (undefined: VS Code's). */
  presetReplayInputs(inputs: QuickInputs | undefined): void;
  /** "Replays: 2 running, 1 queued", or undefined while the item is hidden. */
  replayStatusText(): string | undefined;
  /** Write-only access to the stored keys (tests; a companion extension's setup). */
  setApiKey(name: ApiKeyName, value: string | undefined): Promise<void>;
  /** How long activate() itself took, in ms (`npm run bench` reports it). */
  readonly activationMs: number;
}

/** Graceful part of shutdown (stop listening, flush the store), awaited by deactivate(). */
let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): TraceReplayApi {
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

  const stores = owned.add(new StoreHost(context.globalStorageUri, log.for('store')));
  const keys = owned.add(new ApiKeys(context.secrets));
  const connections = owned.add(new PlatformConnections(keys, log.for('platforms')));
  const sources = owned.add(new TraceSources(stores, connections, context.workspaceState, log.for('sources')));
  const receiver = owned.add(new ReceiverController(stores, log.for('receiver')));
  const tree = owned.add(new TracesTreeProvider(stores, sources, log.for('tree'), receiver));
  shutdown = async () => {
    await receiver.stop();
    await stores.close();
  };

  contain('Traces view', () => registerTracesView(tree, sources));
  contain('Trace source commands', () => registerSourceCommands(sources, stores, log.for('sources')));
  contain('Import command', () => registerImportCommand(stores, log.for('import')));
  contain('OTLP receiver commands', () => registerReceiverCommands(receiver));
  contain('Show Output command', () => vscode.commands.registerCommand(CommandId.ShowOutput, () => log.show()));
  const replay = registerReplayFeatures({ extensionUri: context.extensionUri, stores, sources, keys, log, contain, own: d => owned.add(d) });

  if (getSetting('receiver.autoStart')) void receiver.start({ interactive: false });
  const activationMs = performance.now() - started;
  log.info(`activated (VS Code ${vscode.version}) in ${activationMs.toFixed(1)} ms`);

  return {
    store: () => stores.get(),
    storeDir: () => stores.storeDir(),
    receiver: () => receiver.info(),
    receiverStatusText: () => receiver.statusBarText(),
    tracesTree: tree,
    sources,
    ...replay,
    setApiKey: (name, value) => (value === undefined ? keys.delete(name) : keys.set(name, value)),
    activationMs,
  };
}

export async function deactivate(): Promise<void> {
  // VS Code awaits this (briefly) before disposing context.subscriptions.
  await shutdown?.();
  shutdown = undefined;
}
