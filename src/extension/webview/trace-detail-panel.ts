// The trace detail panel (one per trace): span tree, the selected span's call, a Replay button and
// the trace's replay history. Actions go to handlers the integrator wires.
import * as vscode from 'vscode';
import { envelope, isMessage, OpenComparisonMessage, OpenTemplateMessage, ReplayTraceMessage, ShowTraceMessage, type Envelope, type TraceShowParams } from '../../protocol';
import { PanelHost, VIEW_TYPES, type PanelContext } from './panel-host';

export type TraceDetailPanelData = TraceShowParams;

export interface TraceDetailPanelHandlers {
  /** Start the Replay Trace flow for this trace. */
  onReplayTrace(traceId: string): void | Promise<void>;
  /** Open the comparison of a replay job (the comparison panel). */
  onOpenComparison(jobId: string): void | Promise<void>;
  onOpenTemplate?(path: string): void | Promise<void>;
}

export interface TraceDetailPanelContext extends PanelContext {
  handlers: TraceDetailPanelHandlers;
}

const titleOf = (t: TraceShowParams): string => `Trace: ${t.name || t.traceId.slice(0, 8)}`;

export class TraceDetailPanel {
  private static readonly open = new Map<string, TraceDetailPanel>();
  /** The panel's host side (tests read what it posted through activate()'s API). */
  readonly host: PanelHost;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: TraceDetailPanelContext,
    private data: TraceDetailPanelData,
  ) {
    this.host = new PanelHost(panel, 'trace', context, m => this.receive(m), () => TraceDetailPanel.open.delete(this.traceId));
    TraceDetailPanel.open.set(this.traceId, this);
    this.host.show(envelope(ShowTraceMessage, data));
  }

  get traceId(): string {
    return this.data.traceId;
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** Shows the trace (revealing its panel when open; `data.selectSpanId` selects a span). */
  static show(context: TraceDetailPanelContext, data: TraceDetailPanelData, options: { column?: vscode.ViewColumn; beside?: boolean; preserveFocus?: boolean } = {}): TraceDetailPanel {
    const existing = TraceDetailPanel.open.get(data.traceId);
    if (existing) {
      existing.update(data);
      existing.panel.reveal(undefined, options.preserveFocus);
      return existing;
    }
    const column = options.column ?? (options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.trace, titleOf(data), { viewColumn: column, preserveFocus: options.preserveFocus ?? false }, {});
    return new TraceDetailPanel(panel, context, data);
  }

  static restore(context: TraceDetailPanelContext, panel: vscode.WebviewPanel, data: TraceDetailPanelData): TraceDetailPanel {
    return TraceDetailPanel.open.get(data.traceId) ?? new TraceDetailPanel(panel, context, data);
  }

  static get(traceId: string): TraceDetailPanel | undefined {
    return TraceDetailPanel.open.get(traceId);
  }

  static all(): TraceDetailPanel[] {
    return [...TraceDetailPanel.open.values()];
  }

  /** New data for the same trace (e.g. its replay history changed). */
  update(data: TraceDetailPanelData): void {
    TraceDetailPanel.open.delete(this.traceId);
    this.data = data;
    TraceDetailPanel.open.set(this.traceId, this);
    this.host.panel.title = titleOf(data);
    this.host.show(envelope(ShowTraceMessage, data));
  }

  private async receive(m: Envelope): Promise<void> {
    const h = this.context.handlers;
    if (isMessage(ReplayTraceMessage, m)) await h.onReplayTrace(m.params.traceId);
    else if (isMessage(OpenComparisonMessage, m)) await h.onOpenComparison(m.params.jobId);
    else if (isMessage(OpenTemplateMessage, m)) await h.onOpenTemplate?.(m.params.path);
    else this.context.log?.warn(`trace panel: unknown message ${m.method}`);
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
