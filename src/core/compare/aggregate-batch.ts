// Aggregates many comparisons (one batch: many traces replayed with the same overrides) into
// paired deltas per evaluator and per metric, with bootstrap CIs and win / loss / tie counts, and
// the regression gate the CLI's --fail-on-regression uses. With repeated samples (`--repeat`) each
// trace is one unit: its N A/B samples are averaged and resampled within it, and its M A/A samples
// give the noise floor each verdict must beat (noise-floor.ts).
import type { SampleCounts } from '../replay/replay-samples';
import { UserError } from '../util/user-error';
import {
  bootstrapGroupedMeanCi,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  groupedMean,
  mean,
  type ConfidenceInterval,
} from './bootstrap';
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
import { noiseFloor, verdictOf, type NoiseFloor, type Verdict } from './noise-floor';
import { hasToolDrift, TOOL_DRIFT_STATUSES, type ToolDriftCounts } from './tool-drift';

export interface PairedStat {
  /** Evaluator id, or metric name. */
  name: string;
  unit: MetricUnit;
  lowerIsBetter: boolean;
  /** Traces where both sides are known (with repeated samples: in at least one A/B sample). */
  n: number;
  /** Comparisons (samples) left out because a side was unknown (unscored, errored, unpriced, other version). */
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
  /** better / worse / same / changed / not enough evidence: see the rule in noise-floor.ts. */
  verdict: Verdict;
  /** With A/A samples (--baseline-repeat): the noise band the delta had to leave. */
  noise?: NoiseFloor | null;
  /** With repeated samples: A/B samples paired in all (n counts traces). */
  samples?: number;
}

export interface BatchAggregate {
  /** Replays (every sample, A/B and A/A). */
  count: number;
  /** With repeated samples: the counts per trace and the traces (groups) aggregated. */
  samples?: SampleCounts & { traces: number };
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

/** One stat from per-trace groups of pairs (one pair per trace without repeated samples) and, with
 *  A/A samples, per-trace groups of baseline pairs. Wins / losses / ties count traces by their mean
 *  delta. */
function stat(
  name: string,
  unit: MetricUnit,
  groups: Pair[][],
  unpaired: number,
  options: Required<AggregateOptions>,
  baseline: Pair[][] = [],
): PairedStat {
  const paired = groups.filter((g) => g.length > 0);
  const lowerIsBetter = LOWER_IS_BETTER[unit];
  const deltaGroups = paired.map((g) => g.map((p) => p.replay - p.original));
  let wins = 0;
  let losses = 0;
  let ties = 0;
  let changed = 0;
  for (const d of deltaGroups.map((g) => mean(g))) {
    const dir = directionFor(unit, d);
    if (dir === 'better') wins++;
    else if (dir === 'worse') losses++;
    else if (dir === 'changed') changed++;
    else ties++;
  }
  const n = paired.length;
  const meanDelta = n ? groupedMean(deltaGroups) : null;
  const ci = bootstrapGroupedMeanCi(deltaGroups, options);
  const noise = noiseFloor(
    baseline.map((g) => g.map((p) => p.replay - p.original)),
    options,
  );
  const s: PairedStat = {
    name,
    unit,
    lowerIsBetter,
    n,
    unpaired,
    meanOriginal: n ? groupedMean(paired.map((g) => g.map((p) => p.original))) : null,
    meanReplay: n ? groupedMean(paired.map((g) => g.map((p) => p.replay))) : null,
    meanDelta,
    ci,
    wins,
    losses,
    ties,
    direction: directionFor(unit, meanDelta),
    verdict: verdictOf(unit, meanDelta, ci, noise),
  };
  if (NEUTRAL_UNITS.has(unit)) s.changed = changed;
  if (noise) s.noise = noise;
  if (paired.some((g) => g.length > 1)) s.samples = paired.reduce((k, g) => k + g.length, 0);
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

/** The comparisons of one trace: its A/B samples (a single one without --repeat) and its A/A ones. */
interface TraceGroup {
  ab: Comparison[];
  aa: Comparison[];
}

/** By trace (sample.group) in first-seen order; a comparison without a sample is a group of its own. */
function traceGroups(comparisons: readonly Comparison[]): TraceGroup[] {
  const groups = new Map<string, TraceGroup>();
  for (const [i, c] of comparisons.entries()) {
    const key = c.sample ? `s:${c.sample.group}` : `#${i}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ab: [], aa: [] }));
    (c.sample?.baseline ? g.aa : g.ab).push(c);
  }
  return [...groups.values()];
}

/** Tool drift by trace: a trace drifted when any of its A/B samples did; the counts add every
 *  sample's calls (one sample per trace: exactly batchToolDrift). */
function tracesToolDrift(groups: readonly TraceGroup[]): BatchToolDrift {
  const perTrace = groups.filter((g) => g.ab.length).map((g) => batchToolDrift(g.ab));
  const counts: ToolDriftCounts = { matched: 0, changed: 0, missing: 0, new: 0 };
  for (const d of perTrace) for (const k of TOOL_DRIFT_STATUSES) counts[k] += d.counts[k];
  const drifted = perTrace.filter((d) => d.drifted > 0).length;
  const withToolCalls = perTrace.filter((d) => d.withToolCalls > 0).length;
  return { drifted, withToolCalls, share: withToolCalls ? drifted / withToolCalls : null, counts };
}

export function aggregateBatch(comparisons: readonly Comparison[], options: AggregateOptions = {}): BatchAggregate {
  const opts: Required<AggregateOptions> = {
    seed: options.seed ?? DEFAULT_SEED,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    level: options.level ?? 0.95,
  };
  const groups = traceGroups(comparisons);
  const abComparisons = groups.flatMap((g) => g.ab);
  const evaluatorIds = new Set<string>();
  for (const c of abComparisons) {
    for (const s of c.scores) evaluatorIds.add(s.evaluatorId);
    for (const r of c.spans) for (const s of r.scores) evaluatorIds.add(s.evaluatorId);
  }
  /** Per trace, the pairs `pairOf` finds in each of its A/B (resp. A/A) comparisons; unpaired counts A/B samples. */
  const collect = (pairOf: (c: Comparison) => Pair | undefined) => {
    let unpaired = 0;
    const ab = groups.map((g) =>
      g.ab.flatMap((c) => {
        const p = pairOf(c);
        if (!p) unpaired++;
        return p ? [p] : [];
      }),
    );
    const aa = groups.map((g) => g.aa.flatMap((c) => (pairOf(c) ? [pairOf(c)!] : [])));
    return { ab, aa, unpaired };
  };
  const evaluators = [...evaluatorIds].sort().map((id) => {
    const { ab, aa, unpaired } = collect((c) => evaluatorPair(c, id));
    const s = stat(id, 'score', ab, unpaired, opts, aa);
    if (
      abComparisons.some((c) =>
        [...c.scores, ...c.spans.flatMap((r) => r.scores)].some((x) => x.evaluatorId === id && x.referenceBased),
      )
    ) {
      s.referenceBased = true;
      s.replayCi = bootstrapGroupedMeanCi(
        ab.map((g) => g.map((p) => p.replay)),
        opts,
      );
    }
    return s;
  });

  const metrics = {} as Record<MetricName, PairedStat>;
  for (const name of METRIC_NAMES) {
    const { ab, aa, unpaired } = collect((c) => {
      const m = c.metrics[name];
      return m.original !== null && m.replay !== null ? { original: m.original, replay: m.replay } : undefined;
    });
    const unit =
      comparisons[0]?.metrics[name].unit ?? (name === 'costUsd' ? 'usd' : name.endsWith('Ms') ? 'ms' : 'tokens');
    metrics[name] = stat(name, unit, ab, unpaired, opts, aa);
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

  const sampled = comparisons.filter((c) => c.sample);
  const samples = sampled.length
    ? {
        repeat: Math.max(...groups.map((g) => g.ab.length)),
        baselineRepeat: Math.max(...groups.map((g) => g.aa.length)),
        traces: groups.length,
      }
    : undefined;
  return {
    count: comparisons.length,
    ...(samples ? { samples } : {}),
    replayIds: comparisons.map((c) => c.replayId),
    incomplete: comparisons.filter((c) => c.jobStatus !== 'COMPLETED').length,
    seed: opts.seed,
    resamples: opts.resamples,
    level: opts.level,
    evaluators,
    metrics,
    spanCounts,
    toolDrift: tracesToolDrift(groups),
  };
}

/** CI gate: an evaluator regresses when its mean delta is below -threshold AND the whole CI is
 *  below 0, so noise around zero never fails a build and a tiny but certain drop under the
 *  tolerance does not either. With A/A samples its verdict must be `worse` (beyond the noise floor,
 *  see noise-floor.ts) and the drop is measured from the A/A centre: mean delta - c < -threshold. */
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
  if (stat.meanDelta === null || stat.ci === null) return false;
  if (stat.noise) return stat.verdict === 'worse' && stat.meanDelta - stat.noise.center < -threshold;
  return stat.meanDelta < -threshold && stat.ci.high < 0;
}

/** Evaluators the gate could not decide on: not enough evidence either way (printed, never failed). */
export function undecided(aggregate: BatchAggregate): PairedStat[] {
  return aggregate.evaluators.filter((e) => e.verdict === 'not-enough-evidence');
}
