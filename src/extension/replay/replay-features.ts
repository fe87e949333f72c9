// Wires the replay side of the extension: engine host, history model and view, the replay
// commands, template files with their CodeLens, the panels (comparison, trace detail, batch),
// progress and the status bar; then resumes the jobs a reload interrupted.
import * as vscode from 'vscode';
import type { ReplayJob } from '../../core/replay/replay-types';
import type { ApiKeys } from '../keys/api-keys';
import { announceBatch } from './batch-summary';
import type { Notifications } from '../common/notifications';
import { PlatformReplayRecorder } from '../sources/platform-replays';
import { PlatformScores } from '../sources/platform-scores';
import type { Log } from '../common/log';
import type { QuickInputs } from '../common/multi-step-input';
import { registerPanelCommands } from '../panels/panel-commands';
import { PanelDataSource } from '../panels/panel-data-source';
import { Panels } from '../panels/panels';
import { buildProviderConfigs } from '../keys/provider-settings';
import { ReplayHost } from './replay-host';
import { ReplayProgress } from './replay-progress';
import { ReplayStatusBar } from './replay-status-bar';
import { registerReplayTraceCommands, type TracePicker } from './replay-trace-command';
import { registerReplayWithTemplateCommand } from './replay-with-template-command';
import { ReplaysModel } from '../views/replays-model';
import { ReplaysTreeProvider } from '../views/replays-tree';
import { registerReplaysView } from '../views/replays-view';
import { registerSetApiKeyCommand } from '../keys/set-api-key-command';
import type { StoreHost } from '../store/store-host';
import { TemplateCodeLensProvider } from '../templates/template-codelens';
import { TemplateFiles } from '../templates/template-files';
import type { TraceSources } from '../sources/trace-sources';

interface Wiring {
  extensionUri: vscode.Uri;
  stores: StoreHost;
  sources: TraceSources;
  keys: ApiKeys;
  log: Log;
  notifications: Notifications;
  contain(feature: string, register: () => vscode.Disposable | vscode.Disposable[]): void;
  own<T extends vscode.Disposable>(d: T): T;
}

export function registerReplayFeatures({
  extensionUri,
  stores,
  sources,
  keys,
  log,
  notifications,
  contain,
  own,
}: Wiring) {
  const replays = own(new ReplayHost(stores, keys, log.for('replay'), sources));
  const platformReplays = own(
    new PlatformReplayRecorder(replays, stores, sources, log.for('platforms'), notifications),
  );
  const model = own(new ReplaysModel(replays, log.for('replays')));
  const replaysTree = own(new ReplaysTreeProvider(model, stores));
  const templateFiles = own(new TemplateFiles(() => stores.storeDir(), log.for('templates')));
  const templateCodeLens = own(new TemplateCodeLensProvider(stores, templateFiles, log.for('templates')));
  const statusBar = own(new ReplayStatusBar(model));
  own(new ReplayProgress(replays, stores, log.for('replay'), notifications));
  const platformScores = own(new PlatformScores(stores, replays, sources, log.for('platforms')));
  const panels = own(
    new Panels(
      new PanelDataSource(stores, replays, templateFiles, platformScores),
      replays,
      extensionUri,
      log.for('panels'),
      notifications,
      platformScores,
    ),
  );
  const onBatchQueued = (jobs: ReplayJob[]) => void announceBatch(replays, jobs, log.for('replay'), notifications);
  let presetPick: TracePicker | undefined;
  const pickTrace: TracePicker = (items, options) =>
    (presetPick ?? ((i, o) => vscode.window.showQuickPick(i, o)))(items, options);
  // The key check reads the keys afresh each time.
  const configs = () => buildProviderConfigs(keys);
  let presetInputs: QuickInputs | undefined;
  const inputs = () => presetInputs;

  contain('Replays view', () => registerReplaysView(replaysTree, replays, stores, sources, notifications));
  contain('Set API Key command', () => registerSetApiKeyCommand(keys, log.for('keys'), notifications));
  contain('Replay commands', () =>
    registerReplayTraceCommands({
      stores,
      replays,
      templates: templateFiles,
      sources,
      log: log.for('replay'),
      notifications,
      configs,
      inputs,
      onBatchQueued,
      pickTrace,
    }),
  );
  contain('Replay with template command', () =>
    registerReplayWithTemplateCommand({
      stores,
      replays,
      log: log.for('templates'),
      notifications,
      configs,
      inputs,
      onBatchQueued,
    }),
  );
  contain('Panel commands', () => registerPanelCommands(panels, replays, stores, sources, notifications));
  contain('Template CodeLens', () =>
    // Every file: the provider itself asks TemplateFiles, so a changed glob setting needs no re-registration.
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, templateCodeLens),
  );
  void templateFiles.list();
  void replays.resumeInterrupted().catch((err) => log.error('resuming interrupted replays failed', err));

  return {
    replays,
    replaysTree,
    templateFiles,
    templateCodeLens,
    platformReplays,
    panels: panels.testApi(),
    replayStatusText: () => statusBar.text(),
    presetTracePick: (picker: TracePicker | undefined) => void (presetPick = picker),
    toasts: notifications,
    presetReplayInputs: (scripted: QuickInputs | undefined) => void (presetInputs = scripted),
  };
}
