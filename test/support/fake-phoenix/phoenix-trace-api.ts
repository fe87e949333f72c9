// The fake Phoenix server's project, trace and span endpoints, answering as Phoenix's
// routers/v1/{projects,traces,spans}.py do: rowid-ordered cursor paging where the cursor is the
// GlobalID of the first row of the next page, filters and their 422s, TraceData with the LLM spans'
// token sums, Span objects with flattened attributes (span_kind popped from them), and the
// OTLP-shaped /spans/otlpv1 answer with every field present (null when unset), as pydantic writes it.
import { apiSpanAttributes, attributeAt, flatten, type Stored } from './phoenix-attributes';
import { cursorRowid, fromGlobalId, globalId, isoMicros, parseIsoMicros } from './phoenix-ids';
import { boolQuery, enumFilter, httpError, intQuery, literalQuery, timeQuery, type Json } from './phoenix-http';
import type { PhoenixProject, PhoenixSpan, PhoenixStore, PhoenixTrace } from './phoenix-store';

const SPAN_KINDS = new Set([
  'TOOL',
  'CHAIN',
  'LLM',
  'PROMPT',
  'RETRIEVER',
  'EMBEDDING',
  'AGENT',
  'RERANKER',
  'EVALUATOR',
  'GUARDRAIL',
  'UNKNOWN',
]);
const STATUS_CODES = new Set(['UNSET', 'OK', 'ERROR']);

/** utils.get_project_by_identifier: a Project GlobalID, else a name; 404 otherwise. */
export function projectByIdentifier(store: PhoenixStore, identifier: string): PhoenixProject {
  const rowid = fromGlobalId(identifier, 'Project');
  if (rowid !== undefined) {
    const project = store.projectByRowid(rowid);
    if (!project) throw httpError(404, `Project with ID ${identifier} not found`);
    return project;
  }
  const project = store.projectByName(identifier);
  if (!project) throw httpError(404, `Project with name ${identifier} not found`);
  return project;
}

export function projectJson(p: PhoenixProject): Json {
  return { name: p.name, description: p.description, id: globalId('Project', p.rowid) };
}

/** The rows of one page: `rows` already ordered, cut to `limit`, next_cursor the GlobalID of the first row left out. */
function page<T extends { rowid: number }>(
  rows: T[],
  limit: number,
  type: 'Project' | 'Trace' | 'Span',
): { rows: T[]; next: string | null } {
  if (rows.length <= limit) return { rows, next: null };
  return { rows: rows.slice(0, limit), next: globalId(type, rows[limit].rowid) };
}

export function listProjects(store: PhoenixStore, q: URLSearchParams): Json {
  const limit = intQuery(q, 'limit', 100, { gt: 0 });
  boolQuery(q, 'include_experiment_projects', false);
  boolQuery(q, 'include_dataset_evaluator_projects', false);
  const contains = q.get('name_contains');
  let rows = [...store.projects].sort((a, b) => b.rowid - a.rowid);
  if (contains) rows = rows.filter((p) => p.name.toLowerCase().includes(contains.toLowerCase()));
  const cursor = q.get('cursor');
  if (cursor) {
    const c = cursorRowid(cursor);
    if (c === undefined) throw httpError(422, `Invalid cursor format: ${cursor}`);
    rows = rows.filter((p) => p.rowid <= c);
  }
  const { rows: data, next } = page(rows, limit, 'Project');
  return { data: data.map(projectJson), next_cursor: next };
}

function traceSpanJson(s: PhoenixSpan): Json {
  return {
    id: globalId('Span', s.rowid),
    span_id: s.spanId,
    parent_id: s.parentId,
    name: s.name,
    span_kind: s.spanKind,
    status_code: s.statusCode,
    start_time: isoMicros(s.startTime),
    end_time: isoMicros(s.endTime),
  };
}

function traceJson(store: PhoenixStore, t: PhoenixTrace, includeSpans: boolean): Json {
  const spans = store.spansOfTrace(t.rowid);
  const llm = spans.filter((s) => s.spanKind.toUpperCase() === 'LLM');
  const prompt = llm.reduce((sum, s) => sum + (s.llmTokenCountPrompt ?? 0), 0);
  const completion = llm.reduce((sum, s) => sum + (s.llmTokenCountCompletion ?? 0), 0);
  const out: Json = {
    id: globalId('Trace', t.rowid),
    trace_id: t.traceId,
    project_id: globalId('Project', t.projectRowid),
    start_time: isoMicros(t.startTime),
    end_time: isoMicros(t.endTime),
    token_count_prompt: prompt,
    token_count_completion: completion,
    token_count_total: prompt + completion,
    spans: includeSpans ? [...spans].sort((a, b) => a.startTime - b.startTime).map(traceSpanJson) : null,
  };
  return out;
}

/** The session id Phoenix gives a trace: the session.id of its first span that has one. */
function sessionOf(store: PhoenixStore, t: PhoenixTrace): string | undefined {
  for (const s of store.spansOfTrace(t.rowid)) {
    const v = attributeAt(s.attributes, 'session.id');
    if (v !== undefined && v !== null && String(v).trim()) return String(v).trim();
  }
  return undefined;
}

export function listTraces(store: PhoenixStore, identifier: string, q: URLSearchParams): Json {
  const start = timeQuery(q, 'start_time', parseIsoMicros);
  const end = timeQuery(q, 'end_time', parseIsoMicros);
  const sort = literalQuery(q, 'sort', ['start_time', 'latency_ms'] as const, 'start_time');
  const order = literalQuery(q, 'order', ['asc', 'desc'] as const, 'desc');
  const limit = intQuery(q, 'limit', 100, { gt: 0, le: 1000 });
  const includeSpans = boolQuery(q, 'include_spans', false);
  const project = projectByIdentifier(store, identifier);
  const sessions = q.getAll('session_identifier');
  const key = (t: PhoenixTrace): number => (sort === 'latency_ms' ? t.endTime - t.startTime : t.startTime);
  const sign = order === 'asc' ? 1 : -1;
  let rows = store.traces
    .filter((t) => t.projectRowid === project.rowid)
    .sort((a, b) => sign * (key(a) - key(b) || a.rowid - b.rowid));
  if (sessions.length) rows = rows.filter((t) => sessions.includes(sessionOf(store, t) ?? '\u0000'));
  if (start !== undefined) rows = rows.filter((t) => t.startTime >= start);
  if (end !== undefined) rows = rows.filter((t) => t.startTime < end);
  const cursor = q.get('cursor');
  if (cursor) {
    // As Phoenix: the cursor bounds the row id whatever the sort, so pages follow the sort only
    // while row ids (arrival order) and the sort agree.
    const c = cursorRowid(cursor);
    if (c === undefined) throw httpError(422, `Invalid cursor format: ${cursor}`);
    rows = rows.filter((t) => (order === 'desc' ? t.rowid <= c : t.rowid >= c));
  }
  const { rows: data, next } = page(rows, limit, 'Trace');
  return { data: data.map((t) => traceJson(store, t, includeSpans)), next_cursor: next };
}

/** spans._parse_attribute: `key:value` with a JSON-typed value, compared at the key's path. */
function attributeFilter(filter: string): (attributes: Stored) => boolean {
  const at = filter.indexOf(':');
  if (at < 0) throw httpError(422, `Invalid attribute '${filter}': expected format 'key:value'`);
  const key = filter.slice(0, at);
  const value = filter.slice(at + 1);
  if (!key) throw httpError(422, 'Invalid attribute: key must not be empty');
  if (!value) throw httpError(422, 'Invalid attribute: value must not be empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = value;
  }
  if (parsed === null || typeof parsed === 'object') {
    throw httpError(
      422,
      `Invalid attribute value '${value}': must be a string, integer, float, or boolean. To match a string that looks like a number or boolean, JSON-quote the value: \`key:"12345"\`.`,
    );
  }
  return (attributes) => {
    const actual = attributeAt(attributes, key);
    return typeof actual === typeof parsed && actual === parsed;
  };
}

function filteredSpans(
  store: PhoenixStore,
  identifier: string,
  q: URLSearchParams,
  withKind: boolean,
): { rows: PhoenixSpan[]; next: string | null } {
  // FastAPI checks the query's types first (JSON 422), then the handler finds the project (404)
  // before its own checks (plain-text 422), as in span_search.
  const limit = intQuery(q, 'limit', 100, { gt: 0, le: 1000 });
  const start = timeQuery(q, 'start_time', parseIsoMicros);
  const end = timeQuery(q, 'end_time', parseIsoMicros);
  const project = projectByIdentifier(store, identifier);
  const traceIds = q.getAll('trace_id');
  const spanIds = q.getAll('span_id');
  const parentId = q.get('parent_id');
  const names = q.getAll('name');
  const kinds =
    withKind && q.getAll('span_kind').length ? enumFilter(q.getAll('span_kind'), SPAN_KINDS, 'span_kind') : [];
  const statuses = q.getAll('status_code').length
    ? enumFilter(q.getAll('status_code'), STATUS_CODES, 'status_code')
    : [];
  const attributeMatchers = q.getAll('attribute').map(attributeFilter);
  const traceOf = new Map(store.traces.map((t) => [t.rowid, t]));
  let rows = store.spans
    .filter((s) => {
      const trace = traceOf.get(s.traceRowid);
      return (
        trace !== undefined &&
        trace.projectRowid === project.rowid &&
        (start === undefined || s.startTime >= start) &&
        (end === undefined || s.startTime < end) &&
        (traceIds.length === 0 || traceIds.includes(trace.traceId)) &&
        (spanIds.length === 0 || spanIds.includes(s.spanId)) &&
        (parentId === null || (parentId === 'null' ? s.parentId === null : s.parentId === parentId)) &&
        (names.length === 0 || names.includes(s.name)) &&
        (kinds.length === 0 || kinds.includes(s.spanKind)) &&
        (statuses.length === 0 || statuses.includes(s.statusCode)) &&
        attributeMatchers.every((m) => m(s.attributes))
      );
    })
    .sort((a, b) => b.rowid - a.rowid);
  const cursor = q.get('cursor');
  if (cursor) {
    const c = cursorRowid(cursor);
    if (c === undefined) throw httpError(422, 'Invalid cursor');
    rows = rows.filter((s) => s.rowid <= c);
  }
  return page(rows, limit, 'Span');
}

export function spanJson(store: PhoenixStore, s: PhoenixSpan): Json {
  const { attributes, spanKind } = apiSpanAttributes(s.attributes);
  return {
    id: globalId('Span', s.rowid),
    name: s.name,
    context: { trace_id: store.traceByRowid(s.traceRowid)?.traceId ?? '', span_id: s.spanId },
    span_kind: spanKind,
    parent_id: s.parentId,
    start_time: isoMicros(s.startTime),
    end_time: isoMicros(s.endTime),
    status_code: s.statusCode,
    status_message: s.statusMessage,
    attributes,
    events: s.events.map((e) => ({ name: e.name, timestamp: isoMicros(e.timestamp), attributes: e.attributes })),
  };
}

export function listSpans(store: PhoenixStore, identifier: string, q: URLSearchParams): Json {
  const { rows, next } = filteredSpans(store, identifier, q, true);
  return { next_cursor: next, data: rows.map((s) => spanJson(store, s)) };
}

/** Python's str() of a primitive, for spans._to_array_value's mixed arrays. */
function pyStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

/** spans._to_any_value; `double`: the value was sent as a double (a float in Python even when whole). */
function anyValue(value: unknown, double = false): Json {
  const out: Json = {
    array_value: null,
    bool_value: null,
    bytes_value: null,
    double_value: null,
    int_value: null,
    kvlist_value: null,
    string_value: null,
  };
  if (typeof value === 'boolean') out.bool_value = value;
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && !double) out.int_value = value;
    else out.double_value = value;
  } else if (typeof value === 'string') out.string_value = value;
  else if (Array.isArray(value)) out.array_value = { values: arrayValues(value, double) };
  return out;
}

/** spans._to_array_value: a homogeneous list converted item by item, a mixed one as strings. */
function arrayValues(values: unknown[], double: boolean): Json[] {
  const processed = values.map((v) => (Array.isArray(v) ? pyStr(v) : v));
  const kind = (v: unknown): string =>
    typeof v === 'number' ? (double || !Number.isInteger(v) ? 'float' : 'int') : v === null ? 'null' : typeof v;
  if (processed.every((v) => kind(v) === kind(processed[0]))) return processed.map((v) => anyValue(v, double));
  return processed.map((v) => anyValue(pyStr(v)));
}

function nanos(micros: number): number {
  return Math.trunc((micros / 1e6) * 1e9);
}

function otlpSpanJson(store: PhoenixStore, s: PhoenixSpan): Json {
  const attributes = [...flatten(s.attributes)].map(([key, value]) => ({
    key,
    value: anyValue(value, s.doubleKeys.has(key)),
  }));
  const events =
    s.events.length === 0
      ? null
      : s.events.map((e) => ({
          attributes: [...flatten(e.attributes)].map(([key, value]) => ({ key, value: anyValue(value) })),
          dropped_attributes_count: null,
          name: e.name,
          time_unix_nano: nanos(e.timestamp),
        }));
  return {
    attributes,
    dropped_attributes_count: null,
    dropped_events_count: null,
    dropped_links_count: null,
    end_time_unix_nano: nanos(s.endTime),
    events,
    flags: null,
    kind: 'SPAN_KIND_INTERNAL',
    links: null,
    name: s.name,
    parent_span_id: s.parentId,
    span_id: s.spanId,
    start_time_unix_nano: nanos(s.startTime),
    status: { code: ['UNSET', 'OK', 'ERROR'].indexOf(s.statusCode), message: s.statusMessage || null },
    trace_id: store.traceByRowid(s.traceRowid)?.traceId ?? '',
    trace_state: null,
  };
}

export function listSpansOtlp(store: PhoenixStore, identifier: string, q: URLSearchParams): Json {
  const { rows, next } = filteredSpans(store, identifier, q, false);
  return { next_cursor: next, data: rows.map((s) => otlpSpanJson(store, s)) };
}
