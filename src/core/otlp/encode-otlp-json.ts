// Trace -> OTLP/JSON ExportTraceServiceRequest, the inverse of decode-otlp-json: every span keeps
// its raw attributes, events, links, status, scope and resource, so decoding the body and
// normalizing it again gives back the same normalized trace. Used to send a trace to another
// OTLP receiver (Langfuse's /api/public/otel/v1/traces).
import { createHash } from 'node:crypto';
import type { AttrValue, Attributes, Span, SpanEvent, SpanLink, Trace } from '../model/trace';

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** A JSON number: OTLP receivers accept numbers or strings, and Langfuse's OpenAPI documents an integer. */
  intValue?: number;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: { name: string; timeUnixNano: string; attributes: OtlpKeyValue[] }[];
  links: { traceId: string; spanId: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}
export interface OtlpExportTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpJsonSpan[] }[];
  }[];
}

export interface EncodeOptions {
  /** Attributes merged over a span's raw attributes (later keys win), e.g. a platform's own keys. */
  extraAttributes?: (span: Span) => Attributes | undefined;
  /** Resource for spans that carry none (default: the trace's resource, else empty). */
  resource?: Attributes;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX16 = /^[0-9a-fA-F]{16}$/;

/** An OTLP trace id for any source id: 32 hex chars are kept (lowercased), anything else (Langfuse
 *  accepts arbitrary trace ids) is mapped to a stable hash so the same id always encodes the same. */
export function otlpTraceId(id: string): string {
  return HEX32.test(id) && !/^0+$/.test(id) ? id.toLowerCase() : hashHex(`trace/${id}`, 32);
}

/** An OTLP span id for any source id (16 hex chars kept, others hashed). */
export function otlpSpanId(id: string): string {
  return HEX16.test(id) && !/^0+$/.test(id) ? id.toLowerCase() : hashHex(`span/${id}`, 16);
}

function hashHex(input: string, length: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

const MAX_DEPTH = 64;

export function attrToAnyValue(value: AttrValue, depth = 0): OtlpAnyValue {
  if (value === null || depth > MAX_DEPTH) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { intValue: value } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => attrToAnyValue(v, depth + 1)) } };
  return { kvlistValue: { values: attributesToKeyValues(value, depth + 1) } };
}

export function attributesToKeyValues(attrs: Attributes, depth = 0): OtlpKeyValue[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: attrToAnyValue(value, depth) }));
}

const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;

function encodeEvent(e: SpanEvent): OtlpJsonSpan['events'][number] {
  return { name: e.name, timeUnixNano: e.timeUnixNano, attributes: attributesToKeyValues(e.attributes) };
}

function encodeLink(l: SpanLink): OtlpJsonSpan['links'][number] {
  return {
    traceId: otlpTraceId(l.traceId),
    spanId: otlpSpanId(l.spanId),
    attributes: attributesToKeyValues(l.attributes ?? {}),
  };
}

export function encodeSpan(span: Span, options: EncodeOptions = {}): OtlpJsonSpan {
  const extra = options.extraAttributes?.(span);
  const attributes = extra ? { ...span.attributes, ...extra } : span.attributes;
  const out: OtlpJsonSpan = {
    traceId: otlpTraceId(span.traceId),
    spanId: otlpSpanId(span.id),
    name: span.name,
    kind: span.otelKind ?? 1,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: attributesToKeyValues(attributes),
    events: span.events.map(encodeEvent),
    links: (span.links ?? []).map(encodeLink),
    status: { code: STATUS_CODES[span.status.code] },
  };
  if (span.parentId) out.parentSpanId = otlpSpanId(span.parentId);
  if (span.status.message) out.status.message = span.status.message;
  return out;
}

/** Groups the spans by resource and scope, as an OTLP exporter would. */
export function encodeOtlpJson(trace: Trace, options: EncodeOptions = {}): OtlpExportTraceRequest {
  const fallback = options.resource ?? trace.resource ?? {};
  const byResource = new Map<
    string,
    { resource: Attributes; scopes: Map<string, { scope: Span['scope']; spans: OtlpJsonSpan[] }> }
  >();
  for (const span of trace.spans) {
    const resource = span.resource ?? fallback;
    const rKey = JSON.stringify(resource);
    let group = byResource.get(rKey);
    if (!group) byResource.set(rKey, (group = { resource, scopes: new Map() }));
    const scope = span.scope ?? { name: '' };
    const sKey = JSON.stringify([scope.name, scope.version ?? null]);
    let scoped = group.scopes.get(sKey);
    if (!scoped) group.scopes.set(sKey, (scoped = { scope, spans: [] }));
    scoped.spans.push(encodeSpan(span, options));
  }
  return {
    resourceSpans: [...byResource.values()].map((g) => ({
      resource: { attributes: attributesToKeyValues(g.resource) },
      scopeSpans: [...g.scopes.values()].map((s) => ({
        scope: s.scope?.version ? { name: s.scope.name, version: s.scope.version } : { name: s.scope?.name ?? '' },
        spans: s.spans,
      })),
    })),
  };
}
