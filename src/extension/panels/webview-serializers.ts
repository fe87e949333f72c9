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
  const host = new PanelHost(
    panel,
    kind,
    context,
    () => undefined,
    () => undefined,
  );
  host.show(envelope(NoticeMessage, { title: 'Nothing to restore', text }));
  return host;
}

/** How each panel kind comes back: the data its saved ids load, the panel that shows it, and what
 *  to say when the ids name nothing any more. */
interface PanelRestoreDescriptor<D> {
  load(loaders: PanelLoaders, state: PanelState): Promise<D | undefined> | undefined;
  adopt(context: WebviewPanelsContext, panel: vscode.WebviewPanel, data: D): PanelProbe;
  gone(state: PanelState): string;
}

const DESCRIPTORS: {
  [K in PanelKind]: PanelRestoreDescriptor<
    K extends 'comparison' ? ComparisonPanelData : K extends 'trace' ? TraceDetailPanelData : BatchPanelData
  >;
} = {
  comparison: {
    load: (loaders, state) => (state.jobId ? loaders.comparison(state.jobId) : undefined),
    adopt: (context, panel, data) =>
      ComparisonPanel.restore({ ...context, handlers: context.comparison }, panel, data).host,
    gone: (state) => `Replay ${state.jobId} is no longer in the store, or has no comparison.`,
  },
  trace: {
    load: (loaders, state) => (state.traceId ? loaders.trace(state.traceId) : undefined),
    adopt: (context, panel, data) =>
      TraceDetailPanel.restore({ ...context, handlers: context.trace }, panel, data).host,
    gone: (state) => `Trace ${state.traceId} is no longer in the store.`,
  },
  batch: {
    load: (loaders, state) => (state.jobIds && loaders.batch ? loaders.batch(state.jobIds) : undefined),
    adopt: (context, panel, data) => BatchPanel.restore(context, panel, data).host,
    gone: () => 'None of the replays of this batch can be compared any more; they may have been deleted.',
  },
};

async function restore(
  context: WebviewPanelsContext,
  loaders: PanelLoaders,
  kind: PanelKind,
  panel: vscode.WebviewPanel,
  state: PanelState | undefined,
): Promise<PanelProbe> {
  try {
    const descriptor = DESCRIPTORS[kind] as PanelRestoreDescriptor<unknown>;
    const loading = state ? descriptor.load(loaders, state) : undefined;
    if (!state || !loading)
      return notice(
        context,
        panel,
        kind,
        'This panel has nothing to restore; open it again from the Trace Replay view.',
      );
    const data = await loading;
    return data !== undefined
      ? descriptor.adopt(context, panel, data)
      : notice(context, panel, kind, descriptor.gone(state));
  } catch (err) {
    context.log?.error(`restoring the ${kind} panel failed`, err);
    return notice(context, panel, kind, 'This panel could not be restored. See the Trace Replay output for details.');
  }
}

/** Restores a panel of `kind` from the state its webview saved; resolves with the panel's host. */
export type PanelRestorer = (kind: PanelKind, panel: vscode.WebviewPanel, state: unknown) => Promise<PanelProbe>;

export function createPanelRestorer(context: WebviewPanelsContext, loaders: PanelLoaders): PanelRestorer {
  return (kind, panel, state) =>
    restore(context, loaders, kind, panel, isPanelState(state) && state.panel === kind ? state : undefined);
}

/** One serializer per panel kind; push the returned disposables onto context.subscriptions. */
export function registerWebviewSerializers(
  context: WebviewPanelsContext,
  loaders: PanelLoaders,
  restorer = createPanelRestorer(context, loaders),
): vscode.Disposable[] {
  return (Object.keys(VIEW_TYPES) as PanelKind[]).map((kind) =>
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
      deserializeWebviewPanel: async (panel, state: unknown) => void (await restorer(kind, panel, state)),
    }),
  );
}
