// The comparison panel of one replay (one panel per replay id; showing an open one reveals it).
// It renders what src/core's comparison computed; actions (diff editor, other replay, span,
// template) go to handlers the integrator wires. Restored after a reload by the serializer.
import * as vscode from 'vscode';
import type { ComparisonJson } from '../../core/compare/render-json';
import {
  envelope,
  isMessage,
  NoticeMessage,
  OpenDiffMessage,
  OpenSpanMessage,
  OpenTemplateMessage,
  RefreshPlatformScoresMessage,
  SelectReplayMessage,
  ShowComparisonMessage,
  type ComparisonShowParams,
  type Envelope,
} from '../../protocol';
import { diffArgsOf } from './diff-args';
import type { OpenDiffArgs } from './diff-documents';
import { PanelHost, VIEW_TYPES, type PanelContext } from './panel-host';
import { PanelRegistry } from './panel-registry';

export type ComparisonPanelData = ComparisonShowParams;

export interface ComparisonPanelHandlers {
  /** Open VS Code's diff editor on the two texts (see DiffDocuments.open). */
  onOpenDiff(args: OpenDiffArgs): void | Promise<void>;
  /** The comparison of another replay of the same trace; undefined when there is none to show
   *  (the handler tells the user why). */
  onSelectReplay(jobId: string): Promise<ComparisonPanelData | undefined>;
  onOpenSpan?(traceId: string, spanId: string): void | Promise<void>;
  onOpenTemplate?(path: string): void | Promise<void>;
  /** The panel's Refresh of the platform's (Langfuse's) scores. */
  onRefreshPlatformScores?(jobId: string): void | Promise<void>;
  /** The panel was given a replay's comparison (opened, restored, updated, another replay). */
  onDidShow?(panel: ComparisonPanel): void;
}

export interface ComparisonPanelContext extends PanelContext {
  handlers: ComparisonPanelHandlers;
}

export interface ShowOptions {
  /** Default: the active column. */
  column?: vscode.ViewColumn;
  /** Open in the column beside the active editor. */
  beside?: boolean;
  /** Show this prompt template first, then the panel beside it (source left, comparison right). */
  templateUri?: vscode.Uri;
  preserveFocus?: boolean;
}

const titleOf = (c: ComparisonJson): string => `Replay: ${c.traceName || c.originalTraceId.slice(0, 8)}`;

export class ComparisonPanel {
  private static readonly open = new PanelRegistry<ComparisonPanel>();
  /** The panel's host side (tests read what it posted through activate()'s API). */
  readonly host: PanelHost;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: ComparisonPanelContext,
    private data: ComparisonPanelData,
  ) {
    this.host = new PanelHost(
      panel,
      'comparison',
      context,
      (m) => this.receive(m),
      () => ComparisonPanel.open.forget(this),
    );
    ComparisonPanel.open.track(this, this.replayId);
    this.host.show(envelope(ShowComparisonMessage, data));
    context.handlers.onDidShow?.(this);
  }

  get replayId(): string {
    return this.data.comparison.replayId;
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** Shows the comparison of `data.comparison.replayId`, revealing its panel when one is open. */
  static async show(
    context: ComparisonPanelContext,
    data: ComparisonPanelData,
    options: ShowOptions = {},
  ): Promise<ComparisonPanel> {
    const existing = ComparisonPanel.open.get(data.comparison.replayId);
    if (existing) {
      existing.update(data);
      // An explicit column (side by side for "Compare Two Replays") moves the panel there.
      existing.panel.reveal(
        options.column ?? (options.beside ? vscode.ViewColumn.Beside : undefined),
        options.preserveFocus,
      );
      return existing;
    }
    let column = options.column ?? (options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    if (options.templateUri) {
      await vscode.window.showTextDocument(options.templateUri, {
        viewColumn: options.column ?? vscode.ViewColumn.Active,
        preview: false,
        preserveFocus: false,
      });
      column = vscode.ViewColumn.Beside;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPES.comparison,
      titleOf(data.comparison),
      { viewColumn: column, preserveFocus: options.preserveFocus ?? false },
      {},
    );
    return new ComparisonPanel(panel, context, data);
  }

  /** Adopts a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static restore(
    context: ComparisonPanelContext,
    panel: vscode.WebviewPanel,
    data: ComparisonPanelData,
  ): ComparisonPanel {
    return ComparisonPanel.open.restore(
      data.comparison.replayId,
      panel,
      () => new ComparisonPanel(panel, context, data),
    );
  }

  /** The open panel of a replay, if any (e.g. to refresh it when the job's evaluation lands). */
  static get(replayId: string): ComparisonPanel | undefined {
    return ComparisonPanel.open.get(replayId);
  }

  /** Every open comparison panel (to refresh the replay history of a trace). */
  static all(): ComparisonPanel[] {
    return ComparisonPanel.open.all();
  }

  get comparison(): ComparisonPanelData['comparison'] {
    return this.data.comparison;
  }

  /** Where the platform's scores shown now stand (undefined for a replay of a local trace). */
  get platform(): ComparisonPanelData['platform'] {
    return this.data.platform;
  }

  update(data: ComparisonPanelData): void {
    const previous = this.replayId;
    this.data = data;
    ComparisonPanel.open.track(this, this.replayId, previous);
    this.host.panel.title = titleOf(data.comparison);
    this.host.show(envelope(ShowComparisonMessage, data));
    this.context.handlers.onDidShow?.(this);
  }

  /** Replaces the comparison with a message (e.g. the replay was deleted). */
  showNotice(title: string, text: string): void {
    this.host.show(envelope(NoticeMessage, { title, text }));
  }

  private async receive(m: Envelope): Promise<void> {
    const h = this.context.handlers;
    if (isMessage(OpenDiffMessage, m)) {
      const args = diffArgsOf(this.data.comparison, m.params.spanId, m.params.side);
      if (args) await h.onOpenDiff(args);
    } else if (isMessage(SelectReplayMessage, m)) {
      const other = ComparisonPanel.open.get(m.params.jobId);
      if (other) return other.panel.reveal();
      const data = await h.onSelectReplay(m.params.jobId);
      if (data) this.update(data);
    } else if (isMessage(OpenSpanMessage, m)) {
      await h.onOpenSpan?.(m.params.traceId, m.params.spanId);
    } else if (isMessage(OpenTemplateMessage, m)) {
      await h.onOpenTemplate?.(m.params.path);
    } else if (isMessage(RefreshPlatformScoresMessage, m)) {
      // The replay shown now: a stale button of a replaced comparison does not read another one.
      if (m.params.replayId === this.replayId) await h.onRefreshPlatformScores?.(this.replayId);
    } else {
      this.context.log?.warn(`comparison panel: unknown message ${m.method}`);
    }
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
