// What activate() returns. Any installed extension can read it, so the public part is minimal (a
// version and the activation time `npm run bench` reports); the services the integration tests
// drive — the store, the replay host, preset answers to quick inputs, writing keys — are added
// only when VS Code runs the extension for its tests (ExtensionMode.Test). No `vscode` import:
// unit-tested in Node.
import type { TraceStore } from '../core/store/trace-store';
import type { UserError } from '../core/util/user-error';
import type { ApiKeyName } from './keys/api-keys';
import type { Notifications } from './common/notifications';
import type { QuickInputs } from './common/multi-step-input';
import type { PanelsTestApi } from './panels/panels';
import type { PlatformReplayRecorder } from './sources/platform-replays';
import type { ReceiverInfo } from './receiver/receiver-controller';
import type { ReplayHost } from './replay/replay-host';
import type { TracePicker } from './replay/replay-trace-command';
import type { ReplaysTreeProvider } from './views/replays-tree';
import type { TemplateCodeLensProvider } from './templates/template-codelens';
import type { TemplateFiles } from './templates/template-files';
import type { TraceSources } from './sources/trace-sources';
import type { TracesTreeProvider } from './views/traces-tree';

export const API_VERSION = 1;

/** The extension's exports. */
export interface TraceReplayExports {
  /** Bumped when this interface changes incompatibly. */
  readonly apiVersion: typeof API_VERSION;
  /** How long activate() itself took, in ms (`npm run bench` reports it). */
  readonly activationMs: number;
  /** Only when VS Code runs the extension for its tests (ExtensionMode.Test). */
  readonly testing?: TraceReplayApi;
}

/** The services and hooks the integration tests drive (`testing` of the exports). */
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
  /** Answers the trace question of "Replay Trace" run without a trace (undefined: ask). */
  presetTracePick(picker: TracePicker | undefined): void;
  /** The extension's notifications (each with its fix as a button): what was shown, and tests' answers. */
  readonly toasts: Notifications;
  /** The extension's own UserError base, for errors a test hands to `toasts.reportError` (the test
   *  bundle's copy of the class is another class, which the reporter would take for a bug). */
  readonly UserError: typeof UserError;
  /** Scripted answers to the replay wizard's quick inputs (undefined: VS Code's). */
  presetReplayInputs(inputs: QuickInputs | undefined): void;
  /** "Replays: 2 running, 1 queued", or undefined while the item is hidden. */
  replayStatusText(): string | undefined;
  /** Write-only access to the stored keys. */
  setApiKey(name: ApiKeyName, value: string | undefined): Promise<void>;
  readonly activationMs: number;
}

/** The exports: the public part, and the test hooks only when `testing` is given. */
export function extensionApi(activationMs: number, testing: (() => TraceReplayApi) | undefined): TraceReplayExports {
  const api: TraceReplayExports = { apiVersion: API_VERSION, activationMs };
  return testing ? { ...api, testing: testing() } : api;
}
