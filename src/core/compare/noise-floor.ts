// The A/A noise floor of a batch with repeated samples, and the verdict of one evaluator or metric:
// better / worse / same / not enough evidence. LLM answers vary between two runs of the same
// request, so a change of the mean score counts only when it is larger than the change replaying the
// recorded model against itself (A/A, no override) gives today.
//
// The rule (README "Repeated samples and the noise floor" says the same):
//   d  = the A/B deltas (replay - original), per trace its N samples; m = mean over traces of each
//        trace's mean; B = its CI (two-level seeded bootstrap: traces, then samples within a trace).
//   a  = the A/A deltas (baseline sample - original), per trace its M samples.
//   c  = the A/A centre: mean over traces of each trace's mean a (0 for a model that still agrees
//        with its recording on average; below 0 for a reference-based score such as similarity,
//        where the model's own answers already differ from the recorded one).
//   Noise band N = the CI of c (the same bootstrap, same seed): where the mean delta of a batch of
//   this size lands when nothing is changed.
//   In "better is higher" terms (cost and latency are flipped):
//   worse:  B lies wholly below c AND m below N      better: B lies wholly above c AND m above N
//   same:   B lies wholly inside N                   otherwise: not enough evidence.
//   A neutral unit (tokens) says `changed` where another would say better or worse.
// Without A/A samples (no --baseline-repeat) the verdict comes from B alone, as before samples:
//   B wholly below 0: worse; wholly above 0: better; inside +-epsilon of 0: same; else not enough evidence.
import { bootstrapGroupedMeanCi, groupedMean, type BootstrapOptions, type ConfidenceInterval } from './bootstrap';
import type { MetricUnit } from './comparison-types';
import { EPSILON, LOWER_IS_BETTER, NEUTRAL_UNITS } from './metric-delta';

export type Verdict = 'better' | 'worse' | 'same' | 'changed' | 'not-enough-evidence';

export const VERDICT_LABELS: Record<Verdict, string> = {
  better: 'better',
  worse: 'worse',
  same: 'same',
  changed: 'changed',
  'not-enough-evidence': 'not enough evidence',
};

/** What replaying without overrides gives (see the rule above). */
export interface NoiseFloor {
  /** c: mean A/A delta over traces (each trace's mean over its samples). */
  center: number;
  /** The noise band N: the CI of c. */
  low: number;
  high: number;
  level: number;
  /** How far one A/A sample lands from c on average (mean |a - c|): the run-to-run variation, for
   *  the reader; the verdict uses the band. */
  runSpread: number;
  /** Traces with at least one A/A sample, and A/A samples in all. */
  traces: number;
  samples: number;
}

/** Null when no trace has an A/A value. `groups`: per trace, its A/A deltas (baseline - original). */
export function noiseFloor(groups: readonly (readonly number[])[], options: BootstrapOptions = {}): NoiseFloor | null {
  const kept = groups.filter((g) => g.length > 0);
  if (!kept.length) return null;
  const center = groupedMean(kept);
  const ci = bootstrapGroupedMeanCi(kept, options)!;
  return {
    center,
    low: ci.low,
    high: ci.high,
    level: ci.level,
    runSpread: groupedMean(kept.map((g) => g.map((a) => Math.abs(a - center)))),
    traces: kept.length,
    samples: kept.reduce((n, g) => n + g.length, 0),
  };
}

/** The verdict of a mean delta `meanDelta` with CI `ci` in `unit`, against `noise` when there is one. */
export function verdictOf(
  unit: MetricUnit,
  meanDelta: number | null,
  ci: ConfidenceInterval | null,
  noise: NoiseFloor | null | undefined,
): Verdict {
  if (meanDelta === null || ci === null || !Number.isFinite(meanDelta)) return 'not-enough-evidence';
  // "Goodness" space: higher is better whatever the unit.
  const s = LOWER_IS_BETTER[unit] ? -1 : 1;
  const low = Math.min(s * ci.low, s * ci.high);
  const high = Math.max(s * ci.low, s * ci.high);
  const m = s * meanDelta;
  let verdict: Verdict = 'not-enough-evidence';
  if (noise) {
    const ref = s * noise.center;
    const bandLow = Math.min(s * noise.low, s * noise.high);
    const bandHigh = Math.max(s * noise.low, s * noise.high);
    if (high < ref && m < bandLow) verdict = 'worse';
    else if (low > ref && m > bandHigh) verdict = 'better';
    else if (low >= bandLow && high <= bandHigh) verdict = 'same';
  } else {
    const h = EPSILON[unit];
    if (low >= -h && high <= h) verdict = 'same';
    else if (high < 0) verdict = 'worse';
    else if (low > 0) verdict = 'better';
  }
  return NEUTRAL_UNITS.has(unit) && (verdict === 'better' || verdict === 'worse') ? 'changed' : verdict;
}
