// What the fake Phoenix server holds about traces: projects, traces and spans in memory with
// Phoenix's row ids, and the OTLP ingest that fills them the way Phoenix's span insertion does
// (src/phoenix/db/insertion/span.py, trace/otel.py): the project is the x-project-name header, else
// the resource attribute openinference.project.name, else "default" (a trace stays in the project of
// its first span); gen_ai.* attributes gain their OpenInference equivalents (phoenix-genai.ts); a trace's start/end widen with each span; a span id seen before is ignored;
// LLM spans keep llm.token_count.prompt/completion for the trace token sums; exception events keep
// only the exception.* attributes.
import type { Attributes } from '../../../src/core/model/trace';
import { field, isPlainObject, keyValuesToAttributes, readId, readNanos } from '../../../src/core/otlp/otlp-values';
import { attributeAt, storedSpanAttributes, type Stored } from './phoenix-attributes';
import { nanosToMicros } from './phoenix-ids';

export const DEFAULT_PROJECT_NAME = 'default';

export interface PhoenixProject {
  rowid: number;
  name: string;
  description: string | null;
}

export interface PhoenixTrace {
  rowid: number;
  traceId: string;
  projectRowid: number;
  /** Microseconds since the epoch. */
  startTime: number;
  endTime: number;
}

export interface PhoenixSpanEvent {
  name: string;
  timestamp: number;
  attributes: Record<string, unknown>;
}

export interface PhoenixSpan {
  rowid: number;
  traceRowid: number;
  spanId: string;
  parentId: string | null;
  name: string;
  /** Phoenix's SpanKind column: the openinference.span.kind attribute upper-cased, UNKNOWN otherwise. */
  spanKind: string;
  startTime: number;
  endTime: number;
  /** As Phoenix stores them: nested (see phoenix-attributes.ts). */
  attributes: Stored;
  events: PhoenixSpanEvent[];
  statusCode: 'UNSET' | 'OK' | 'ERROR';
  statusMessage: string;
  llmTokenCountPrompt: number | null;
  llmTokenCountCompletion: number | null;
  /** Attribute keys sent as doubleValue (or arrays of them): Python keeps 1.0 a float, which the
   *  /spans/otlpv1 answer writes as double_value where a JS number would pass for an int. */
  doubleKeys: Set<string>;
}

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
const STATUS = ['UNSET', 'OK', 'ERROR'] as const;
const EXCEPTION_KEYS = ['exception.type', 'exception.message', 'exception.escaped', 'exception.stacktrace'];

/** phoenix.trace.schemas.SpanKind(value) with its _missing_: a known kind in any case, UNKNOWN for a
 *  non-string, empty or upper-case unknown value; undefined where Python raises (an unknown value
 *  that is not all upper case: _missing_ retries it upper-cased, which is not a member either). */
function spanKindOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'UNKNOWN';
  if (SPAN_KINDS.has(value)) return value;
  if (isAscii(value) && !pythonIsUpper(value))
    return SPAN_KINDS.has(value.toUpperCase()) ? value.toUpperCase() : undefined;
  return 'UNKNOWN';
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Python's str.isupper(): at least one cased character, and none lower case. */
function pythonIsUpper(text: string): boolean {
  let cased = false;
  for (const c of text) {
    if (c.toLowerCase() === c.toUpperCase()) continue;
    if (c !== c.toUpperCase()) return false;
    cased = true;
  }
  return cased;
}

/** decode_otlp_span raised: Phoenix's background task stops, the request's later spans are lost. */
class SpanDecodeFailure extends Error {}

function tokenCount(attributes: Stored, key: string): number {
  const v = attributeAt(attributes, key);
  if (!v) return 0;
  const n =
    typeof v === 'number'
      ? Math.trunc(v)
      : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)
        ? Number(v)
        : typeof v === 'boolean'
          ? 1
          : NaN;
  return Number.isFinite(n) ? n : 0;
}

export class PhoenixStore {
  readonly projects: PhoenixProject[] = [{ rowid: 1, name: DEFAULT_PROJECT_NAME, description: null }];
  readonly traces: PhoenixTrace[] = [];
  readonly spans: PhoenixSpan[] = [];
  /** Spans the ingest could not read (no trace or span id, no times), one sentence each. */
  readonly ingestErrors: string[] = [];

  projectByName(name: string): PhoenixProject | undefined {
    return this.projects.find((p) => p.name === name);
  }

  projectByRowid(rowid: number): PhoenixProject | undefined {
    return this.projects.find((p) => p.rowid === rowid);
  }

  addProject(name: string, description: string | null = null): PhoenixProject {
    const existing = this.projectByName(name);
    if (existing) return existing;
    const project = { rowid: Math.max(0, ...this.projects.map((p) => p.rowid)) + 1, name, description };
    this.projects.push(project);
    return project;
  }

  traceByRowid(rowid: number): PhoenixTrace | undefined {
    return this.traces.find((t) => t.rowid === rowid);
  }

  spansOfTrace(traceRowid: number): PhoenixSpan[] {
    return this.spans.filter((s) => s.traceRowid === traceRowid);
  }

  /** Ingests one ExportTraceServiceRequest in OTLP/JSON shape (the protobuf path decodes to it);
   *  `projectHeader` is the x-project-name header. Returns how many spans were stored. */
  ingestRequest(request: unknown, projectHeader?: string): number {
    let stored = 0;
    const resourceSpans = isPlainObject(request) ? field(request, 'resourceSpans') : undefined;
    for (const rs of Array.isArray(resourceSpans) ? resourceSpans : []) {
      if (!isPlainObject(rs)) continue;
      const resource = field(rs, 'resource');
      const resourceAttributes = isPlainObject(resource) ? keyValuesToAttributes(field(resource, 'attributes')) : {};
      const fromResource = resourceAttributes['openinference.project.name'];
      const projectName =
        projectHeader ?? (typeof fromResource === 'string' && fromResource ? fromResource : DEFAULT_PROJECT_NAME);
      const scopeSpans = field(rs, 'scopeSpans');
      for (const ss of Array.isArray(scopeSpans) ? scopeSpans : []) {
        const spans = isPlainObject(ss) ? field(ss, 'spans') : undefined;
        for (const span of Array.isArray(spans) ? spans : []) {
          try {
            if (isPlainObject(span) && this.ingestSpan(span, projectName)) stored++;
          } catch (err) {
            if (!(err instanceof SpanDecodeFailure)) throw err;
            this.ingestErrors.push(err.message);
            return stored;
          }
        }
      }
    }
    return stored;
  }

  private ingestSpan(span: Record<string, unknown>, projectName: string): boolean {
    const traceId = readId(field(span, 'traceId'), 16, 'traceId');
    const spanId = readId(field(span, 'spanId'), 8, 'spanId');
    const parent = field(span, 'parentSpanId');
    const parentId = parent === undefined || parent === '' ? undefined : readId(parent, 8, 'parentSpanId');
    const start = readNanos(field(span, 'startTimeUnixNano') ?? '0');
    const end = readNanos(field(span, 'endTimeUnixNano') ?? '0');
    if (!traceId.ok || !spanId.ok || (parentId && !parentId.ok) || start === undefined || end === undefined) {
      const reason = [traceId, spanId, parentId].find((r) => r && !r.ok) as { reason: string } | undefined;
      this.ingestErrors.push(
        `span ${JSON.stringify(field(span, 'name') ?? '')} not stored: ${reason?.reason ?? 'unreadable start/end time'}`,
      );
      return false;
    }
    const doubles = doubleKeys(field(span, 'attributes'));
    const attributes = storedSpanAttributes(keyValuesToAttributes(field(span, 'attributes')), doubles);
    const kindValue = attributeAt(attributes, 'openinference.span.kind');
    const spanKind = spanKindOf(kindValue);
    if (spanKind === undefined) {
      throw new SpanDecodeFailure(
        `span ${JSON.stringify(field(span, 'name') ?? '')}: openinference.span.kind ${JSON.stringify(kindValue)} is not a Phoenix span kind; ` +
          'Phoenix fails to decode it and drops it with the rest of its request. Send one of LLM, CHAIN, TOOL, AGENT, RETRIEVER, EMBEDDING, RERANKER, GUARDRAIL, EVALUATOR, PROMPT, UNKNOWN.',
      );
    }
    const startTime = nanosToMicros(start);
    const endTime = nanosToMicros(end);

    let trace = this.traces.find((t) => t.traceId === traceId.hex);
    if (trace) {
      trace.endTime = Math.max(trace.endTime, endTime);
      trace.startTime = Math.min(trace.startTime, startTime);
    } else {
      const project = this.addProject(projectName);
      trace = { rowid: this.traces.length + 1, traceId: traceId.hex, projectRowid: project.rowid, startTime, endTime };
      this.traces.push(trace);
    }
    if (this.spans.some((s) => s.spanId === spanId.hex)) return false;

    const status = field(span, 'status');
    const code = isPlainObject(status) ? Number(field(status, 'code') ?? 0) : 0;
    const message = isPlainObject(status) ? field(status, 'message') : undefined;
    const isLlm = spanKind === 'LLM';
    this.spans.push({
      rowid: this.spans.length + 1,
      traceRowid: trace.rowid,
      spanId: spanId.hex,
      parentId: parentId?.ok ? parentId.hex : null,
      name: String(field(span, 'name') ?? ''),
      spanKind,
      startTime,
      endTime,
      attributes,
      events: readEvents(field(span, 'events')),
      statusCode: STATUS[code] ?? 'UNSET',
      statusMessage: typeof message === 'string' ? message : '',
      llmTokenCountPrompt: isLlm ? tokenCount(attributes, 'llm.token_count.prompt') : null,
      llmTokenCountCompletion: isLlm ? tokenCount(attributes, 'llm.token_count.completion') : null,
      doubleKeys: doubles,
    });
    return true;
  }
}

function isDouble(value: unknown): boolean {
  return isPlainObject(value) && field(value, 'doubleValue') !== undefined;
}

function doubleKeys(list: unknown): Set<string> {
  const keys = new Set<string>();
  for (const kv of Array.isArray(list) ? list : []) {
    if (!isPlainObject(kv) || typeof kv.key !== 'string' || !isPlainObject(kv.value)) continue;
    const array = field(kv.value, 'arrayValue');
    const values = isPlainObject(array) ? field(array, 'values') : undefined;
    if (isDouble(kv.value) || (Array.isArray(values) && values.length > 0 && values.every(isDouble))) keys.add(kv.key);
  }
  return keys;
}

function readEvents(events: unknown): PhoenixSpanEvent[] {
  const out: PhoenixSpanEvent[] = [];
  for (const e of Array.isArray(events) ? events : []) {
    if (!isPlainObject(e)) continue;
    const name = String(field(e, 'name') ?? '');
    const attributes: Attributes = keyValuesToAttributes(field(e, 'attributes'));
    const timestamp = nanosToMicros(readNanos(field(e, 'timeUnixNano') ?? '0') ?? '0');
    if (name === 'exception') {
      const kept: Record<string, unknown> = {};
      for (const key of EXCEPTION_KEYS) {
        const value = key === 'exception.message' ? attributes[key] || '' : attributes[key];
        if (value !== undefined && value !== null) kept[key] = value;
      }
      out.push({ name, timestamp, attributes: kept });
    } else {
      out.push({ name, timestamp, attributes });
    }
  }
  return out;
}
