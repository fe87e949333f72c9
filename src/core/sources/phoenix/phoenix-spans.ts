// Phoenix spans (GET /v1/projects/{id}/spans) -> the RawSpans our normalizer reads, so a trace read
// from Phoenix normalizes to the same LLM calls as the same spans received over OTLP.
//
// What Phoenix changed on ingest (src/phoenix/trace/otel.py, trace/attributes.py) and how it is
// undone here:
// - attributes come back flattened to dotted keys (arrays of objects as index segments), which is
//   the OTLP spelling already; nested objects in an answer are flattened the same way;
// - the JSON-string attributes (keys ending in metadata, tool.parameters,
//   llm.prompt_template.variables, document.metadata) were parsed and come back spread into dotted
//   sub-keys: they are put back together and serialized to JSON again;
// - openinference.span.kind was moved to `span_kind` ("UNKNOWN" when absent): put back;
// - on a span with OTel GenAI attributes (gen_ai.*), Phoenix added the OpenInference attributes it
//   derives from them (trace/gen_ai/conversion.py, only where a key was absent): exactly those keys
//   are dropped again from such spans, so the normalizer reads the span's own convention as a local
//   import does (an instrumentation that sent both keeps its gen_ai copy of the same call);
// - the instrumentation scope, the resource and the OTel span kind are not kept by Phoenix. The
//   normalizer reads the scope only to recognize the OpenInference Python instrumentations of
//   OpenAI and google-genai, whose span names ("ChatCompletion", "GenerateContent", ...) and
//   llm.system/llm.provider identify them as surely, so the scope is restored from those; the
//   resource and the OTel kind stay unknown (the trace's service name is then unknown too).
// - times are microseconds (Python datetimes); nanoseconds below that are lost (no call content is).
import type { AttrValue, Attributes, RawSpan, SpanEvent, SpanStatus } from '../../model/trace';
import type { PhoenixSpan } from './phoenix-api-types';

const JSON_STRING_SUFFIXES = ['document.metadata', 'llm.prompt_template.variables', 'metadata', 'tool.parameters'];
const SPAN_KIND = 'openinference.span.kind';

/** The OpenInference keys Phoenix synthesizes from gen_ai.* (get_openinference_attributes). */
const SYNTHESIZED_KEYS = new Set([
  SPAN_KIND,
  'llm.provider',
  'llm.system',
  'session.id',
  'llm.model_name',
  'embedding.model_name',
  'llm.invocation_parameters',
  'embedding.invocation_parameters',
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.token_count.total',
  'llm.token_count.prompt_details.cache_read',
  'llm.token_count.prompt_details.cache_write',
  'llm.finish_reason',
  'input.value',
  'input.mime_type',
  'output.value',
  'output.mime_type',
  'tool.name',
  'tool.description',
  'tool.id',
  'tool.parameters',
]);
const SYNTHESIZED_PREFIXES = ['llm.input_messages.', 'llm.output_messages.', 'llm.tools.', 'retrieval.documents.'];

function synthesized(key: string): boolean {
  return SYNTHESIZED_KEYS.has(key) || SYNTHESIZED_PREFIXES.some((p) => key.startsWith(p));
}

const PY_OPENAI_SPANS = new Set(['ChatCompletion', 'Completion', 'Response', 'Embedding', 'CreateEmbeddings']);
const PY_GENAI_SPANS = new Set(['GenerateContent', 'GenerateContentStream']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Any JSON value as an attribute value (objects and arrays kept as they are). */
function attrValue(v: unknown): AttrValue {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(attrValue);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, attrValue(x)]));
  return String(v);
}

/** Dotted keys, as Phoenix's flatten(recurse_on_sequence=True): objects recurse, arrays holding
 *  objects become index segments (their primitives dropped, as Phoenix does), other arrays stay. */
export function flattenPhoenixAttributes(obj: Record<string, unknown>, prefix = '', out: Attributes = {}): Attributes {
  for (const [key, value] of Object.entries(obj)) {
    const k = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) continue;
    if (isRecord(value)) flattenPhoenixAttributes(value, k, out);
    else if (Array.isArray(value) && value.some(isRecord)) {
      value.forEach((item, i) => {
        if (isRecord(item)) flattenPhoenixAttributes(item, `${k}.${i}`, out);
      });
    } else out[k] = attrValue(value);
  }
  return out;
}

/** The shortest dotted prefix of `key` that is a JSON-string attribute, if any. */
function jsonStringRoot(key: string): string | undefined {
  const parts = key.split('.');
  for (let n = 1; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('.');
    if (JSON_STRING_SUFFIXES.some((s) => prefix.endsWith(s))) return prefix;
  }
  return undefined;
}

/** Phoenix's unflatten for one JSON-string attribute's sub-keys: a numeric segment followed by
 *  more segments is an array index, anything else an object key. */
function unflattenGroup(entries: [string, AttrValue][]): AttrValue {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const parts = path.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]) && i + 2 < parts.length;
      const slot: string | number = Array.isArray(node) ? Number(part) : part;
      if (last) {
        (node as Record<string | number, unknown>)[slot] = value;
        break;
      }
      let child = (node as Record<string | number, unknown>)[slot];
      if (!isRecord(child) && !Array.isArray(child)) {
        child = nextIsIndex ? [] : {};
        (node as Record<string | number, unknown>)[slot] = child;
      }
      node = child as Record<string, unknown> | unknown[];
    }
  }
  return attrValue(compact(root));
}

/** Arrays built from sparse indices lose their holes, as Phoenix's sorted(indices) does. */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

/** Phoenix's answer attributes -> the flat OTLP attributes an exporter sent. */
export function otlpAttributesOf(span: Pick<PhoenixSpan, 'attributes' | 'span_kind'>): Attributes {
  const flat = flattenPhoenixAttributes(span.attributes ?? {});
  const out: Attributes = {};
  const groups = new Map<string, [string, AttrValue][]>();
  for (const [key, value] of Object.entries(flat)) {
    const root = jsonStringRoot(key);
    if (root === undefined) {
      out[key] = value;
      continue;
    }
    if (root === key) {
      // Stored as it came (unparseable JSON text) or a JSON array/number: its JSON text again.
      out[key] = typeof value === 'string' ? value : JSON.stringify(value);
      continue;
    }
    let list = groups.get(root);
    if (!list) groups.set(root, (list = []));
    list.push([key.slice(root.length + 1), value]);
  }
  for (const [root, entries] of groups) out[root] = JSON.stringify(unflattenGroup(entries));
  if (Object.keys(out).some((k) => k.startsWith('gen_ai.'))) {
    for (const k of Object.keys(out)) if (synthesized(k)) delete out[k];
    return out;
  }
  if (span.span_kind && span.span_kind !== 'UNKNOWN' && out[SPAN_KIND] === undefined) out[SPAN_KIND] = span.span_kind;
  return out;
}

/** The instrumentation scope Phoenix dropped, where the normalizer needs it (see the header). */
export function inferredScope(name: string, attrs: Attributes): { name: string } {
  if (attrs['llm.system'] === 'openai' && PY_OPENAI_SPANS.has(name))
    return { name: 'openinference.instrumentation.openai' };
  if (attrs['llm.provider'] === 'google' && PY_GENAI_SPANS.has(name))
    return { name: 'openinference.instrumentation.google_genai' };
  return { name: '' };
}

/** An ISO time with up to nanosecond digits -> Unix nanoseconds as a decimal string. */
export function isoToUnixNano(iso: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(iso);
  const whole = Date.parse(m ? `${m[1]}${m[3]}` : iso);
  if (!Number.isFinite(whole)) return '0';
  const frac = (m?.[2] ?? '').slice(0, 9).padEnd(9, '0');
  return (BigInt(whole) * 1_000_000n + BigInt(frac)).toString();
}

function status(span: PhoenixSpan): SpanStatus {
  const code = span.status_code === 'OK' ? 'ok' : span.status_code === 'ERROR' ? 'error' : 'unset';
  const out: SpanStatus = { code };
  if (span.status_message) out.message = span.status_message;
  return out;
}

function event(e: NonNullable<PhoenixSpan['events']>[number]): SpanEvent {
  return {
    name: e.name,
    timeUnixNano: isoToUnixNano(e.timestamp),
    attributes: flattenPhoenixAttributes(e.attributes ?? {}),
  };
}

/** One Phoenix span as the RawSpan an OTLP receiver would have decoded. */
export function phoenixSpanToRaw(span: PhoenixSpan): RawSpan {
  const attributes = otlpAttributesOf(span);
  const raw: RawSpan = {
    traceId: span.context.trace_id.toLowerCase(),
    spanId: span.context.span_id.toLowerCase(),
    name: span.name,
    otelKind: 0,
    startTimeUnixNano: isoToUnixNano(span.start_time),
    endTimeUnixNano: isoToUnixNano(span.end_time),
    attributes,
    events: (span.events ?? []).map(event),
    links: [],
    status: status(span),
    resource: {},
    scope: inferredScope(span.name, attributes),
  };
  if (span.parent_id) raw.parentSpanId = span.parent_id.toLowerCase();
  return raw;
}
