// Deltas and their direction. Cost and latency: lower is better; scores: higher is better; token
// counts only change (fewer output tokens can be a truncated answer): 'changed', never better / worse.
import type { Direction, MetricDelta, MetricUnit } from './comparison-types';

/** Differences at or below this are 'same' (floating sums of costs and scores are not exact). */
export const EPSILON: Record<MetricUnit, number> = { ms: 1e-6, tokens: 0, usd: 1e-12, score: 1e-9 };

export const LOWER_IS_BETTER: Record<MetricUnit, boolean> = { ms: true, tokens: true, usd: true, score: false };

/** Units whose change is neither better nor worse by itself: a difference is 'changed'. */
export const NEUTRAL_UNITS: ReadonlySet<MetricUnit> = new Set<MetricUnit>(['tokens']);

export interface MetricSide {
  value: number | null;
  /** Why the value is null. */
  reason?: string;
}

export function directionOf(delta: number | null, lowerIsBetter: boolean, epsilon: number): Direction {
  if (delta === null || !Number.isFinite(delta)) return 'unknown';
  if (Math.abs(delta) <= epsilon) return 'same';
  return delta < 0 === lowerIsBetter ? 'better' : 'worse';
}

/** The direction of a delta in this unit: better / worse, or 'changed' for a neutral unit. */
export function directionFor(unit: MetricUnit, delta: number | null): Direction {
  const d = directionOf(delta, LOWER_IS_BETTER[unit], EPSILON[unit]);
  return NEUTRAL_UNITS.has(unit) && (d === 'better' || d === 'worse') ? 'changed' : d;
}

export function metricDelta(unit: MetricUnit, original: MetricSide, replay: MetricSide): MetricDelta {
  const lowerIsBetter = LOWER_IS_BETTER[unit];
  const o = original.value;
  const r = replay.value;
  const delta = o !== null && r !== null ? r - o : null;
  let relativeDelta: number | null = null;
  if (delta !== null && o !== null) {
    if (o !== 0) relativeDelta = delta / Math.abs(o);
    else if (Math.abs(delta) <= EPSILON[unit]) relativeDelta = 0;
  }
  const m: MetricDelta = {
    original: o,
    replay: r,
    delta,
    relativeDelta,
    direction: directionFor(unit, delta),
    lowerIsBetter,
    unit,
  };
  if (o === null && original.reason) m.originalReason = original.reason;
  if (r === null && replay.reason) m.replayReason = replay.reason;
  return m;
}

/** Sums parts of a metric; the total is null (with the reasons) as soon as one part is unknown,
 *  so an unknown price never shows as a cheaper run. */
export function sumSides(parts: MetricSide[]): MetricSide {
  let total = 0;
  const reasons = new Set<string>();
  for (const p of parts) {
    if (p.value === null) reasons.add(p.reason ?? 'unknown');
    else total += p.value;
  }
  return reasons.size ? { value: null, reason: [...reasons].join('; ') } : { value: total };
}
