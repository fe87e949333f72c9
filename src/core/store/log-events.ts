// OTLP log records as span events. The official GenAI instrumentations record message content as
// log records pointing at their span (traceId + spanId); the store turns each one into a SpanEvent
// on that span (name = event name, attributes = the record's attributes plus its body under
// `event.body`), marked with `trace_replay.log_record: true` so a later, more complete copy of the
// span keeps them (span-merge.ts). The span is then normalized again: the GenAI readers read these
// events like events recorded on the span itself.
import type { Attributes, RawSpan, Span, SpanEvent } from '../model/trace';
import { normalizeSpan } from '../normalize/normalize-span';
import type { RawLogRecord } from '../otlp/otlp-logs-converter';

/** Attribute marking a span event that came from a log record. */
export const LOG_RECORD_MARKER = 'trace_replay.log_record';
/** Attribute holding the log record's body (a JSON value: kvlist bodies become objects). */
export const LOG_BODY_ATTRIBUTE = 'event.body';

/** A log record that can join a span. */
export interface LogSpanEvent {
  traceId: string;
  spanId: string;
  event: SpanEvent;
}

export type LogRecordClass =
  | { kind: 'event'; value: LogSpanEvent }
  /** No trace id or span id: nothing to join it to. */
  | { kind: 'no-span' }
  /** Not a `gen_ai.*` event (application logs sent to the same endpoint). */
  | { kind: 'not-genai' };

export function classifyLogRecord(record: RawLogRecord): LogRecordClass {
  if (!record.eventName.startsWith('gen_ai.')) return { kind: 'not-genai' };
  if (record.traceId === undefined || record.spanId === undefined) return { kind: 'no-span' };
  const attributes: Attributes = { ...record.attributes };
  if (record.body !== undefined) attributes[LOG_BODY_ATTRIBUTE] = record.body;
  attributes[LOG_RECORD_MARKER] = true;
  const time = record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
  return {
    kind: 'event',
    value: {
      traceId: record.traceId,
      spanId: record.spanId,
      event: { name: record.eventName, timeUnixNano: time, attributes },
    },
  };
}

export function isLogEvent(event: SpanEvent): boolean {
  return event.attributes?.[LOG_RECORD_MARKER] === true;
}

// Events are never changed in place, and the same objects are keyed several times (pending
// buffer, join, merge), so each one is serialized once.
const keys = new WeakMap<SpanEvent, string>();

/** Identity of an event for de-duplication (exporters re-send a batch after a timeout). */
export function eventKey(event: SpanEvent): string {
  let key = keys.get(event);
  if (key === undefined) {
    key = `${event.name}\u0000${event.timeUnixNano}\u0000${JSON.stringify(event.attributes)}`;
    keys.set(event, key);
  }
  return key;
}

/** The span again as the decoder gave it (normalized spans keep every raw field). */
export function spanToRaw(span: Span): RawSpan {
  const raw: RawSpan = {
    traceId: span.traceId,
    spanId: span.id,
    name: span.name,
    otelKind: span.otelKind ?? 0,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: span.attributes,
    events: span.events,
    links: span.links ?? [],
    status: span.status,
    resource: span.resource ?? {},
    scope: span.scope ?? { name: '' },
  };
  if (span.parentId) raw.parentSpanId = span.parentId;
  return raw;
}

function compareNanos(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `current` with `events` added (those it does not carry yet); undefined when every event was
 *  already there. Events stay in time order; equal times keep arrival order (one instrumentation
 *  stamps all prompt messages of a call with the same time). */
export function mergeLogEvents(current: readonly SpanEvent[], events: readonly SpanEvent[]): SpanEvent[] | undefined {
  const have = new Set<string>();
  for (const e of current) if (isLogEvent(e)) have.add(eventKey(e));
  const fresh: SpanEvent[] = [];
  for (const e of events) {
    const key = eventKey(e);
    if (have.has(key)) continue;
    have.add(key);
    fresh.push(e);
  }
  if (!fresh.length) return undefined;
  const all = [...current, ...fresh].map((e, i) => [e, i] as const);
  all.sort((x, y) => compareNanos(x[0].timeUnixNano, y[0].timeUnixNano) || x[1] - y[1]);
  return all.map(([e]) => e);
}

/** The raw span with `events` added (see mergeLogEvents), to normalize once with them. */
export function rawWithLogEvents(raw: RawSpan, events: readonly SpanEvent[]): RawSpan {
  const merged = mergeLogEvents(raw.events, events);
  return merged ? { ...raw, events: merged } : raw;
}

/** The span with `events` added, normalized again; undefined when every event was already there. */
export function withLogEvents(span: Span, events: readonly SpanEvent[]): Span | undefined {
  const merged = mergeLogEvents(span.events, events);
  return merged ? renormalize(span, merged) : undefined;
}

function renormalize(span: Span, events: SpanEvent[]): Span {
  const next = normalizeSpan(spanToRaw({ ...span, events }));
  if (!span.resource) delete next.resource;
  if (span.replay) next.replay = span.replay;
  return next;
}

/** When `candidate` replaces `stored` (span-merge), the log-derived events of the stored copy move
 *  over: they arrived separately and the new copy of the span cannot carry them. */
export function keepLogEvents(candidate: Span, stored: Span): Span {
  const logged = stored.events.filter(isLogEvent);
  if (!logged.length) return candidate;
  return withLogEvents(candidate, logged) ?? candidate;
}

/** Adds log events to the spans they name. `joined` counts the events whose span is in `spans`
 *  (also those already on it); `changed` says whether any span changed. */
export function applyLogEvents(
  spans: readonly Span[],
  items: readonly { spanId: string; event: SpanEvent }[],
): { spans: Span[]; joined: number; changed: boolean } {
  const bySpan = eventsBySpan(items);
  let joined = 0;
  let changed = false;
  const out = spans.map((span) => {
    const events = bySpan.get(span.id);
    if (!events) return span;
    joined += events.length;
    const next = withLogEvents(span, events);
    if (!next) return span;
    changed = true;
    return next;
  });
  return { spans: out, joined, changed };
}

/** Events grouped by the span they belong to, in the given order. */
export function eventsBySpan(items: readonly { spanId: string; event: SpanEvent }[]): Map<string, SpanEvent[]> {
  const bySpan = new Map<string, SpanEvent[]>();
  for (const item of items) {
    let list = bySpan.get(item.spanId);
    if (!list) bySpan.set(item.spanId, (list = []));
    list.push(item.event);
  }
  return bySpan;
}

/** Counts the log-derived events of a span (span-merge leaves them out of its completeness). */
export function logEventCount(span: Span): number {
  let n = 0;
  for (const e of span.events ?? []) if (isLogEvent(e)) n++;
  return n;
}
