// The stable JSON shapes of `replay --json` (`comparison`), `compare --format json` and
// `batch --json`. Scripts depend on these: add fields, never rename or remove them; bump
// `schemaVersion` on a breaking change.
//
// ComparisonJson (schemaVersion 1):
// {
//   schemaVersion: 1, replayId, originalTraceId, replayTraceId, traceName, jobStatus, overrides,
//   metrics: { durationMs, llmDurationMs, inputTokens, outputTokens, totalTokens, costUsd:
//              { original, replay, delta, relativeDelta, direction, lowerIsBetter, unit, originalReason?, replayReason? } },
//   timing:  { queueWaitMs, providerMs, wallMs, sentCalls, cachedCalls },
//   spans:   [{ status: replayed|reused|failed|cancelled|missing|extra, depth,
//               original: SpanRef|null, replay: SpanRef|null, cached?, error?, divergence?, forkPoint?, warnings,
//               llm?: { input: { changed, model, parameters, messages, toolsChanged },
//                       output?: { changed, text, toolCalls, finishReason }, metrics },
//               scores: ScoreJson[] }],
//   scores:  [{ evaluator, type, version, original, replay, delta, relativeDelta, direction,
//               originalReason?, replayReason?, originalError?, replayError?, versionMismatch?, referenceBased? }],
//   platformScores, skippedEvaluators, warnings: [{ source, message, originalSpanId?, replaySpanId?, count? }], counts
// }
// SpanRef = { spanId, name, kind, startOffsetMs, durationMs, statusCode, model?, step? }; diffs (messages,
// text, toolCalls[].arguments) are { format: words|json, changed, chunks: [{ op: equal|insert|delete, text }] }.
//
// Added to schemaVersion 1 (issue 12), all optional or new values:
// - direction 'changed': the value differs but is neither better nor worse (every token count).
// - SpanRef.step: an LLM span's 1-based position among its trace's LLM spans in start order.
// - scores[].referenceBased: the evaluator scores the replay against the original (`original` is the
//   original against itself); `replay` is the one meaningful value ("replay vs original").
// - warnings[].count: identical warnings merged; the message names every span it occurred on.
// - llm.input.parameters[].name in provider spelling (max_tokens, top_p, tool_choice).
// - BatchJson stats: changed? (pairs that differ, token metrics), referenceBased? and replayCi? (the
//   CI of meanReplay, for an evaluator scored against the original).
// - Issue 17: spans[].forkPoint: true on the span a replay from a span (--from-span) forked at.
// - Issue 17: toolDrift: [{ spanId, recorded: { name, arguments } | null, replay: { name, arguments } | null,
//   status: matched|changed|missing|new, result: recorded|live|none }] (arguments parsed when recorded as
//   JSON text; spanId is the original span's, the replay's for a span only the replay has) and
//   toolDriftCounts: { matched, changed, missing, new }. BatchJson toolDrift: { drifted, withToolCalls,
//   share, counts }: traces whose tool calls drifted (any call not matched) among those with tool calls.
// - Issue 18 (--repeat): sample? { group, index, baseline } and samples?; spans[].spread? and
//   scores[].spread? ({ min, median, max, n } over the A/B samples). BatchJson samples? { repeat,
//   baselineRepeat, traces }; stats verdict (better|worse|same|changed|not-enough-evidence), noise?
//   { center, low, high, level, runSpread, traces, samples } and samples?.
import { formatTemplateRef } from '../prompts/template-ref';
import type { BatchAggregate, PairedStat } from './aggregate-batch';
import { isRegression } from './aggregate-batch';
import type { NoiseFloor, Verdict } from './noise-floor';
import type { SampleSpread } from './sample-spread';
import type {
  Comparison,
  ComparisonWarning,
  Direction,
  LlmSpanComparison,
  MetricDelta,
  MetricName,
  ReplayTiming,
  ScoreComparison,
  SpanRef,
  SpanRow,
} from './comparison-types';
import { METRIC_NAMES } from './comparison-types';
import type { ToolDriftCounts, ToolDriftRow } from './tool-drift';

export interface ScoreJson {
  evaluator: string;
  type: string;
  version: string;
  original: number | null;
  replay: number | null;
  delta: number | null;
  relativeDelta: number | null;
  direction: Direction;
  originalReason?: string;
  replayReason?: string;
  originalError?: string;
  replayError?: string;
  versionMismatch?: boolean;
  /** Scores the replay against the original: `replay` is the one value that means something. */
  referenceBased?: boolean;
  /** Repeated samples: { min, median, max, n } of the replay side over the A/B samples. */
  spread?: SampleSpread;
}

export interface SpanJson {
  status: string;
  depth: number;
  original: SpanRef | null;
  replay: SpanRef | null;
  cached?: boolean;
  error?: string;
  divergence?: string;
  /** The span a replay from a span (--from-span) forked at. */
  forkPoint?: true;
  warnings: string[];
  llm?: LlmSpanComparison;
  scores: ScoreJson[];
  /** Repeated samples: { llmDurationMs?, outputTokens?, costUsd? } each { min, median, max, n }. */
  spread?: SpanRow['spread'];
}

export interface ComparisonJson {
  schemaVersion: 1;
  replayId: string;
  originalTraceId: string;
  replayTraceId: string;
  traceName: string;
  jobStatus: string;
  /** `templatePath`: the template as text (a file's path or `langfuse:<name>@<version>`), as
   *  schema 1 always had it; `template` is the structured ref. */
  overrides: Comparison['overrides'] & { templatePath?: string };
  metrics: Record<MetricName, MetricDelta>;
  timing: ReplayTiming;
  spans: SpanJson[];
  scores: ScoreJson[];
  platformScores: Comparison['platformScores'];
  skippedEvaluators: Comparison['skippedEvaluators'];
  warnings: ComparisonWarning[];
  counts: Comparison['counts'];
  toolDrift: ToolDriftRow[];
  toolDriftCounts: ToolDriftCounts;
  /** Repeated samples: which sample this is ({ group, index, baseline }) and, on the comparison that
   *  carries the spreads, over how many A/B samples they were taken. */
  sample?: Comparison['sample'];
  samples?: number;
}

export function scoreJson(s: ScoreComparison): ScoreJson {
  const j: ScoreJson = {
    evaluator: s.evaluatorId,
    type: s.evaluatorType,
    version: s.evaluatorVersion,
    original: s.original?.value ?? null,
    replay: s.replay?.value ?? null,
    delta: s.delta.delta,
    relativeDelta: s.delta.relativeDelta,
    direction: s.delta.direction,
  };
  if (s.original?.reason !== undefined) j.originalReason = s.original.reason;
  if (s.replay?.reason !== undefined) j.replayReason = s.replay.reason;
  if (s.original?.error !== undefined) j.originalError = s.original.error;
  if (s.replay?.error !== undefined) j.replayError = s.replay.error;
  if (s.versionMismatch) j.versionMismatch = true;
  if (s.referenceBased) j.referenceBased = true;
  if (s.spread) j.spread = { ...s.spread };
  return j;
}

export function toComparisonJson(c: Comparison): ComparisonJson {
  const metrics = {} as Record<MetricName, MetricDelta>;
  for (const n of METRIC_NAMES) metrics[n] = { ...c.metrics[n] };
  return {
    schemaVersion: 1,
    replayId: c.replayId,
    originalTraceId: c.originalTraceId,
    replayTraceId: c.replayTraceId,
    traceName: c.traceName,
    jobStatus: c.jobStatus,
    overrides: c.overrides.template
      ? { ...c.overrides, templatePath: formatTemplateRef(c.overrides.template) }
      : c.overrides,
    metrics,
    timing: c.timing,
    spans: c.spans.map((r) => {
      const s: SpanJson = {
        status: r.status,
        depth: r.depth,
        original: r.original ?? null,
        replay: r.replay ?? null,
        warnings: r.warnings,
        scores: r.scores.map(scoreJson),
      };
      if (r.cached) s.cached = true;
      if (r.error !== undefined) s.error = r.error;
      if (r.divergence !== undefined) s.divergence = r.divergence;
      if (r.forkPoint) s.forkPoint = true;
      if (r.llm) s.llm = r.llm;
      if (r.spread) s.spread = r.spread;
      return s;
    }),
    scores: c.scores.map(scoreJson),
    platformScores: c.platformScores,
    skippedEvaluators: c.skippedEvaluators,
    warnings: c.warnings,
    counts: c.counts,
    // Exactly the documented five keys per row.
    toolDrift: c.toolDrift.map((d) => ({
      spanId: d.spanId,
      recorded: d.recorded && { name: d.recorded.name, arguments: d.recorded.arguments },
      replay: d.replay && { name: d.replay.name, arguments: d.replay.arguments },
      status: d.status,
      result: d.result,
    })),
    toolDriftCounts: { ...c.toolDriftCounts },
    ...(c.sample ? { sample: { ...c.sample } } : {}),
    ...(c.samples !== undefined ? { samples: c.samples } : {}),
  };
}

export function renderComparisonJson(c: Comparison): string {
  return JSON.stringify(toComparisonJson(c), null, 2) + '\n';
}

export interface PairedStatJson {
  name: string;
  unit: string;
  lowerIsBetter: boolean;
  n: number;
  unpaired: number;
  meanOriginal: number | null;
  meanReplay: number | null;
  meanDelta: number | null;
  ci: { low: number; high: number; level: number } | null;
  wins: number;
  losses: number;
  ties: number;
  direction: Direction;
  /** Only when a threshold was given (evaluators only). */
  regression?: boolean;
  /** Token metrics: pairs that differ (no wins or losses for a neutral unit). */
  changed?: number;
  /** The evaluator scores the replay against the original: meanReplay is the number that means something. */
  referenceBased?: boolean;
  replayCi?: { low: number; high: number; level: number } | null;
  /** better / worse / same / changed / not-enough-evidence (the rule: core/compare/noise-floor.ts);
   *  always written by `batch --json` since issue 18 (optional for JSON written before). */
  verdict?: Verdict;
  /** With A/A samples: the noise floor (center, low, high, level, runSpread, traces, samples). */
  noise?: NoiseFloor;
  /** With repeated samples: A/B samples paired in all (n counts traces). */
  samples?: number;
}

export interface BatchJson {
  schemaVersion: 1;
  count: number;
  incomplete: number;
  /** With --repeat: samples per trace (A/B and A/A) and traces. */
  samples?: BatchAggregate['samples'];
  replayIds: string[];
  bootstrap: { seed: number; resamples: number; level: number };
  threshold?: number;
  evaluators: PairedStatJson[];
  metrics: Record<MetricName, PairedStatJson>;
  spanCounts: BatchAggregate['spanCounts'];
  /** Traces whose tool calls drifted among those with tool calls (see BatchToolDrift). */
  toolDrift: BatchAggregate['toolDrift'];
  /** Evaluator ids that regress under `threshold` (empty without a threshold). */
  regressions: string[];
}

function statJson(s: PairedStat, threshold?: number): PairedStatJson {
  const {
    name,
    unit,
    lowerIsBetter,
    n,
    unpaired,
    meanOriginal,
    meanReplay,
    meanDelta,
    ci,
    wins,
    losses,
    ties,
    direction,
  } = s;
  const j: PairedStatJson = {
    name,
    unit,
    lowerIsBetter,
    n,
    unpaired,
    meanOriginal,
    meanReplay,
    meanDelta,
    ci,
    wins,
    losses,
    ties,
    direction,
    verdict: s.verdict,
  };
  if (s.noise) j.noise = { ...s.noise };
  if (s.samples !== undefined) j.samples = s.samples;
  if (threshold !== undefined) j.regression = isRegression(s, threshold);
  if (s.changed !== undefined) j.changed = s.changed;
  if (s.referenceBased) {
    j.referenceBased = true;
    j.replayCi = s.replayCi ?? null;
  }
  return j;
}

export function toBatchJson(agg: BatchAggregate, threshold?: number): BatchJson {
  const metrics = {} as Record<MetricName, PairedStatJson>;
  for (const n of METRIC_NAMES) metrics[n] = statJson(agg.metrics[n]);
  const evaluators = agg.evaluators.map((e) => statJson(e, threshold));
  const out: BatchJson = {
    schemaVersion: 1,
    count: agg.count,
    incomplete: agg.incomplete,
    replayIds: agg.replayIds,
    bootstrap: { seed: agg.seed, resamples: agg.resamples, level: agg.level },
    evaluators,
    metrics,
    spanCounts: agg.spanCounts,
    toolDrift: { ...agg.toolDrift, counts: { ...agg.toolDrift.counts } },
    regressions: evaluators.filter((e) => e.regression).map((e) => e.name),
  };
  if (threshold !== undefined) out.threshold = threshold;
  if (agg.samples) out.samples = { ...agg.samples };
  return out;
}
