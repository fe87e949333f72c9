// How traces show in the "Traces" view: newest first, paged, each expanding to its span tree.
// The rows come from the active source (TraceSources): the local store (offset pages, live as
// traces arrive) or a platform connection (cursor pages read only on a user action). A platform
// trace is copied into the store when it is expanded, so its spans are read from there. An empty
// store while the OTLP receiver listens shows the addresses to send to, each with a copy button.
import * as vscode from 'vscode';
import { llmSteps } from '../../core/compare/align-spans';
import type { Span, Trace, TraceSummary } from '../../core/model/trace';
import { PlatformError } from '../../core/sources/platform-errors';
import { CommandId } from '../common/command-ids';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { ReceiverInfo } from '../receiver/receiver-controller';
import { SourceListing } from '../sources/source-listing';
import type { StoreHost } from '../store/store-host';
import type { ActiveSource, TraceSources } from '../sources/trace-sources';
import { endpointItem, loadMoreItem, noticeItem, spanItem, storeErrorItem, traceItem } from './traces-tree-items';
import type { TracesFilterQuery } from './traces-filter-query';
import { errorMessage } from '../../core/util/error-message';
import { OPEN_OUTPUT_BUTTON } from '../common/next-actions';

export const PAGE_SIZE = 100;
/** Store events arrive per ingest batch; one tree refresh per burst is enough. */
const REFRESH_COALESCE_MS = 100;

export interface TraceNode {
  type: 'trace';
  summary: TraceSummary;
  /** Set for a trace listed from a remote source (its id is that source's id, not the store's). */
  sourceId?: string;
  sourceLabel?: string;
}
export interface SpanNode {
  type: 'span';
  /** The store id of the trace (for a platform trace: its local copy). */
  traceId: string;
  span: Span;
  /** An LLM span's 1-based position among the trace's LLM calls in start order ("#2"). */
  step?: number;
  /** Set once the whole trace is read, before the node is handed to VS Code. */
  hasChildren: boolean;
}
export interface LoadMoreNode {
  type: 'loadMore';
  shown: number;
  /** Unknown for cursor-paged sources. */
  total?: number;
}
export interface StoreErrorNode {
  type: 'storeError';
  message: string;
}
/** A one-sentence row: a source error (what to check) or why a list is empty. */
export interface NoticeNode {
  type: 'notice';
  key: string;
  message: string;
  severity: 'error' | 'info';
  action?: vscode.Command;
}
/** While the receiver listens and the store is empty: an address to give the app, with a copy button. */
export interface EndpointNode {
  type: 'endpoint';
  key: 'env' | 'traces' | 'logs';
  /** What the row shows and its copy button copies. */
  copy: string;
  description: string;
}
export type TracesTreeNode = TraceNode | SpanNode | LoadMoreNode | StoreErrorNode | NoticeNode | EndpointNode;

/** What the view needs of the OTLP receiver (ReceiverController): its addresses while it listens. */
export interface ReceiverState {
  info(): ReceiverInfo | undefined;
  readonly onDidChangeState: vscode.Event<ReceiverInfo | undefined>;
}

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
  private listing: SourceListing | undefined;
  /** Trace nodes by store id (for a platform trace: the id of its copy, once expanded). */
  private readonly traceNodes = new Map<string, TraceNode>();
  /** `<source id>\n<trace id>` -> store id of the copy. */
  private readonly copies = new Map<string, Promise<string>>();
  private readonly loaded = new Map<string, Promise<LoadedTrace | undefined>>();
  private readonly dirty = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stores: StoreHost,
    private readonly sources: TraceSources,
    private readonly log: Log,
    private readonly receiver?: ReceiverState,
  ) {
    super();
    // The listening empty state shows the receiver's addresses: re-read the roots when it starts or stops.
    if (receiver) this.register(receiver.onDidChangeState(() => this.scheduleRefresh(undefined, true)));
    this.register(
      stores.onDidChangeTraces((e) => {
        if (e.kind === 'reset') {
          this.pages = 1;
          this.copies.clear();
        }
        this.scheduleRefresh(e.kind === 'reset' ? undefined : e.traceIds);
      }),
    );
    this.register(sources.onDidChangeActive(() => this.restart(true)));
    // New keys or URL: the user just acted, so one new read is due (and the old error is stale).
    this.register(
      sources.onDidChangeConnections(() => this.sources.active().kind === 'platform' && this.restart(false)),
    );
    this.register(toDisposable(() => clearTimeout(this.refreshTimer)));
  }

  /** The source the roots come from. */
  get source(): ActiveSource {
    return this.sources.active();
  }

  /** Re-read everything now (the Refresh button); a platform source is asked again. */
  refresh(): void {
    if (this.sources.active().kind === 'platform') {
      this.restart(true);
      return;
    }
    this.scheduleRefresh(undefined, true);
  }

  /** The filter the roots (and their count) respect; undefined shows every recorded trace. */
  get filter(): TracesFilterQuery | undefined {
    return this.activeFilter;
  }

  setFilter(filter: TracesFilterQuery | undefined): void {
    this.activeFilter = filter;
    this.pages = 1; // a new result set starts at its first page
    this.listing = undefined;
    this.filterChanged.fire(filter);
    this.scheduleRefresh(undefined, true);
  }

  /** Show the next page of traces (the "Load more" row). Resolves once a remote page is read. */
  async loadMore(): Promise<void> {
    if (this.sources.active().kind === 'platform' && this.listing) {
      await this.listing.more();
    } else {
      this.pages++;
    }
    this.scheduleRefresh(undefined, true);
  }

  getTreeItem(node: TracesTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'trace':
        return traceItem(node);
      case 'span':
        return spanItem(node);
      case 'loadMore':
        return loadMoreItem(node);
      case 'storeError':
        return storeErrorItem(node);
      case 'notice':
        return noticeItem(node);
      case 'endpoint':
        return endpointItem(node);
    }
  }

  async getChildren(node?: TracesTreeNode): Promise<TracesTreeNode[]> {
    if (!node) {
      const active = this.sources.active();
      return active.kind === 'local' ? this.localRoots() : this.sourceRoots(active);
    }
    if (node.type === 'trace') {
      if (node.sourceId) return this.sourceTraceChildren(node, node.sourceId);
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

  private async localRoots(): Promise<TracesTreeNode[]> {
    try {
      const store = await this.stores.get();
      const limit = this.pages * PAGE_SIZE;
      // Replayed traces live in the Replays view, under the trace they replay.
      const filter = { ...this.activeFilter?.filter, origin: 'recorded' as const };
      const [summaries, total] = await Promise.all([
        store.listTraces({ offset: 0, limit, filter }),
        store.countTraces(filter),
      ]);
      this.traceNodes.clear();
      const nodes: TracesTreeNode[] = summaries.map((summary) => {
        const n: TraceNode = { type: 'trace', summary };
        this.traceNodes.set(summary.id, n);
        return n;
      });
      if (total > summaries.length) nodes.push({ type: 'loadMore', shown: summaries.length, total });
      if (!nodes.length && !this.activeFilter) return this.listeningRoots();
      return nodes;
    } catch (err) {
      this.log.error('listing traces failed', err);
      return [{ type: 'storeError', message: errorMessage(err) }];
    }
  }

  /** The empty store while the receiver listens: where to send traces, each address copyable (the
   *  welcome text cannot show the port, which may be any free one). Nothing when it is stopped:
   *  the view's welcome content says how to start it. */
  private listeningRoots(): TracesTreeNode[] {
    const info = this.receiver?.info();
    if (!info) return [];
    return [
      {
        type: 'notice',
        key: 'listening',
        severity: 'info',
        message: 'Listening: traces appear here as soon as your app sends them to this address.',
      },
      {
        type: 'endpoint',
        key: 'env',
        copy: `OTEL_EXPORTER_OTLP_ENDPOINT=${info.url}`,
        description: "your app's environment",
      },
      { type: 'endpoint', key: 'traces', copy: info.endpoint, description: 'traces' },
      { type: 'endpoint', key: 'logs', copy: info.logsEndpoint, description: 'GenAI log events' },
      {
        type: 'notice',
        key: 'import',
        severity: 'info',
        message: 'Or import OTLP JSON files exported earlier.',
        action: { command: CommandId.ImportTraces, title: 'Import Traces from File...' },
      },
    ];
  }

  private async sourceRoots(active: ActiveSource & { kind: 'platform' }): Promise<TracesTreeNode[]> {
    if (this.listing?.sourceId !== active.id) this.listing = this.newListing(active.id, false);
    const listing = this.listing;
    await listing.first();
    const { traces, hasMore, error } = listing.state();
    this.traceNodes.clear();
    const nodes: TracesTreeNode[] = traces.map((summary) => ({
      type: 'trace',
      summary,
      sourceId: active.id,
      sourceLabel: active.label,
    }));
    if (error !== undefined) nodes.push(this.errorNotice('list', error, active));
    else if (!traces.length) {
      const message = this.activeFilter
        ? `No trace read from ${active.label} so far matches the filter${hasMore ? '; Load more reads the next page' : ''}.`
        : `${active.label} has no traces yet.`;
      nodes.push({ type: 'notice', key: 'empty', message, severity: 'info' });
    }
    if (hasMore) nodes.push({ type: 'loadMore', shown: traces.length });
    return nodes;
  }

  private async sourceTraceChildren(node: TraceNode, sourceId: string): Promise<TracesTreeNode[]> {
    try {
      const localId = await this.copyOf(sourceId, node.summary.id);
      this.traceNodes.set(localId, node);
      const loaded = await this.load(localId);
      return loaded?.children.get(undefined) ?? [];
    } catch (err) {
      return [this.errorNotice(`trace/${node.summary.id}`, err, this.sources.active())];
    }
  }

  /** The store id of a remote trace's copy, copying it on first use (a failure is not kept). */
  private copyOf(sourceId: string, traceId: string): Promise<string> {
    const key = `${sourceId}\n${traceId}`;
    let p = this.copies.get(key);
    if (!p) {
      p = this.sources.fetchTrace(sourceId, traceId).then((f) => f.localId);
      this.copies.set(key, p);
      void p.catch(() => this.copies.get(key) === p && this.copies.delete(key));
    }
    return p;
  }

  private newListing(sourceId: string, fresh: boolean): SourceListing {
    return new SourceListing(sourceId, () => this.sources.platformTraces(sourceId), this.activeFilter?.filter, fresh);
  }

  /** Starts the active source's list over; `fresh` asks the platform instead of its cached pages. */
  private restart(fresh: boolean): void {
    const active = this.sources.active();
    this.listing = active.kind === 'platform' ? this.newListing(active.id, fresh) : undefined;
    this.pages = 1;
    this.copies.clear();
    this.scheduleRefresh(undefined, true);
  }

  private errorNotice(key: string, err: unknown, active: ActiveSource): NoticeNode {
    if (!(err instanceof PlatformError)) {
      this.log.error(`reading from ${active.label} failed`, err);
      return {
        type: 'notice',
        key: `error/${key}`,
        severity: 'error',
        message: `Reading from ${active.label} failed (${errorMessage(err)}); see the Trace Replay output.`,
        action: { command: CommandId.ShowOutput, title: OPEN_OUTPUT_BUTTON },
      };
    }
    this.log.warn(`${active.label}: ${err.message}`);
    const fixConnection = err.next?.kind === 'connect-platform';
    const action: vscode.Command =
      fixConnection && active.kind === 'platform'
        ? {
            command: CommandId.ConnectPlatform,
            title: `Connect ${active.platform.displayName}...`,
            arguments: [{ platform: active.platform.id, name: active.connection }],
          }
        : { command: CommandId.RefreshTraces, title: 'Refresh' };
    return { type: 'notice', key: `error/${key}`, severity: 'error', message: err.message, action };
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
      const ids = new Set(trace.spans.map((s) => s.id));
      const nodes = new Map<string, SpanNode>();
      const children = new Map<string | undefined, SpanNode[]>();
      const steps = llmSteps(trace);
      for (const span of trace.spans) {
        const n: SpanNode = { type: 'span', traceId, span, hasChildren: false };
        const step = steps.get(span.id);
        if (step !== undefined) n.step = step;
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
