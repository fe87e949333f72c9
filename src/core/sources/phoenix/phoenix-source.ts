// A Phoenix project's traces as a PlatformTraceSource.
// List: GET /v1/projects/{project}/traces, newest first, with include_spans
// (every span's name, kind, parent and status, no attributes), then one request for the LLM spans
// of the page's traces (GET .../spans?trace_id=...&span_kind=LLM, at most maxSummaryPages pages) for
// models, tokens and prompts: two requests per page. A trace: every span with its trace id
// (GET .../spans?trace_id=..., all pages), turned into our Trace by the normalizer
// (phoenix-spans.ts). Pages are cached for the list TTL, traces until refreshed; before anything
// is served from the cache the key and project are checked (once per client), so a wrong key is an
// error, never a silently served stale copy.
// Paging: Phoenix's own cursor bounds the row id (arrival order) whatever the sort
// (routers/v1/traces.py), so with the start-time order it repeats and skips traces that arrived out
// of time order (batching exporters, several services, backfills). Our cursor is a keyset on the
// start time instead: the last listed start time and the traces listed at exactly that time; the
// next page asks for traces starting before the microsecond after it (end_time) and leaves those out.
import { isFreshPage, listTtlSeconds } from '../list-ttl';
import type { Trace, TraceSummary } from '../../model/trace';
import { assembleTrace, summarizeTrace } from '../../normalize/assemble-trace';
import { normalizeSpan } from '../../normalize/normalize-span';
import { matchesTraceFilter } from '../../store/trace-filter';
import { DEFAULT_CONNECTION_NAME, type PlatformListOptions, type PlatformTraceSource } from '../platform';
import { platformSourceId, urlHost } from '../platform-env';
import type { SourcePage } from '../trace-source';
import type { PhoenixSpan, PhoenixTraceData, PhoenixTraceQuery } from './phoenix-api-types';
import { MemoryPhoenixCache, phoenixCacheKey, type PhoenixCache } from './phoenix-cache';
import type { PhoenixClient } from './phoenix-client';
import { PlatformConfigError } from '../platform-errors';
import { PhoenixTraceGoneError } from './phoenix-errors';
import { isoToUnixNano, phoenixSpanToRaw } from './phoenix-spans';

export interface PhoenixSourceOptions {
  /** Default: in memory. Use storePhoenixCache(store) to persist. */
  cache?: PhoenixCache;
  /** Traces per list page when the caller gives no limit. */
  defaultPageSize?: number;
  /** Spans per request when reading a whole trace (Phoenix allows up to 1000). */
  tracePageSize?: number;
  /** Pages of LLM spans read to fill a list page's summaries (bounds the requests per page). */
  maxSummaryPages?: number;
  /** A cached list page older than this (seconds) is read again; 0 always asks. */
  listTtlSeconds?: number;
  now?: () => Date;
}

const MAX_PAGE = 100;

export class PhoenixTraceSource implements PlatformTraceSource {
  readonly id: string;
  readonly label: string;
  private readonly cache: PhoenixCache;
  private readonly defaultPageSize: number;
  private readonly tracePageSize: number;
  private readonly maxSummaryPages: number;
  private readonly listTtlSeconds: number;
  private readonly now: () => Date;

  constructor(
    readonly client: PhoenixClient,
    options: PhoenixSourceOptions = {},
  ) {
    const conn = client.connection;
    const named = conn.name !== DEFAULT_CONNECTION_NAME;
    this.id = platformSourceId('phoenix', conn.name);
    this.label = `Arize Phoenix${named ? ` ${conn.name}` : ''} (${urlHost(conn.baseUrl)} / ${conn.project})`;
    this.cache = options.cache ?? new MemoryPhoenixCache();
    this.defaultPageSize = options.defaultPageSize ?? 20;
    this.tracePageSize = Math.min(1000, Math.max(1, options.tracePageSize ?? 1000));
    this.maxSummaryPages = Math.max(1, options.maxSummaryPages ?? 2);
    this.listTtlSeconds = listTtlSeconds(options.listTtlSeconds);
    this.now = options.now ?? (() => new Date());
  }

  async listTraces(options: PlatformListOptions = {}): Promise<SourcePage> {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(options.limit ?? this.defaultPageSize)));
    const after = options.cursor !== undefined ? decodeListCursor(options.cursor) : undefined;
    const until = options.filter?.until !== undefined ? BigInt(Math.floor(options.filter.until)) * 1000n : undefined;
    // Exclusive bound on the start time: the microsecond after the last listed one (ties are left out by id).
    const before = after !== undefined && (until === undefined || after.at + 1n < until) ? after.at + 1n : until;
    const seen = after?.seen ?? [];
    const query: PhoenixTraceQuery = {
      limit: Math.min(MAX_TRACE_REQUEST, limit + seen.length),
      sort: 'start_time',
      order: 'desc',
      include_spans: true,
      start_time: options.filter?.since !== undefined ? new Date(options.filter.since).toISOString() : undefined,
      end_time: before !== undefined ? microsToIso(before) : undefined,
    };
    const conn = this.client.connection;
    const key = phoenixCacheKey(conn, 'page', JSON.stringify({ ...query, seen }));
    let page: SourcePage | undefined;
    if (!options.refresh) {
      const cached = await this.cache.get(key);
      if (
        cached?.kind === 'page' &&
        isFreshPage(
          cached.fetchedAt,
          options.listTtlSeconds !== undefined ? listTtlSeconds(options.listTtlSeconds) : this.listTtlSeconds,
          this.now(),
        )
      ) {
        await this.client.checkCredentials();
        page = cached.page;
      }
    }
    if (!page) {
      page = await this.fetchPage(query, limit, after);
      await this.cache.put(key, {
        kind: 'page',
        baseUrl: conn.baseUrl,
        project: conn.project,
        query: JSON.stringify(query),
        fetchedAt: this.now().toISOString(),
        page,
      });
    }
    // Name, text and model are not API filters: they narrow the page (which may then be shorter).
    const { text, model, name } = options.filter ?? {};
    if (text === undefined && model === undefined && name === undefined) return page;
    return {
      ...page,
      traces: page.traces.filter(
        (s) =>
          matchesTraceFilter(s, { text, model }) &&
          (name === undefined || s.name.toLowerCase().includes(name.toLowerCase())),
      ),
    };
  }

  async refreshList(): Promise<void> {
    await this.cache.clearPages(
      (entry) => entry.baseUrl === this.client.baseUrl && entry.project === this.client.project,
    );
  }

  async getTrace(id: string, options: { refresh?: boolean } = {}): Promise<Trace | undefined> {
    const spans = await this.traceSpans(id, options.refresh === true);
    return spans ? phoenixSpansToTrace(spans) : undefined;
  }

  async requireTrace(id: string, options: { refresh?: boolean } = {}): Promise<Trace> {
    const trace = await this.getTrace(id, options);
    if (!trace) throw new PhoenixTraceGoneError(id, this.client.project, this.client.baseUrl);
    return trace;
  }

  /** The Phoenix spans of a trace (cached), undefined when Phoenix has none. */
  async traceSpans(id: string, refresh = false): Promise<PhoenixSpan[] | undefined> {
    const conn = this.client.connection;
    const key = phoenixCacheKey(conn, 'trace', id);
    if (!refresh) {
      const cached = await this.cache.get(key);
      if (cached?.kind === 'trace') {
        await this.client.checkCredentials();
        return cached.spans;
      }
    }
    const spans = (await this.client.allSpans({ trace_id: [id], limit: this.tracePageSize })).filter(
      (s) => s.context.trace_id === id,
    );
    if (spans.length === 0) {
      if (refresh) await this.cache.delete(key);
      return undefined;
    }
    await this.cache.put(key, {
      kind: 'trace',
      baseUrl: conn.baseUrl,
      project: conn.project,
      traceId: id,
      fetchedAt: this.now().toISOString(),
      spans,
    });
    return spans;
  }

  private async fetchPage(query: PhoenixTraceQuery, limit: number, after: ListCursor | undefined): Promise<SourcePage> {
    const res = await this.client.listTraces(query);
    const rows = res.data.filter((t) => !after?.seen.includes(t.trace_id));
    const data = rows.slice(0, limit);
    const llmSpans = await this.llmSpansOf(data.map((t) => t.trace_id));
    const traces = data.map((t) => this.summary(t, llmSpans.spans.get(t.trace_id) ?? [], llmSpans.complete));
    const page: SourcePage = { traces };
    const last = data.at(-1);
    if (last && (res.next_cursor || rows.length > limit)) {
      const at = startMicros(last.start_time);
      const seen = data.filter((t) => startMicros(t.start_time) === at).map((t) => t.trace_id);
      page.nextCursor = encodeListCursor({ at, seen: after?.at === at ? [...after.seen, ...seen] : seen });
    }
    return page;
  }

  /** The LLM spans (with attributes) of the given traces, grouped by trace; `complete` is false
   *  when more pages were left unread. */
  private async llmSpansOf(traceIds: string[]): Promise<{ spans: Map<string, PhoenixSpan[]>; complete: boolean }> {
    const out = new Map<string, PhoenixSpan[]>();
    if (traceIds.length === 0) return { spans: out, complete: true };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await this.client.listSpans({ trace_id: traceIds, span_kind: ['LLM'], limit: 1000, cursor });
      for (const s of res.data) {
        let list = out.get(s.context.trace_id);
        if (!list) out.set(s.context.trace_id, (list = []));
        list.push(s);
      }
      cursor = res.next_cursor ?? undefined;
    } while (cursor && ++pages < this.maxSummaryPages);
    return { spans: out, complete: cursor === undefined };
  }

  private summary(data: PhoenixTraceData, llm: PhoenixSpan[], complete: boolean): TraceSummary {
    const withAttributes = new Set(llm.map((s) => s.context.span_id));
    // The other spans as include_spans gives them: structure only.
    const outline: PhoenixSpan[] = (data.spans ?? [])
      .filter((s) => !withAttributes.has(s.span_id))
      .map((s) => ({
        name: s.name,
        context: { trace_id: data.trace_id, span_id: s.span_id },
        span_kind: s.span_kind,
        parent_id: s.parent_id,
        start_time: s.start_time,
        end_time: s.end_time,
        status_code: s.status_code,
        attributes: {},
      }));
    const summary = summarizeTrace(phoenixSpansToTrace([...outline, ...llm]), this.now().getTime());
    summary.id = data.trace_id;
    if (!complete || llm.length === 0) {
      // Phoenix's own sums (LLM spans without a parent LLM span) when not every LLM span was read.
      summary.inputTokens = Math.max(summary.inputTokens, data.token_count_prompt ?? 0);
      summary.outputTokens = Math.max(summary.outputTokens, data.token_count_completion ?? 0);
    }
    return summary;
  }
}

/** Phoenix spans of one trace -> our Trace (normalized and assembled as an OTLP import is). */
export function phoenixSpansToTrace(spans: PhoenixSpan[]): Trace {
  return assembleTrace(spans.map((s) => normalizeSpan(phoenixSpanToRaw(s))));
}

/** Phoenix allows up to 1000 traces per request. */
const MAX_TRACE_REQUEST = 1000;

/** The list's own cursor (see the header): the last listed start time (Unix microseconds) and the
 *  ids of the traces listed at exactly that time. */
interface ListCursor {
  at: bigint;
  seen: string[];
}

function startMicros(iso: string): bigint {
  return BigInt(isoToUnixNano(iso)) / 1000n;
}

function microsToIso(micros: bigint): string {
  const seconds = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toString(), seen: cursor.seen })).toString('base64url');
}

function decodeListCursor(text: string): ListCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { at?: unknown; seen?: unknown };
    if (
      typeof parsed.at === 'string' &&
      /^\d+$/.test(parsed.at) &&
      Array.isArray(parsed.seen) &&
      parsed.seen.every((s) => typeof s === 'string')
    ) {
      return { at: BigInt(parsed.at), seen: parsed.seen as string[] };
    }
  } catch {
    // Not ours: said below.
  }
  // A bad --cursor, not a connection to fix: no connect-platform action.
  throw new PlatformConfigError(
    `"${text}" is not a cursor of a Phoenix trace list; use the one printed under the previous page, or list from the start without --cursor.`,
  );
}
