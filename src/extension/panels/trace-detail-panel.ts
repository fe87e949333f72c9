// The trace detail panel (one per trace): span tree, the selected span's call, a Replay button and
// the trace's replay history. Actions go to handlers the integrator wires.
// A click in the Traces view opens the PREVIEW panel, like VS Code's preview editors (webview panels
// have no preview flag, so it is kept here): one panel that the next click on another trace reuses.
// It is pinned (kept, and the next click opens a new preview) when the same row is opened again (a
// double click), when it is opened without `preview` ("Open Trace", a comparison's span link), or
// when the user acts in it (any message from its page).
import * as vscode from 'vscode';
import {
  envelope,
  isMessage,
  OpenComparisonMessage,
  OpenTemplateMessage,
  ReplayFromSpanMessage,
  ReplayTraceMessage,
  ShowTraceMessage,
  type Envelope,
  type TraceShowParams,
} from '../../protocol';
import { PanelRegistry } from './panel-registry';
import { PanelHost, VIEW_TYPES, type PanelContext } from './panel-host';

export type TraceDetailPanelData = TraceShowParams;

export interface TraceDetailPanelHandlers {
  /** Start the Replay Trace flow for this trace. */
  onReplayTrace(traceId: string): void | Promise<void>;
  /** "Replay from Here" on an LLM span: the Replay Trace flow forking at it. */
  onReplayFromSpan?(traceId: string, spanId: string): void | Promise<void>;
  /** Open the comparison of a replay job (the comparison panel). */
  onOpenComparison(jobId: string): void | Promise<void>;
  onOpenTemplate?(path: string): void | Promise<void>;
}

export interface TraceDetailPanelContext extends PanelContext {
  handlers: TraceDetailPanelHandlers;
}

const titleOf = (t: TraceShowParams): string => `Trace: ${t.name || t.traceId.slice(0, 8)}`;

export interface TraceDetailShowOptions {
  column?: vscode.ViewColumn;
  beside?: boolean;
  preserveFocus?: boolean;
  /** Open in (or reuse) the preview panel; false or absent opens a pinned panel. */
  preview?: boolean;
}

/** What a preview showed last: the same target again is a double click. */
const targetOf = (data: TraceDetailPanelData): string => `${data.traceId}/${data.selectSpanId ?? ''}`;

export class TraceDetailPanel {
  private static readonly open = new PanelRegistry<TraceDetailPanel>();
  /** The one panel in preview mode, if any. */
  private static previewPanel: TraceDetailPanel | undefined;
  private previewTarget: string | undefined;
  /** The panel's host side (tests read what it posted through activate()'s API). */
  readonly host: PanelHost;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: TraceDetailPanelContext,
    private data: TraceDetailPanelData,
  ) {
    this.host = new PanelHost(
      panel,
      'trace',
      context,
      (m) => this.receive(m),
      () => {
        TraceDetailPanel.open.forget(this);
        if (TraceDetailPanel.previewPanel === this) TraceDetailPanel.previewPanel = undefined;
      },
    );
    TraceDetailPanel.open.track(this, this.traceId);
    this.host.show(envelope(ShowTraceMessage, data));
  }

  get traceId(): string {
    return this.data.traceId;
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** Shows the trace (revealing its panel when open; `data.selectSpanId` selects a span); with
   *  `preview`, in the preview panel (see the file header). */
  static show(
    context: TraceDetailPanelContext,
    data: TraceDetailPanelData,
    options: TraceDetailShowOptions = {},
  ): TraceDetailPanel {
    const target = targetOf(data);
    const existing = TraceDetailPanel.open.get(data.traceId);
    if (existing) {
      // Opened for good, or the same row opened again (the second click of a double click): keep it.
      if (!options.preview || existing.previewTarget === target) existing.pin();
      else if (existing.isPreview) existing.previewTarget = target;
      existing.update(data);
      existing.panel.reveal(undefined, options.preserveFocus);
      return existing;
    }
    const preview = options.preview ? TraceDetailPanel.previewPanel : undefined;
    if (preview) {
      preview.previewTarget = target;
      preview.update(data);
      preview.panel.reveal(undefined, options.preserveFocus);
      return preview;
    }
    const column = options.column ?? (options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPES.trace,
      titleOf(data),
      { viewColumn: column, preserveFocus: options.preserveFocus ?? false },
      {},
    );
    const created = new TraceDetailPanel(panel, context, data);
    if (options.preview) {
      TraceDetailPanel.previewPanel = created;
      created.previewTarget = target;
    }
    return created;
  }

  /** The panel the next preview click replaces (none once pinned). */
  get isPreview(): boolean {
    return TraceDetailPanel.previewPanel === this;
  }

  /** Keeps the panel: the next preview opens in a new one. */
  pin(): void {
    if (TraceDetailPanel.previewPanel === this) TraceDetailPanel.previewPanel = undefined;
    this.previewTarget = undefined;
  }

  static restore(
    context: TraceDetailPanelContext,
    panel: vscode.WebviewPanel,
    data: TraceDetailPanelData,
  ): TraceDetailPanel {
    return TraceDetailPanel.open.restore(data.traceId, panel, () => new TraceDetailPanel(panel, context, data));
  }

  /** The panel in preview mode, if any. */
  static preview(): TraceDetailPanel | undefined {
    return TraceDetailPanel.previewPanel;
  }

  static get(traceId: string): TraceDetailPanel | undefined {
    return TraceDetailPanel.open.get(traceId);
  }

  static all(): TraceDetailPanel[] {
    return TraceDetailPanel.open.all();
  }

  /** New data for the same trace (e.g. its replay history changed). */
  update(data: TraceDetailPanelData): void {
    const previous = this.traceId;
    this.data = data;
    TraceDetailPanel.open.track(this, this.traceId, previous);
    this.host.panel.title = titleOf(data);
    this.host.show(envelope(ShowTraceMessage, data));
  }

  private async receive(m: Envelope): Promise<void> {
    this.pin(); // the user acted in the panel: keep it, as an edited preview editor is kept
    const h = this.context.handlers;
    if (isMessage(ReplayTraceMessage, m)) await h.onReplayTrace(m.params.traceId);
    else if (isMessage(ReplayFromSpanMessage, m)) await h.onReplayFromSpan?.(m.params.traceId, m.params.spanId);
    else if (isMessage(OpenComparisonMessage, m)) await h.onOpenComparison(m.params.jobId);
    else if (isMessage(OpenTemplateMessage, m)) await h.onOpenTemplate?.(m.params.path);
    else this.context.log?.warn(`trace panel: unknown message ${m.method}`);
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
