// How traces show in the "Traces" view: newest first, paged, each expanding to its span tree.
// The data comes from the store (through StoreHost); this class only maps it to TreeItems.
import * as vscode from 'vscode';
import type { Span, SpanKind, Trace, TraceSummary } from '../core/model/trace';
import { CommandId } from './command-ids';
import { formatCost, formatDuration, formatTokens, relativeTime } from './format';
import { Disposable, toDisposable } from './lifecycle';
import type { Log } from './log';
import type { StoreHost } from './store-host';
import type { TracesFilterQuery } from './traces-filter-query';

export const PAGE_SIZE = 100;
/** Store events arrive per ingest batch; one tree refresh per burst is enough. */
const REFRESH_COALESCE_MS = 100;

/** Every contextValue the view uses (package.json menus match them, e.g. `viewItem =~ /^span:/`). */
export enum ContextValue {
  Trace = 'trace',
  SpanLlm = 'span:llm',
  SpanTool = 'span:tool',
  SpanRetrieval = 'span:retrieval',
  SpanEmbedding = 'span:embedding',
  SpanAgent = 'span:agent',
  SpanChain = 'span:chain',
  SpanOther = 'span:other',
  LoadMore = 'loadMore',
  StoreError = 'storeError',
}

const SPAN_CONTEXT: Record<SpanKind, ContextValue> = {
  llm: ContextValue.SpanLlm,
  tool: ContextValue.SpanTool,
  retrieval: ContextValue.SpanRetrieval,
  embedding: ContextValue.SpanEmbedding,
  agent: ContextValue.SpanAgent,
  chain: ContextValue.SpanChain,
  other: ContextValue.SpanOther,
};

export const SPAN_ICONS: Record<SpanKind, string> = {
  llm: 'sparkle',
  tool: 'tools',
  retrieval: 'search',
  embedding: 'symbol-array',
  agent: 'robot',
  chain: 'link',
  other: 'circle-outline',
};

export interface TraceNode {
  type: 'trace';
  summary: TraceSummary;
}
export interface SpanNode {
  type: 'span';
  traceId: string;
  span: Span;
  /** Set once the whole trace is read, before the node is handed to VS Code. */
  hasChildren: boolean;
}
export interface LoadMoreNode {
  type: 'loadMore';
  shown: number;
  total: number;
}
export interface StoreErrorNode {
  type: 'storeError';
  message: string;
}
export type TracesTreeNode = TraceNode | SpanNode | LoadMoreNode | StoreErrorNode;

/** A loaded trace with its nodes, so children and parents are the same objects every time. */
interface LoadedTrace {
  trace: Trace;
  nodes: Map<string, SpanNode>;
  children: Map<string | undefined, SpanNode[]>;
}

export class TracesTreeProvider extends Disposable implements vscode.TreeDataProvider<TracesTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TracesTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly filterChanged = this.register(new vscode.EventEmitter<TracesFilterQuery | undefined>());
  readonly onDidChangeFilter = this.filterChanged.event;

  private pages = 1;
  private activeFilter: TracesFilterQuery | undefined;
  private readonly traceNodes = new Map<string, TraceNode>();
  private readonly loaded = new Map<string, Promise<LoadedTrace | undefined>>();
  private readonly dirty = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stores: StoreHost,
    private readonly log: Log,
  ) {
    super();
    this.register(
      stores.onDidChangeTraces(e => {
        if (e.kind === 'reset') this.pages = 1;
        this.scheduleRefresh(e.kind === 'reset' ? undefined : e.traceIds);
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.refreshTimer)));
  }

  /** Re-read everything now (the Refresh button). */
  refresh(): void {
    this.scheduleRefresh(undefined, true);
  }

  /** The filter the roots (and their count) respect; undefined shows every recorded trace. */
  get filter(): TracesFilterQuery | undefined {
    return this.activeFilter;
  }

  setFilter(filter: TracesFilterQuery | undefined): void {
    this.activeFilter = filter;
    this.pages = 1; // a new result set starts at its first page
    this.filterChanged.fire(filter);
    this.refresh();
  }

  /** Show the next page of traces (the "Load more" row). */
  loadMore(): void {
    this.pages++;
    this.refresh();
  }

  getTreeItem(node: TracesTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'trace':
        return traceItem(node.summary);
      case 'span':
        return spanItem(node);
      case 'loadMore': {
        const item = new vscode.TreeItem(`Load more… (${node.shown} of ${node.total})`);
        item.id = 'loadMore';
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = ContextValue.LoadMore;
        item.command = { command: CommandId.LoadMoreTraces, title: 'Load More Traces' };
        return item;
      }
      case 'storeError': {
        const item = new vscode.TreeItem('Could not open the trace store');
        item.id = 'storeError';
        item.description = node.message;
        item.tooltip = `${node.message}\nCheck the traceReplay.storePath setting; details are in the Trace Replay output.`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = ContextValue.StoreError;
        item.command = { command: CommandId.ShowOutput, title: 'Show Output' };
        return item;
      }
    }
  }

  async getChildren(node?: TracesTreeNode): Promise<TracesTreeNode[]> {
    if (!node) return this.roots();
    if (node.type === 'trace') {
      const loaded = await this.load(node.summary.id);
      return loaded?.children.get(undefined) ?? [];
    }
    if (node.type === 'span') {
      const loaded = await this.load(node.traceId);
      return loaded?.children.get(node.span.id) ?? [];
    }
    return [];
  }

  async getParent(node: TracesTreeNode): Promise<TracesTreeNode | undefined> {
    if (node.type !== 'span') return undefined;
    const loaded = await this.load(node.traceId);
    const parentId = node.span.parentId;
    const parent = parentId ? loaded?.nodes.get(parentId) : undefined;
    return parent ?? this.traceNodes.get(node.traceId);
  }

  private async roots(): Promise<TracesTreeNode[]> {
    try {
      const store = await this.stores.get();
      const limit = this.pages * PAGE_SIZE;
      // Replayed traces live in the Replays view, under the trace they replay.
      const filter = { ...this.activeFilter?.filter, origin: 'recorded' as const };
      const [summaries, total] = await Promise.all([store.listTraces({ offset: 0, limit, filter }), store.countTraces(filter)]);
      this.traceNodes.clear();
      const nodes: TracesTreeNode[] = summaries.map(summary => {
        const n: TraceNode = { type: 'trace', summary };
        this.traceNodes.set(summary.id, n);
        return n;
      });
      if (total > summaries.length) nodes.push({ type: 'loadMore', shown: summaries.length, total });
      return nodes;
    } catch (err) {
      this.log.error('listing traces failed', err);
      return [{ type: 'storeError', message: err instanceof Error ? err.message : String(err) }];
    }
  }

  private load(traceId: string): Promise<LoadedTrace | undefined> {
    let p = this.loaded.get(traceId);
    if (!p) {
      p = this.readTrace(traceId);
      this.loaded.set(traceId, p);
    }
    return p;
  }

  private async readTrace(traceId: string): Promise<LoadedTrace | undefined> {
    try {
      const trace = await (await this.stores.get()).getTrace(traceId);
      if (!trace) return undefined;
      const ids = new Set(trace.spans.map(s => s.id));
      const nodes = new Map<string, SpanNode>();
      const children = new Map<string | undefined, SpanNode[]>();
      for (const span of trace.spans) {
        const n: SpanNode = { type: 'span', traceId, span, hasChildren: false };
        nodes.set(span.id, n);
        // A span whose parent was never received shows at the top level instead of vanishing.
        const parent = span.parentId && ids.has(span.parentId) ? span.parentId : undefined;
        const list = children.get(parent) ?? [];
        list.push(n);
        children.set(parent, list);
      }
      for (const n of nodes.values()) n.hasChildren = children.has(n.span.id);
      return { trace, nodes, children };
    } catch (err) {
      this.loaded.delete(traceId);
      this.log.error(`reading trace ${traceId} failed`, err);
      return undefined;
    }
  }

  private scheduleRefresh(traceIds: string[] | undefined, immediate = false): void {
    if (traceIds) for (const id of traceIds) this.dirty.add(id);
    else this.loaded.clear();
    if (immediate) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      this.fireRefresh();
      return;
    }
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.fireRefresh();
    }, REFRESH_COALESCE_MS);
  }

  private fireRefresh(): void {
    for (const id of this.dirty) this.loaded.delete(id);
    this.dirty.clear();
    this.changed.fire(undefined);
  }
}

function traceItem(s: TraceSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(s.name || s.id, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `trace/${s.id}`;
  const tokens = s.inputTokens + s.outputTokens;
  item.description = [relativeTime(s.startTime), s.models.join(', '), tokens ? `${formatTokens(tokens)} tok` : '']
    .filter(Boolean)
    .join(' · ');
  item.iconPath = new vscode.ThemeIcon('pulse');
  item.contextValue = ContextValue.Trace;
  // A click opens the detail panel; the twistie (or arrow keys) expands the span tree.
  item.command = { command: CommandId.OpenTraceDetail, title: 'Open Trace Details', arguments: [s.id] };
  // Trace content comes from arbitrary apps: appendText escapes it, and the tooltip is untrusted.
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(s.name || s.id).appendMarkdown('**\n\n');
  const rows: [string, string | undefined][] = [
    ['Trace ID', s.id],
    ['Started', new Date(s.startTime).toLocaleString()],
    ['Duration', formatDuration(s.durationMs)],
    ['Spans', `${s.spanCount} (${s.llmSpanCount} LLM)`],
    ['Models', s.models.join(', ') || undefined],
    ['Tokens', `${s.inputTokens} in / ${s.outputTokens} out`],
    ['Cost', s.costUsd !== undefined ? formatCost(s.costUsd) : undefined],
    ['Prompts', s.promptNames.join(', ') || undefined],
    ['Service', s.serviceName],
  ];
  appendRows(md, rows);
  item.tooltip = md;
  return item;
}

function spanItem(node: SpanNode): vscode.TreeItem {
  const { span } = node;
  const item = new vscode.TreeItem(
    span.name,
    node.hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `span/${node.traceId}/${span.id}`;
  const failed = span.status.code === 'error';
  item.iconPath = new vscode.ThemeIcon(
    SPAN_ICONS[span.kind],
    failed ? new vscode.ThemeColor('errorForeground') : undefined,
  );
  item.contextValue = SPAN_CONTEXT[span.kind];
  item.command = { command: CommandId.OpenTraceDetail, title: 'Open Trace Details', arguments: [{ traceId: node.traceId, spanId: span.id }] };
  const duration = formatDuration(span.endTime - span.startTime);
  const llm = span.llm;
  const model = llm ? (llm.responseModel ?? llm.requestModel) : undefined;
  const usage = llm?.usage;
  const tokens = usage ? `${usage.inputTokens ?? 0}→${usage.outputTokens ?? 0} tok` : undefined;
  item.description = [model, tokens, duration, failed ? 'error' : undefined].filter(Boolean).join(' · ');
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(span.name).appendMarkdown(`** — ${span.kind}\n\n`);
  appendRows(md, [
    ['Span ID', span.id],
    ['Duration', duration],
    ['Status', failed ? `error${span.status.message ? ': ' + span.status.message : ''}` : span.status.code],
    ['Provider', llm?.provider],
    ['Model', model],
    ['Tokens', usage ? `${usage.inputTokens ?? 0} in / ${usage.outputTokens ?? 0} out` : undefined],
    ['Cost', llm?.costUsd !== undefined ? formatCost(llm.costUsd) : undefined],
    ['Tool', span.toolName],
    ['Warnings', span.warnings?.join('; ')],
  ]);
  item.tooltip = md;
  return item;
}

function appendRows(md: vscode.MarkdownString, rows: [string, string | undefined][]): void {
  for (const [name, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendMarkdown(`${name}: `).appendText(value).appendMarkdown('  \n');
  }
}
