// Pairs the scores of the original and the replayed trace per evaluator and target (the trace's
// final output, or one span, the replay span mapped back to the span it replays).
import type { EvaluationResult, Score } from '../eval/evaluation-types';
import type { ScoreComparison, ScoreSide } from './comparison-types';
import { metricDelta } from './metric-delta';

/** Evaluator types that score an output against the original's output at the same place: on the
 *  original side they score the original against itself (always 1), so only the replay's value means
 *  something. llm-judge (a rubric), json, regex and contains score each side on its own; a javascript
 *  evaluator may or may not read the reference, so both of its sides are shown. */
export const REFERENCE_BASED_TYPES: ReadonlySet<string> = new Set(['similarity', 'tool-calls-match']);

export interface PairedScores {
  /** Trace-level (final output). */
  trace: ScoreComparison[];
  /** Span-level, keyed by the original span id (or the replay span id for a span only the replay has). */
  bySpan: Map<string, ScoreComparison[]>;
}

function side(score: Score): ScoreSide {
  const s: ScoreSide = { value: score.value };
  if (score.reason !== undefined) s.reason = score.reason;
  if (score.error !== undefined) s.error = score.error;
  return s;
}

/** @param replayToOriginal replay span id -> original span id, from the alignment. */
export function pairScores(
  evaluation: EvaluationResult | undefined,
  replayToOriginal: ReadonlyMap<string, string>,
): PairedScores {
  const out: PairedScores = { trace: [], bySpan: new Map() };
  if (!evaluation) return out;
  type Entry = { original?: Score; replay?: Score; spanKey?: string; originalSpanId?: string };
  const entries = new Map<string, Entry>();
  const entryFor = (evaluatorId: string, spanKey: string | undefined, originalSpanId: string | undefined): Entry => {
    const k = `${evaluatorId}\u0000${spanKey ?? ''}`;
    let e = entries.get(k);
    if (!e) {
      e = { spanKey, originalSpanId };
      entries.set(k, e);
    }
    return e;
  };
  for (const s of evaluation.original) {
    const spanId = s.target.spanId;
    entryFor(s.evaluatorId, spanId, spanId).original ??= s;
  }
  for (const s of evaluation.replay) {
    const spanId = s.target.spanId;
    const mapped = spanId !== undefined ? replayToOriginal.get(spanId) : undefined;
    // Spans only the replay has are keyed by their replay id, never confused with an original id.
    const spanKey = spanId === undefined ? undefined : (mapped ?? `replay:${spanId}`);
    entryFor(s.evaluatorId, spanKey, mapped).replay ??= s;
  }

  for (const e of entries.values()) {
    const any = (e.original ?? e.replay)!;
    const mismatch =
      e.original !== undefined && e.replay !== undefined && e.original.evaluatorVersion !== e.replay.evaluatorVersion;
    const delta = metricDelta(
      'score',
      e.original ? { value: e.original.value, reason: e.original.error } : { value: null, reason: 'not scored' },
      e.replay ? { value: e.replay.value, reason: e.replay.error } : { value: null, reason: 'not scored' },
    );
    // Different evaluator versions (options or judge changed in between) cannot be compared.
    if (mismatch) delta.direction = 'unknown';
    const c: ScoreComparison = {
      evaluatorId: any.evaluatorId,
      evaluatorType: any.evaluatorType,
      evaluatorVersion: (e.replay ?? e.original)!.evaluatorVersion,
      delta,
    };
    if (e.originalSpanId !== undefined) c.originalSpanId = e.originalSpanId;
    if (e.original) c.original = side(e.original);
    if (e.replay) c.replay = side(e.replay);
    if (mismatch) c.versionMismatch = true;
    if (REFERENCE_BASED_TYPES.has(c.evaluatorType)) c.referenceBased = true;
    if (e.spanKey === undefined) {
      out.trace.push(c);
    } else {
      const spanKey = e.spanKey.startsWith('replay:') ? e.spanKey.slice('replay:'.length) : e.spanKey;
      const list = out.bySpan.get(spanKey) ?? [];
      list.push(c);
      out.bySpan.set(spanKey, list);
    }
  }
  const byId = (a: ScoreComparison, b: ScoreComparison): number =>
    a.evaluatorId < b.evaluatorId ? -1 : a.evaluatorId > b.evaluatorId ? 1 : 0;
  out.trace.sort(byId);
  for (const list of out.bySpan.values()) list.sort(byId);
  return out;
}
