// Merging spans of one trace that arrive in several OTLP requests (BatchSpanProcessor splits a
// trace across exports; exporters retry and re-send). A span is identified by its spanId within
// its trace and stored once.
//
// Policy for a span seen twice: the later copy replaces the stored one only when it is strictly
// more complete, compared in this order:
//   1. it has ended (a real end time at or after its start) and the stored copy has not;
//   2. it has a status (ok/error) and the stored copy is `unset`;
//   3. it carries more facts: attributes + events + links, plus one for a recognized LLM call
//      (events that came from OTLP log records do not count: the span itself never carried them).
// On a tie the stored copy stays, so an exporter retrying the same batch never rewrites anything.
// When the later copy wins, the stored copy's log-derived events move over to it (log-events.ts).
import type { Span } from '../model/trace';
import { keepLogEvents, logEventCount } from './log-events';

export interface SpanMergeResult {
  /** Existing spans with the incoming ones merged in, in no particular order (assembleTrace sorts). */
  spans: Span[];
  /** Incoming spans whose spanId was new to the trace. */
  accepted: number;
  /** Incoming spans whose spanId was already present (in the store or earlier in this batch). */
  duplicates: number;
  /** False when nothing needs writing: every incoming span was a duplicate that did not win. */
  changed: boolean;
}

function hasEnded(span: Span): boolean {
  return /^\d+$/.test(span.endTimeUnixNano) && BigInt(span.endTimeUnixNano) > 0n && span.endTime >= span.startTime;
}

/** Completeness as a tuple compared left to right (see the policy above). */
export function spanCompleteness(span: Span): [number, number, number] {
  const facts =
    Object.keys(span.attributes ?? {}).length +
    (span.events?.length ?? 0) -
    logEventCount(span) +
    (span.links?.length ?? 0) +
    (span.llm ? 1 : 0);
  return [hasEnded(span) ? 1 : 0, span.status?.code && span.status.code !== 'unset' ? 1 : 0, facts];
}

/** True when `candidate` should replace `stored`. */
export function isMoreComplete(candidate: Span, stored: Span): boolean {
  const a = spanCompleteness(candidate);
  const b = spanCompleteness(stored);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return false;
}

export function mergeSpans(existing: readonly Span[], incoming: readonly Span[]): SpanMergeResult {
  const byId = new Map<string, Span>();
  for (const s of existing) byId.set(s.id, s);
  let accepted = 0;
  let duplicates = 0;
  let changed = false;
  for (const s of incoming) {
    const stored = byId.get(s.id);
    if (!stored) {
      accepted++;
      changed = true;
      byId.set(s.id, s);
      continue;
    }
    duplicates++;
    if (isMoreComplete(s, stored)) {
      changed = true;
      byId.set(s.id, keepLogEvents(s, stored));
    }
  }
  return { spans: [...byId.values()], accepted, duplicates, changed };
}
