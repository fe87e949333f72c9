// Builds the comparison of a replay with its original trace: trace metrics with directions, the
// aligned span tree with per-LLM-span diffs and metrics, scores per evaluator, and every warning.
import type { EvaluationResult } from '../eval/evaluation-types';
import type { Span, Trace } from '../model/trace';
import type { ReplayJob, ReplaySpanResult } from '../replay/replay-types';
import { alignSpans, llmSteps, spanRef, type AlignedPair } from './align-spans';
import { pairScores } from './compare-scores';
import type {
  AlignmentStatus,
  Comparison,
  ComparisonMetrics,
  LlmSpanComparison,
  ReplayTiming,
  SpanRow,
} from './comparison-types';
import { countOf, spanLabel } from './format-values';
import { inputDiff, outputDiffOf } from './llm-span-diff';
import { originalSides, replaySides, type LlmSides } from './llm-span-metrics';
import { mergeWarnings, type RawWarning } from './merge-warnings';
import { metricDelta, sumSides, type MetricSide } from './metric-delta';
import { spanToolDrift, toolDriftCounts, type ToolDriftRow } from './tool-drift';

export interface ComparisonInput {
  original: Trace;
  replay: Trace;
  job: ReplayJob;
  evaluation?: EvaluationResult;
}

const isLlm = (s: Span | undefined): s is Span => s !== undefined && s.kind === 'llm' && s.llm !== undefined;

const LLM_METRICS = ['llmDurationMs', 'inputTokens', 'outputTokens', 'totalTokens', 'costUsd'] as const;
const UNITS = {
  llmDurationMs: 'ms',
  inputTokens: 'tokens',
  outputTokens: 'tokens',
  totalTokens: 'tokens',
  costUsd: 'usd',
} as const;

function llmMetrics(o: LlmSides | undefined, r: LlmSides | undefined, absent: string): LlmSpanComparison['metrics'] {
  const none: MetricSide = { value: null, reason: absent };
  const m = {} as LlmSpanComparison['metrics'];
  for (const name of LLM_METRICS) m[name] = metricDelta(UNITS[name], o ? o[name] : none, r ? r[name] : none);
  return m;
}

function timing(job: ReplayJob): ReplayTiming {
  const started = job.startedAt ? Date.parse(job.startedAt) : NaN;
  const finished = job.finishedAt ? Date.parse(job.finishedAt) : NaN;
  return {
    queueWaitMs: job.queueWaitMs ?? null,
    providerMs: job.providerMs,
    wallMs: Number.isFinite(started) && Number.isFinite(finished) ? finished - started : null,
    sentCalls: job.spans.filter((s) => s.execution && !s.cached).length,
    cachedCalls: job.spans.filter((s) => s.cached).length,
  };
}

function rowWarnings(pair: AlignedPair, result: ReplaySpanResult | undefined): string[] {
  const all = [
    ...(pair.replay?.replay?.warnings ?? []),
    ...(result?.warnings ?? []),
    ...(pair.original?.warnings ?? []),
  ];
  return [...new Set(all)];
}

export function buildComparison(input: ComparisonInput): Comparison {
  const { original, replay, job, evaluation } = input;
  const results = new Map(job.spans.map((r) => [r.originalSpanId, r]));
  const resultsByReplayId = new Map(job.spans.map((r) => [r.replaySpanId, r]));
  const pairs = alignSpans(original, replay, (r) => r.replay?.status ?? 'reused');
  // A replay span without replay info that was paired by position: take the job's word for it.
  for (const p of pairs) {
    if (p.original && p.replay && !p.replay.replay) {
      const res = results.get(p.original.id);
      if (res) p.status = res.status;
    }
  }

  const replayToOriginal = new Map<string, string>();
  for (const p of pairs) if (p.original && p.replay) replayToOriginal.set(p.replay.id, p.original.id);
  const scores = pairScores(evaluation, replayToOriginal);

  const raw: RawWarning[] = [];
  /** Span label by the id its scores are keyed by (original id, else replay id). */
  const labels = new Map<string, string>();
  const originalSteps = llmSteps(original);
  const replaySteps = llmSteps(replay);
  const originalParts: LlmSides[] = [];
  const replayParts: LlmSides[] = [];
  const toolDrift: ToolDriftRow[] = [];
  const rows: SpanRow[] = pairs.map((pair) => {
    const { original: o, replay: r, status, depth } = pair;
    const result = o ? results.get(o.id) : undefined;
    const row: SpanRow = { status, depth, warnings: rowWarnings(pair, result), scores: [] };
    if (o) row.original = spanRef(o, original, originalSteps);
    if (r) row.replay = spanRef(r, replay, replaySteps);
    const cached = r?.replay?.cached ?? result?.cached;
    if (cached) row.cached = true;
    const error = r?.replay?.error ?? result?.error;
    if (error !== undefined) row.error = error;
    const divergence = r?.replay?.divergence?.message ?? result?.divergence?.message;
    if (divergence !== undefined) row.divergence = divergence;
    if (result?.forkPoint) row.forkPoint = true;

    const os = isLlm(o) ? originalSides(o, result, spanLabel(row.original!)) : undefined;
    const rs = isLlm(r) ? replaySides(r, status, result, os, spanLabel(row.replay!)) : undefined;
    if (os) originalParts.push(os);
    if (rs) replayParts.push(rs);
    if (os || rs) {
      const absent = status === 'missing' ? 'no replayed span' : 'not in the original trace';
      const ol = isLlm(o) ? o.llm : undefined;
      const rl = isLlm(r) ? r.llm : undefined;
      const llm: LlmSpanComparison = {
        input: inputDiff((ol ?? rl)!, (rl ?? ol)!),
        metrics: llmMetrics(os, rs, absent),
      };
      if (ol && rl && status !== 'failed' && status !== 'cancelled') llm.output = outputDiffOf(ol, rl);
      row.llm = llm;
    }
    row.scores = scores.bySpan.get(o?.id ?? r!.id) ?? [];
    // A span the replay never reached (the job stopped) is not drift: only a finished job's missing spans count.
    if ((isLlm(o) || isLlm(r)) && (status !== 'missing' || job.status === 'COMPLETED')) {
      const toolResults = (result ?? (r ? resultsByReplayId.get(r.id) : undefined))?.toolResults;
      toolDrift.push(
        ...spanToolDrift({
          status,
          ...(o ? { originalSpanId: o.id } : {}),
          ...(r ? { replaySpanId: r.id } : {}),
          ...(isLlm(o) ? { recorded: o.llm!.output } : {}),
          ...(isLlm(r) ? { replayed: r.llm!.output } : {}),
          ...(toolResults ? { toolResults } : {}),
          ...(job.overrides.toolPolicy === 'live' ? { live: true } : {}),
        }),
      );
    }

    const ids = { ...(o ? { originalSpanId: o.id } : {}), ...(r ? { replaySpanId: r.id } : {}) };
    const subject = spanLabel((row.original ?? row.replay)!);
    for (const detail of row.warnings) raw.push({ source: 'span', subject, detail, ...ids });
    if (row.error !== undefined && (status === 'failed' || status === 'cancelled')) {
      raw.push({ source: 'span', subject, detail: `${status}: ${row.error}`, ...ids });
    }
    if (row.divergence !== undefined) raw.push({ source: 'divergence', subject, detail: row.divergence, ...ids });
    labels.set(o?.id ?? r!.id, subject);
    return row;
  });

  const counts: Record<AlignmentStatus, number> = {
    replayed: 0,
    reused: 0,
    failed: 0,
    cancelled: 0,
    missing: 0,
    extra: 0,
  };
  for (const row of rows) counts[row.status]++;
  const have = (n: number): string => (n === 1 ? 'has' : 'have');
  if (counts.missing)
    raw.push({
      source: 'alignment',
      detail: `${countOf(counts.missing, 'span')} of the original ${have(counts.missing)} no counterpart in the replay`,
    });
  if (counts.extra)
    raw.push({
      source: 'alignment',
      detail: `${countOf(counts.extra, 'span')} of the replay ${have(counts.extra)} no counterpart in the original`,
    });
  if (job.error) raw.push({ source: 'job', detail: job.errorCode ? `${job.errorCode}: ${job.error}` : job.error });
  for (const [spanKey, list] of [[undefined, scores.trace] as const, ...scores.bySpan.entries()]) {
    const subject = spanKey !== undefined ? (labels.get(spanKey) ?? `span ${spanKey}`) : undefined;
    const about = (detail: string): RawWarning =>
      subject !== undefined ? { source: 'score', subject, detail } : { source: 'score', detail };
    for (const s of list) {
      if (s.original?.error) raw.push(about(`${s.evaluatorId} on the original: ${s.original.error}`));
      if (s.replay?.error) raw.push(about(`${s.evaluatorId} on the replay: ${s.replay.error}`));
      if (s.versionMismatch)
        raw.push(about(`${s.evaluatorId}: scored by different evaluator versions, delta not compared`));
    }
  }
  const warnings = mergeWarnings(raw);

  const metrics = {
    durationMs: metricDelta(
      'ms',
      { value: original.endTime - original.startTime },
      { value: replay.endTime - replay.startTime },
    ),
  } as ComparisonMetrics;
  for (const name of LLM_METRICS) {
    metrics[name] = metricDelta(
      UNITS[name],
      sumSides(originalParts.map((p) => p[name])),
      sumSides(replayParts.map((p) => p[name])),
    );
  }

  const comparison: Comparison = {
    replayId: job.id,
    originalTraceId: original.id,
    replayTraceId: replay.id,
    traceName: original.name,
    jobStatus: job.status,
    overrides: job.overrides,
    ...(job.sample ? { sample: job.sample } : {}),
    metrics,
    timing: timing(job),
    spans: rows,
    scores: scores.trace,
    platformScores: evaluation?.platform ?? [],
    skippedEvaluators: evaluation?.skipped ?? [],
    warnings,
    counts,
    toolDrift,
    toolDriftCounts: toolDriftCounts(toolDrift),
  };
  if (evaluation) comparison.evaluatedAt = evaluation.evaluatedAt;
  return comparison;
}
