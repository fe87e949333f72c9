// STUB (to be replaced by the real normalizer): turns a decoded OTLP span into a normalized Span.
import type { RawSpan, Span } from '../model/trace';
import { nanosToMillis } from '../model/time';

export function normalizeSpan(raw: RawSpan): Span {
  return {
    id: raw.spanId,
    traceId: raw.traceId,
    parentId: raw.parentSpanId,
    name: raw.name,
    kind: 'other',
    startTime: nanosToMillis(raw.startTimeUnixNano),
    endTime: nanosToMillis(raw.endTimeUnixNano),
    startTimeUnixNano: raw.startTimeUnixNano,
    endTimeUnixNano: raw.endTimeUnixNano,
    status: raw.status,
    attributes: raw.attributes,
    events: raw.events,
    links: raw.links.length ? raw.links : undefined,
    otelKind: raw.otelKind,
    scope: raw.scope,
    conventions: [],
  };
}
