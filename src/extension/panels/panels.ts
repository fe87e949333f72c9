// The Trace Replay panels as the rest of the extension uses them: a replay's comparison (beside
// its prompt template when it used one), a trace's detail, a batch's summary; the handlers the
// panels call back; open panels kept current as replays of their trace change (queue events, no
// polling); restore after a reload from the ids the webviews saved. A comparison of a platform
// trace's replay reads the platform's scores when it opens and on its Refresh only.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PanelKind } from '../../protocol';
import { CommandId } from '../common/command-ids';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { Notifications } from '../common/notifications';
import type { PlatformScores } from '../sources/platform-scores';
import { templateUriOf, type PanelDataSource, type PlatformScoreRead } from './panel-data-source';
import type { ReplayHost } from '../replay/replay-host';
import type { ReplayTraceOptions } from '../replay/replay-trace-command';
import { BatchPanel } from './batch-panel';
import { ComparisonPanel, type ShowOptions } from './comparison-panel';
import { exactDiffTexts, type DiffTexts } from './diff-args';
import { registerDiffDocuments, type DiffDocuments } from './diff-documents';
import type { PanelProbe } from './panel-host';
import { TraceDetailPanel } from './trace-detail-panel';
import {
  createPanelRestorer,
  registerWebviewSerializers,
  type PanelLoaders,
  type PanelRestorer,
  type WebviewPanelsContext,
} from './webview-serializers';
import { resolveInWorkspace } from '../common/workspace-paths';

/** Preset answers for the Replay button of the trace panel (the wizard's questions), for tests. */
export type ReplayPreset = Omit<ReplayTraceOptions, 'traceId' | 'traceIds'>;

/** The panels as the integration tests see them (through activate()'s API). */
export interface PanelsTestApi {
  comparison(jobId: string): PanelProbe | undefined;
  trace(traceId: string): PanelProbe | undefined;
  batch(jobIds: readonly string[]): PanelProbe | undefined;
  /** The trace panel in preview mode (the one the next click in the Traces view reuses). */
  previewTrace(): PanelProbe | undefined;
  /** Every open comparison and trace panel. */
  open(): PanelProbe[];
  /** What the registered WebviewPanelSerializer of `kind` does with a panel and its saved state. */
  restore: PanelRestorer;
  /** Answers the trace panel's Replay button passes to "Replay Trace" (undefined: ask). */
  presetReplay(options: ReplayPreset | undefined): void;
}

export class Panels extends Disposable {
  readonly context: WebviewPanelsContext;
  readonly restore: PanelRestorer;
  private replayPreset: ReplayPreset | undefined;
  /** Per panel, the refresh in flight: refreshes run in order, so older data never wins. */
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(
    private readonly source: PanelDataSource,
    replays: ReplayHost,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly notifications: Notifications,
    private readonly platform?: PlatformScores,
  ) {
    super();
    const { documents, disposable } = registerDiffDocuments();
    this.register(disposable);
    this.context = {
      extensionUri,
      log,
      notifications,
      comparison: {
        onOpenDiff: (a) => this.openDiff(documents, a),
        onSelectReplay: async (jobId) => {
          const load = await source.comparison(jobId, { readPlatformScores: 'if-unread' });
          if (load.kind === 'ok') return load.data;
          void notifications.info(load.kind === 'missing' ? 'That replay is no longer in the history.' : load.reason);
          return undefined;
        },
        onOpenSpan: async (traceId, spanId) =>
          void (await this.openTrace(traceId, { selectSpanId: spanId, beside: true })),
        onOpenTemplate: (p) => this.openTemplate(p),
        onRefreshPlatformScores: (jobId) => this.refreshComparison(jobId, 'always'),
        onDidShow: (panel) => this.catchUpPlatformScores(panel),
      },
      trace: {
        onReplayTrace: async (traceId) =>
          void (await vscode.commands.executeCommand(CommandId.ReplayTrace, { ...this.replayPreset, traceId })),
        onReplayFromSpan: async (traceId, spanId) =>
          void (await vscode.commands.executeCommand(CommandId.ReplayFromSpan, {
            ...this.replayPreset,
            traceId,
            fromSpanId: spanId,
          })),
        onOpenComparison: async (jobId) => void (await this.openComparison(jobId, { beside: true })),
        onOpenTemplate: (p) => this.openTemplate(p),
      },
    };
    const loaders: PanelLoaders = {
      comparison: async (jobId) => {
        const load = await source.comparison(jobId, { readPlatformScores: 'if-unread' });
        return load.kind === 'ok' ? load.data : undefined;
      },
      trace: (traceId) => source.trace(traceId),
      batch: (jobIds) => source.batch(jobIds),
    };
    this.restore = createPanelRestorer(this.context, loaders);
    for (const d of registerWebviewSerializers(this.context, loaders, this.restore)) this.register(d);
    this.register(
      replays.onDidEvent((e) => {
        if (e.type === 'job-queued' || e.type === 'job-started' || e.type === 'job-finished')
          this.refreshTrace(e.job.traceId);
      }),
    );
    this.register(replays.onDidReset(() => this.refreshAll()));
    if (platform)
      this.register(platform.onDidRead((jobId) => ComparisonPanel.get(jobId) && this.refreshComparison(jobId)));
  }

  /** Opens (or reveals) the comparison of a replay; a replay without one gets a one-sentence message. */
  async openComparison(
    jobId: string,
    options: ShowOptions & { withTemplate?: boolean } = {},
  ): Promise<ComparisonPanel | undefined> {
    // Opening a panel reads the platform's scores afresh; revealing an open one does not.
    const load = await this.source.comparison(jobId, {
      readPlatformScores: ComparisonPanel.get(jobId) ? undefined : 'always',
    });
    if (load.kind === 'missing') {
      void this.notifications.warning(`There is no replay ${jobId}; it may have been deleted.`);
      return undefined;
    }
    if (load.kind === 'not-comparable') {
      void this.notifications.info(load.reason);
      return undefined;
    }
    const template = options.withTemplate === false ? undefined : templateUriOf(load.job);
    const templateUri = template && fs.existsSync(template.fsPath) ? template : undefined;
    const show: ShowOptions = { ...options, templateUri };
    return ComparisonPanel.show({ ...this.context, handlers: this.context.comparison }, load.data, show);
  }

  /** A read of the platform's scores that ended before its panel showed the replay (still being
   *  created, or switching to it) found no panel to refresh: catch up once the panel shows it. */
  private catchUpPlatformScores(panel: ComparisonPanel): void {
    const jobId = panel.replayId;
    if (panel.platform?.state !== 'reading' || !this.platform) return;
    void this.platform.view(jobId).then(
      (v) => v && v.status.state !== 'reading' && this.refreshComparison(jobId),
      (err: unknown) => this.log.error('reading the platform scores state failed', err),
    );
  }

  /** `preview`: a click in the Traces view (reuses the preview panel, see TraceDetailPanel). */
  async openTrace(
    traceId: string,
    options: { selectSpanId?: string; beside?: boolean; column?: vscode.ViewColumn; preview?: boolean } = {},
  ): Promise<TraceDetailPanel | undefined> {
    const data = await this.source.trace(traceId, options.selectSpanId);
    if (!data) {
      void this.notifications.warning(`Trace ${traceId} is no longer in the store.`);
      return undefined;
    }
    return TraceDetailPanel.show({ ...this.context, handlers: this.context.trace }, data, {
      beside: options.beside,
      column: options.column,
      preview: options.preview,
    });
  }

  async openBatch(jobIds: readonly string[]): Promise<BatchPanel | undefined> {
    const data = await this.source.batch(jobIds);
    if (!data) {
      void this.notifications.info('None of these replays produced a replayed trace, so there is no batch summary.');
      return undefined;
    }
    return BatchPanel.show(this.context, data);
  }

  /** The diff editor on the two recorded calls (exact); when a trace is gone, on the sides the
   *  comparison's diff rebuilds, with a warning (a word diff does not keep whitespace exactly). */
  private async openDiff(documents: DiffDocuments, a: DiffTexts): Promise<void> {
    const [original, replay] = await Promise.all([
      this.source.trace(a.originalTraceId),
      this.source.trace(a.replayTraceId),
    ]);
    const originalSpan = original?.spans.find((s) => s.spanId === a.spanId);
    const replaySpan =
      a.replaySpanId !== undefined ? replay?.spans.find((s) => s.spanId === a.replaySpanId) : undefined;
    if (originalSpan && replaySpan) {
      await documents.open(exactDiffTexts(a, originalSpan, replaySpan));
      return;
    }
    const warning = `The ${a.side} diff of ${a.spanName} is rebuilt from the comparison because a trace of this replay is no longer in the store, so spacing may differ from the recorded text; re-run the replay to diff the calls exactly.`;
    this.log.warn(warning);
    void this.notifications.warning(warning);
    await documents.open(a);
  }

  private async openTemplate(p: string): Promise<void> {
    const file = resolveInWorkspace(p);
    const uri = file ? vscode.Uri.file(file) : undefined;
    if (!uri || !fs.existsSync(uri.fsPath)) {
      void this.notifications.info(`The prompt template ${p} is not in this workspace.`);
      return;
    }
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  private serial(key: string, work: () => Promise<void>): void {
    const next = (this.refreshing.get(key) ?? Promise.resolve())
      .then(work)
      .catch((err) => this.log.error(`refreshing the ${key} panel failed`, err));
    this.refreshing.set(key, next);
    void next.then(() => this.refreshing.get(key) === next && this.refreshing.delete(key));
  }

  /** The trace's panel and the comparisons of its replays show its replay history: re-read them. */
  private refreshTrace(traceId: string): void {
    if (this.isDisposed) return;
    if (TraceDetailPanel.get(traceId)) {
      this.serial(`trace/${traceId}`, async () => {
        const data = await this.source.trace(traceId);
        if (data) TraceDetailPanel.get(traceId)?.update(data);
      });
    }
    for (const panel of ComparisonPanel.all())
      if (panel.comparison.originalTraceId === traceId) this.refreshComparison(panel.replayId);
  }

  private refreshComparison(jobId: string, readPlatformScores?: PlatformScoreRead): void {
    this.serial(`comparison/${jobId}`, async () => {
      const load = await this.source.comparison(jobId, { readPlatformScores });
      if (load.kind === 'ok') ComparisonPanel.get(jobId)?.update(load.data);
      else if (load.kind === 'missing')
        ComparisonPanel.get(jobId)?.showNotice('Replay deleted', `Replay ${jobId} is no longer in the history.`);
    });
  }

  private refreshAll(): void {
    if (this.isDisposed) return;
    for (const panel of TraceDetailPanel.all()) this.refreshTrace(panel.traceId);
    for (const panel of ComparisonPanel.all()) this.refreshComparison(panel.replayId);
  }

  testApi(): PanelsTestApi {
    return {
      comparison: (jobId) => ComparisonPanel.get(jobId)?.host,
      trace: (traceId) => TraceDetailPanel.get(traceId)?.host,
      batch: (jobIds) => BatchPanel.get(jobIds)?.host,
      previewTrace: () => TraceDetailPanel.preview()?.host,
      open: () => [...ComparisonPanel.all(), ...TraceDetailPanel.all()].map((p) => p.host),
      restore: (kind: PanelKind, panel, state) => this.restore(kind, panel, state),
      presetReplay: (options) => (this.replayPreset = options),
    };
  }
}
