// Restores the panels after a window reload from the small state each webview saved (ids only):
// the loaders rebuild the data from the store. A replay or trace that no longer exists leaves a
// panel that says so instead of an empty page.
import * as vscode from 'vscode';
import { envelope, isPanelState, NoticeMessage, type PanelKind, type PanelState } from '../../protocol';
import { BatchPanel, type BatchPanelData } from './batch-panel';
import { ComparisonPanel, type ComparisonPanelData, type ComparisonPanelHandlers } from './comparison-panel';
import { PanelHost, VIEW_TYPES, type PanelContext, type PanelProbe } from './panel-host';
import { TraceDetailPanel, type TraceDetailPanelData, type TraceDetailPanelHandlers } from './trace-detail-panel';

export interface WebviewPanelsContext extends PanelContext {
  comparison: ComparisonPanelHandlers;
  trace: TraceDetailPanelHandlers;
}

export interface PanelLoaders {
  comparison(jobId: string): Promise<ComparisonPanelData | undefined>;
  trace(traceId: string): Promise<TraceDetailPanelData | undefined>;
  batch?(jobIds: string[]): Promise<BatchPanelData | undefined>;
}

function notice(context: PanelContext, panel: vscode.WebviewPanel, kind: PanelKind, text: string): PanelProbe {
  const host = new PanelHost(panel, kind, context, () => undefined, () => undefined);
  host.show(envelope(NoticeMessage, { title: 'Nothing to restore', text }));
  return host;
}

async function restore(context: WebviewPanelsContext, loaders: PanelLoaders, kind: PanelKind, panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<PanelProbe> {
  try {
    if (kind === 'comparison' && state?.jobId) {
      const data = await loaders.comparison(state.jobId);
      if (data) return ComparisonPanel.restore({ ...context, handlers: context.comparison }, panel, data).host;
      return notice(context, panel, kind, `Replay ${state.jobId} is no longer in the store, or has no comparison.`);
    }
    if (kind === 'trace' && state?.traceId) {
      const data = await loaders.trace(state.traceId);
      if (data) return TraceDetailPanel.restore({ ...context, handlers: context.trace }, panel, data).host;
      return notice(context, panel, kind, `Trace ${state.traceId} is no longer in the store.`);
    }
    if (kind === 'batch' && state?.jobIds && loaders.batch) {
      const data = await loaders.batch(state.jobIds);
      if (data) return BatchPanel.restore(context, panel, data).host;
      return notice(context, panel, kind, 'None of the replays of this batch can be compared any more; they may have been deleted.');
    }
    return notice(context, panel, kind, 'This panel has nothing to restore; open it again from the Trace Replay view.');
  } catch (err) {
    context.log?.error(`restoring the ${kind} panel failed`, err);
    return notice(context, panel, kind, 'This panel could not be restored. See the Trace Replay output for details.');
  }
}

/** Restores a panel of `kind` from the state its webview saved; resolves with the panel's host. */
export type PanelRestorer = (kind: PanelKind, panel: vscode.WebviewPanel, state: unknown) => Promise<PanelProbe>;

export function createPanelRestorer(context: WebviewPanelsContext, loaders: PanelLoaders): PanelRestorer {
  return (kind, panel, state) => restore(context, loaders, kind, panel, isPanelState(state) && state.panel === kind ? state : undefined);
}

/** One serializer per panel kind; push the returned disposables onto context.subscriptions. */
export function registerWebviewSerializers(context: WebviewPanelsContext, loaders: PanelLoaders, restorer = createPanelRestorer(context, loaders)): vscode.Disposable[] {
  return (Object.keys(VIEW_TYPES) as PanelKind[]).map(kind =>
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
      deserializeWebviewPanel: async (panel, state: unknown) => void (await restorer(kind, panel, state)),
    }),
  );
}
