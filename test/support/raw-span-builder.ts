// Builds RawSpans for normalizer tests: sensible defaults, override what the test is about.
import type { Attributes, RawSpan, SpanEvent } from '../../src/core/model/trace';

let counter = 0;

export interface RawSpanOptions {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  attributes?: Attributes;
  events?: SpanEvent[];
  startMs?: number;
  durationMs?: number;
  scopeName?: string;
  resource?: Attributes;
  otelKind?: number;
}

export function rawSpan(opts: RawSpanOptions = {}): RawSpan {
  counter++;
  const start = opts.startMs ?? 1_700_000_000_000 + counter;
  const end = start + (opts.durationMs ?? 10);
  const span: RawSpan = {
    traceId: opts.traceId ?? 'a'.repeat(32),
    spanId: opts.spanId ?? counter.toString(16).padStart(16, '0'),
    name: opts.name ?? 'span',
    otelKind: opts.otelKind ?? 1,
    startTimeUnixNano: `${start}000000`,
    endTimeUnixNano: `${end}000000`,
    attributes: opts.attributes ?? {},
    events: opts.events ?? [],
    links: [],
    status: { code: 'unset' },
    resource: opts.resource ?? { 'service.name': 'test-app' },
    scope: { name: opts.scopeName ?? 'test' },
  };
  if (opts.parentSpanId) span.parentSpanId = opts.parentSpanId;
  return span;
}

export function spanEvent(name: string, attributes: Attributes): SpanEvent {
  return { name, timeUnixNano: '1700000000000000000', attributes };
}
