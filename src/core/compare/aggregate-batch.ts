// Aggregates many comparisons (one batch: many traces replayed with the same overrides) into
// paired deltas per evaluator and per metric, with bootstrap CIs and win / loss / tie counts, and
// the regression gate the CLI's --fail-on-regression uses.
import { UserError } from '../util/user-error';
import { bootstrapMeanCi, DEFAULT_RESAMPLES, DEFAULT_SEED, mean, type ConfidenceInterval } from './bootstrap';
import {
  METRIC_NAMES,
  type AlignmentStatus,
  type Comparison,
  type Direction,
  type MetricName,
  type MetricUnit,
  type ScoreComparison,
} from './comparison-types';
import { directionFor, LOWER_IS_BETTER, NEUTRAL_UNITS } from './metric-delta';
import { hasToolDrift, TOOL_DRIFT_STATUSES, type ToolDriftCounts } from './tool-drift';

export interface PairedStat {
  /** Evaluator id, or metric name. */
  name: string;
  unit: MetricUnit;
  lowerIsBetter: boolean;
  /** Comparisons where both sides are known. */
  n: number;
  /** Comparisons left out because a side was unknown (unscored, errored, unpriced, other version). */
  unpaired: number;
  meanOriginal: number | null;
  meanReplay: number | null;
  /** Mean of the paired deltas (replay - original). */
  meanDelta: number | null;
  ci: ConfidenceInterval | null;
  /** Pairs where the replay is better / worse / the same. A neutral unit (tokens) has no wins or
   *  losses: its differing pairs are counted in `changed`. */
  wins: number;
  losses: number;
  ties: number;
  /** Pairs that differ, for a neutral unit (tokens) only. */
  changed?: number;
  /** The evaluator scores the replay against the original (similarity...): the original side is the
   *  original against itself, so the number that means something is meanReplay ("replay vs original"). */
  referenceBased?: boolean;
  /** For a reference-based evaluator: the CI of meanReplay (the delta's CI is about the distance to the original's own score). */
  replayCi?: ConfidenceInterval | null;
  direction: Direction;
}

export interface BatchAggregate {
  count: number;
  replayIds: string[];
  /** Jobs that did not complete (failed, cancelled). */
  incomplete: number;
  seed: number;
  resamples: number;
  level: number;
  evaluators: PairedStat[];
  metrics: Record<MetricName, PairedStat>;
  spanCounts: Record<AlignmentStatus, number>;
  toolDrift: BatchToolDrift;
}

/** How many traces' tool calls drifted (any call not matched) among the traces with a tool call on
 *  either side; `share` is null when no trace has one. `counts` adds up every call of the batch. */
export interface BatchToolDrift {
  drifted: number;
  withToolCalls: number;
  share: number | null;
  counts: ToolDriftCounts;
}

export function batchToolDrift(comparisons: readonly Comparison[]): BatchToolDrift {
  const counts: ToolDriftCounts = { matched: 0, changed: 0, missing: 0, new: 0 };
  let drifted = 0;
  let withToolCalls = 0;
  for (const c of comparisons) {
    const rows = c.toolDrift;
    if (!rows.length) continue;
    withToolCalls++;
    if (hasToolDrift(rows)) drifted++;
    for (const s of TOOL_DRIFT_STATUSES) counts[s] += c.toolDriftCounts[s];
  }
  return { drifted, withToolCalls, share: withToolCalls ? drifted / withToolCalls : null, counts };
}

export interface AggregateOptions {
  seed?: number;
  resamples?: number;
  /** Confidence level, default 0.95. */
  level?: number;
}

export class InvalidThresholdError extends UserError {
  readonly code = 'INVALID_THRESHOLD';
  override readonly kind = 'usage';
  constructor(value: number) {
    super(`The regression threshold must be a number >= 0 (got ${value}).`);
    this.name = 'InvalidThresholdError';
  }
}

export interface Regression {
  evaluatorId: string;
  meanDelta: number;
  ci: ConfidenceInterval;
  threshold: number;
  n: number;
}

interface Pair {
  original: number;
  replay: number;
}

function stat(
  name: string,
  unit: MetricUnit,
  pairs: Pair[],
  unpaired: number,
  options: Required<AggregateOptions>,
): PairedStat {
  const lowerIsBetter = LOWER_IS_BETTER[unit];
  const deltas = pairs.map((p) => p.replay - p.original);
  let wins = 0;
  let losses = 0;
  let ties = 0;
  let changed = 0;
  for (const d of deltas) {
    const dir = directionFor(unit, d);
    if (dir === 'better') wins++;
    else if (dir === 'worse') losses++;
    else if (dir === 'changed') changed++;
    else ties++;
  }
  const n = pairs.length;
  const meanDelta = n ? mean(deltas) : null;
  const s: PairedStat = {
    name,
    unit,
    lowerIsBetter,
    n,
    unpaired,
    meanOriginal: n ? mean(pairs.map((p) => p.original)) : null,
    meanReplay: n ? mean(pairs.map((p) => p.replay)) : null,
    meanDelta,
    ci: bootstrapMeanCi(deltas, options),
    wins,
    losses,
    ties,
    direction: directionFor(unit, meanDelta),
  };
  if (NEUTRAL_UNITS.has(unit)) s.changed = changed;
  return s;
}

const comparable = (s: ScoreComparison): boolean =>
  !s.versionMismatch && s.original?.value != null && s.replay?.value != null;

/** One pair per comparison and evaluator: the trace-level score, else the mean of its span scores
 *  (pairs stay per trace so traces with many LLM spans do not weigh more, and resampling stays
 *  over independent units). */
function evaluatorPair(c: Comparison, evaluatorId: string): Pair | undefined {
  const traceScore = c.scores.find((s) => s.evaluatorId === evaluatorId);
  if (traceScore)
    return comparable(traceScore)
      ? { original: traceScore.original!.value!, replay: traceScore.replay!.value! }
      : undefined;
  const spanScores = c.spans.flatMap((r) => r.scores).filter((s) => s.evaluatorId === evaluatorId && comparable(s));
  if (!spanScores.length) return undefined;
  return {
    original: mean(spanScores.map((s) => s.original!.value!)),
    replay: mean(spanScores.map((s) => s.replay!.value!)),
  };
}

export function aggregateBatch(comparisons: readonly Comparison[], options: AggregateOptions = {}): BatchAggregate {
  const opts: Required<AggregateOptions> = {
    seed: options.seed ?? DEFAULT_SEED,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    level: options.level ?? 0.95,
  };
  const evaluatorIds = new Set<string>();
  for (const c of comparisons) {
    for (const s of c.scores) evaluatorIds.add(s.evaluatorId);
    for (const r of c.spans) for (const s of r.scores) evaluatorIds.add(s.evaluatorId);
  }
  const evaluators = [...evaluatorIds].sort().map((id) => {
    const pairs: Pair[] = [];
    let unpaired = 0;
    for (const c of comparisons) {
      const p = evaluatorPair(c, id);
      if (p) pairs.push(p);
      else unpaired++;
    }
    const s = stat(id, 'score', pairs, unpaired, opts);
    if (
      comparisons.some((c) =>
        [...c.scores, ...c.spans.flatMap((r) => r.scores)].some((x) => x.evaluatorId === id && x.referenceBased),
      )
    ) {
      s.referenceBased = true;
      s.replayCi = bootstrapMeanCi(
        pairs.map((p) => p.replay),
        opts,
      );
    }
    return s;
  });

  const metrics = {} as Record<MetricName, PairedStat>;
  for (const name of METRIC_NAMES) {
    const pairs: Pair[] = [];
    let unpaired = 0;
    for (const c of comparisons) {
      const m = c.metrics[name];
      if (m.original !== null && m.replay !== null) pairs.push({ original: m.original, replay: m.replay });
      else unpaired++;
    }
    const unit =
      comparisons[0]?.metrics[name].unit ?? (name === 'costUsd' ? 'usd' : name.endsWith('Ms') ? 'ms' : 'tokens');
    metrics[name] = stat(name, unit, pairs, unpaired, opts);
  }

  const spanCounts: Record<AlignmentStatus, number> = {
    replayed: 0,
    reused: 0,
    failed: 0,
    cancelled: 0,
    missing: 0,
    extra: 0,
  };
  for (const c of comparisons)
    for (const k of Object.keys(spanCounts) as AlignmentStatus[]) spanCounts[k] += c.counts[k];

  return {
    count: comparisons.length,
    replayIds: comparisons.map((c) => c.replayId),
    incomplete: comparisons.filter((c) => c.jobStatus !== 'COMPLETED').length,
    seed: opts.seed,
    resamples: opts.resamples,
    level: opts.level,
    evaluators,
    metrics,
    spanCounts,
    toolDrift: batchToolDrift(comparisons),
  };
}

/** CI gate: an evaluator regresses when its mean delta is below -threshold AND the whole CI is
 *  below 0, so noise around zero never fails a build and a tiny but certain drop under the
 *  tolerance does not either. */
export function regressions(aggregate: BatchAggregate, threshold: number): Regression[] {
  if (!Number.isFinite(threshold) || threshold < 0) throw new InvalidThresholdError(threshold);
  const out: Regression[] = [];
  for (const e of aggregate.evaluators) {
    if (isRegression(e, threshold))
      out.push({ evaluatorId: e.name, meanDelta: e.meanDelta!, ci: e.ci!, threshold, n: e.n });
  }
  return out;
}

export function isRegression(stat: PairedStat, threshold: number): boolean {
  return stat.meanDelta !== null && stat.ci !== null && stat.meanDelta < -threshold && stat.ci.high < 0;
}
