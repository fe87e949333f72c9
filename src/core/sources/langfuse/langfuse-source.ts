// Langfuse as a TraceSource. Current Langfuse has no trace-list endpoint, so the list is built
// from GET /api/public/v2/observations: one page of root observations (one per trace, cursor-paged
// by Langfuse), then one request for the observations in that page's time window to count spans,
// models, tokens, cost and prompts. A trace is all observations with its traceId. Both are cached
// (langfuse-cache.ts): a trace until refreshed explicitly, a list page for a short time (listTtlSeconds,
// new traces appear). Before anything is served from the cache the client's key pair is checked
// (once per client), so a wrong or revoked key is an error, never a silently served stale copy.
import { platformSourceId } from '../platform-env';
import { isFreshPage, listTtlSeconds } from '../list-ttl';
import { DEFAULT_LIST_TTL_SECONDS } from '../platform';
import type { Trace, TraceSummary } from '../../model/trace';
import { summarizeTrace } from '../../normalize/assemble-trace';
import { matchesTraceFilter } from '../../store/trace-filter';
import type { SourceListOptions, SourcePage, TraceSource } from '../trace-source';
import type { ObservationFieldGroup, ObservationQuery, ObservationV2 } from './langfuse-api-types';
import { cacheKey, MemoryLangfuseCache, type LangfuseCache } from './langfuse-cache';
import type { LangfuseClient } from './langfuse-client';
import { connectionHost, DEFAULT_CONNECTION_NAME } from './langfuse-config';
import { TraceGoneError } from './langfuse-errors';
import { observationsToTrace } from './langfuse-observations';

/** Langfuse-specific list filters, passed to the API as they are. */
export interface LangfuseListFilter {
  type?: string;
  traceId?: string;
  environment?: string[];
  userId?: string;
  sessionId?: string;
}

export interface LangfuseListOptions extends SourceListOptions {
  langfuse?: LangfuseListFilter;
  /** Ask Langfuse again instead of serving the cached page. */
  refresh?: boolean;
  /** This call's list TTL (seconds), instead of the source's listTtlSeconds; 0 always asks. */
  listTtlSeconds?: number;
}

export interface LangfuseSourceOptions {
  /** Default: in memory (lost with the process). Use storeLangfuseCache(store) to persist. */
  cache?: LangfuseCache;
  /** Traces per list page when the caller gives no limit: small, for the first screen. */
  defaultPageSize?: number;
  /** Observations per request when reading a whole trace. */
  tracePageSize?: number;
  /** Extra observation pages read to fill a list page's summaries (bounds the requests per page). */
  maxSummaryPages?: number;
  /** A cached list page older than this (seconds) is read again; 0 always asks. Default
   *  DEFAULT_LIST_TTL_SECONDS. Read traces stay cached until refreshed. */
  listTtlSeconds?: number;
  now?: () => Date;
}

/** How long a cached list page is served before Langfuse is asked again (seconds). */
export { DEFAULT_LIST_TTL_SECONDS };

const LIST_FIELDS: ObservationFieldGroup[] = ['core', 'basic', 'trace_context'];
const SUMMARY_FIELDS: ObservationFieldGroup[] = ['core', 'model', 'usage', 'prompt'];
const TRACE_FIELDS: ObservationFieldGroup[] = [
  'core',
  'basic',
  'time',
  'io',
  'metadata',
  'model',
  'usage',
  'prompt',
  'metrics',
  'trace_context',
];
const MAX_PAGE = 100;

export class LangfuseTraceSource implements TraceSource {
  readonly id: string;
  readonly label: string;
  private readonly cache: LangfuseCache;
  private readonly defaultPageSize: number;
  private readonly tracePageSize: number;
  private readonly maxSummaryPages: number;
  private readonly listTtlSeconds: number;
  private readonly now: () => Date;

  constructor(
    readonly client: LangfuseClient,
    options: LangfuseSourceOptions = {},
  ) {
    const conn = client.connection;
    const named = conn.name !== DEFAULT_CONNECTION_NAME;
    this.id = platformSourceId('langfuse', conn.name);
    this.label = `Langfuse${named ? ` ${conn.name}` : ''} (${connectionHost(conn)})`;
    this.cache = options.cache ?? new MemoryLangfuseCache();
    this.defaultPageSize = options.defaultPageSize ?? 20;
    this.tracePageSize = options.tracePageSize ?? 200;
    this.maxSummaryPages = Math.max(1, options.maxSummaryPages ?? 2);
    this.listTtlSeconds = listTtlSeconds(options.listTtlSeconds);
    this.now = options.now ?? (() => new Date());
  }

  async listTraces(options: LangfuseListOptions = {}): Promise<SourcePage> {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(options.limit ?? this.defaultPageSize)));
    const query: ObservationQuery = {
      fields: LIST_FIELDS,
      isRootObservation: true,
      limit,
      cursor: options.cursor,
      name: options.filter?.name,
      fromStartTime: options.filter?.since !== undefined ? new Date(options.filter.since).toISOString() : undefined,
      toStartTime: options.filter?.until !== undefined ? new Date(options.filter.until).toISOString() : undefined,
      ...options.langfuse,
    };
    const key = cacheKey(this.client.connection, 'page', JSON.stringify(query));
    let page: SourcePage | undefined;
    if (!options.refresh) {
      const cached = await this.cache.get(key);
      const ttl = options.listTtlSeconds !== undefined ? listTtlSeconds(options.listTtlSeconds) : this.listTtlSeconds;
      if (cached?.kind === 'page' && isFreshPage(cached.fetchedAt, ttl, this.now())) {
        await this.client.checkCredentials();
        page = cached.page;
      }
    }
    if (!page) {
      page = await this.fetchPage(query);
      await this.cache.put(key, {
        kind: 'page',
        baseUrl: this.client.baseUrl,
        query: JSON.stringify(query),
        fetchedAt: this.now().toISOString(),
        page,
      });
    }
    // Text and model are not API filters: they narrow the page (which may then be shorter).
    const { text, model } = options.filter ?? {};
    if (text === undefined && model === undefined) return page;
    return { ...page, traces: page.traces.filter((s) => matchesTraceFilter(s, { text, model })) };
  }

  /** Forgets the cached list pages so the next listTraces asks Langfuse again. */
  async refreshList(): Promise<void> {
    await this.cache.clearPages((entry) => entry.baseUrl === this.client.baseUrl);
  }

  async getTrace(id: string, options: { refresh?: boolean } = {}): Promise<Trace | undefined> {
    const observations = await this.traceObservations(id, options.refresh === true);
    return observations ? observationsToTrace(id, observations) : undefined;
  }

  /** Like getTrace, but a missing trace is a TraceGoneError (for flows that were given an id). */
  async requireTrace(id: string, options: { refresh?: boolean } = {}): Promise<Trace> {
    const trace = await this.getTrace(id, options);
    if (!trace) throw new TraceGoneError(id, this.client.baseUrl);
    return trace;
  }

  private async traceObservations(id: string, refresh: boolean): Promise<ObservationV2[] | undefined> {
    const key = cacheKey(this.client.connection, 'trace', id);
    if (!refresh) {
      const cached = await this.cache.get(key);
      if (cached?.kind === 'trace') {
        await this.client.checkCredentials();
        return cached.observations;
      }
    }
    const observations: ObservationV2[] = [];
    let cursor: string | undefined;
    do {
      const res = await this.client.listObservations({
        traceId: id,
        fields: TRACE_FIELDS,
        limit: this.tracePageSize,
        cursor,
      });
      observations.push(...res.data.filter((o) => o.traceId === id));
      cursor = res.meta.cursor ?? undefined;
    } while (cursor);
    if (observations.length === 0) {
      if (refresh) await this.cache.delete(key);
      return undefined;
    }
    await this.cache.put(key, {
      kind: 'trace',
      baseUrl: this.client.baseUrl,
      traceId: id,
      fetchedAt: this.now().toISOString(),
      observations,
    });
    return observations;
  }

  private async fetchPage(query: ObservationQuery): Promise<SourcePage> {
    const roots = await this.client.listObservations(query);
    const byTrace = new Map<string, ObservationV2>();
    for (const o of roots.data) if (o.traceId && !byTrace.has(o.traceId)) byTrace.set(o.traceId, o);
    const details = await this.windowObservations([...byTrace.values()]);
    const traces: TraceSummary[] = [];
    for (const [traceId, root] of byTrace) {
      traces.push(this.summary(traceId, root, details.get(traceId) ?? []));
    }
    const page: SourcePage = { traces };
    if (roots.meta.cursor) page.nextCursor = roots.meta.cursor;
    return page;
  }

  /** Observations in the time window of the page's roots, grouped by trace (bounded requests). */
  private async windowObservations(roots: ObservationV2[]): Promise<Map<string, ObservationV2[]>> {
    const out = new Map<string, ObservationV2[]>();
    if (roots.length === 0) return out;
    const wanted = new Set(roots.map((r) => r.traceId));
    const starts = roots.map((r) => Date.parse(r.startTime)).filter(Number.isFinite);
    const ends = roots.map((r) => Date.parse(r.endTime ?? r.startTime)).filter(Number.isFinite);
    const query: ObservationQuery = {
      fields: SUMMARY_FIELDS,
      limit: 1000,
      fromStartTime: new Date(Math.min(...starts)).toISOString(),
      // toStartTime is exclusive; children start no later than their root ends.
      toStartTime: new Date(Math.max(...ends) + 1).toISOString(),
    };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await this.client.listObservations({ ...query, cursor });
      for (const o of res.data) {
        if (!o.traceId || !wanted.has(o.traceId)) continue;
        let list = out.get(o.traceId);
        if (!list) out.set(o.traceId, (list = []));
        list.push(o);
      }
      cursor = res.meta.cursor ?? undefined;
    } while (cursor && ++pages < this.maxSummaryPages);
    return out;
  }

  private summary(traceId: string, root: ObservationV2, observations: ObservationV2[]): TraceSummary {
    const all = observations.some((o) => o.id === root.id)
      ? observations.map((o) => (o.id === root.id ? { ...o, ...root } : o))
      : [root, ...observations];
    const summary = summarizeTrace(observationsToTrace(traceId, all), this.now().getTime());
    summary.name = root.traceName ?? root.name ?? summary.name;
    return summary;
  }
}
