// Builds the comparison of a replay with its original trace: trace metrics with directions, the
// aligned span tree with per-LLM-span diffs and metrics, scores per evaluator, and every warning.
import type { EvaluationResult } from '../eval/evaluation-types';
import type { Span, Trace } from '../model/trace';
import type { ReplayJob, ReplaySpanResult } from '../replay/replay-types';
import { alignSpans, spanRef, type AlignedPair } from './align-spans';
import { pairScores } from './compare-scores';
import type {
  AlignmentStatus,
  Comparison,
  ComparisonMetrics,
  ComparisonWarning,
  LlmSpanComparison,
  ReplayTiming,
  SpanRow,
} from './comparison-types';
import { inputDiff, outputDiffOf } from './llm-span-diff';
import { originalSides, replaySides, type LlmSides } from './llm-span-metrics';
import { metricDelta, sumSides, type MetricSide } from './metric-delta';

export interface ComparisonInput {
  original: Trace;
  replay: Trace;
  job: ReplayJob;
  evaluation?: EvaluationResult;
}

const isLlm = (s: Span | undefined): s is Span => s !== undefined && s.kind === 'llm' && s.llm !== undefined;

const LLM_METRICS = ['llmDurationMs', 'inputTokens', 'outputTokens', 'totalTokens', 'costUsd'] as const;
const UNITS = { llmDurationMs: 'ms', inputTokens: 'tokens', outputTokens: 'tokens', totalTokens: 'tokens', costUsd: 'usd' } as const;

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
    sentCalls: job.spans.filter(s => s.execution && !s.cached).length,
    cachedCalls: job.spans.filter(s => s.cached).length,
  };
}

function rowWarnings(pair: AlignedPair, result: ReplaySpanResult | undefined): string[] {
  const all = [...(pair.replay?.replay?.warnings ?? []), ...(result?.warnings ?? []), ...(pair.original?.warnings ?? [])];
  return [...new Set(all)];
}

export function buildComparison(input: ComparisonInput): Comparison {
  const { original, replay, job, evaluation } = input;
  const results = new Map(job.spans.map(r => [r.originalSpanId, r]));
  const pairs = alignSpans(original, replay, r => r.replay?.status ?? 'reused');
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

  const warnings: ComparisonWarning[] = [];
  const originalParts: LlmSides[] = [];
  const replayParts: LlmSides[] = [];
  const rows: SpanRow[] = pairs.map(pair => {
    const { original: o, replay: r, status, depth } = pair;
    const result = o ? results.get(o.id) : undefined;
    const row: SpanRow = { status, depth, warnings: rowWarnings(pair, result), scores: [] };
    if (o) row.original = spanRef(o, original);
    if (r) row.replay = spanRef(r, replay);
    const cached = r?.replay?.cached ?? result?.cached;
    if (cached) row.cached = true;
    const error = r?.replay?.error ?? result?.error;
    if (error !== undefined) row.error = error;
    const divergence = r?.replay?.divergence?.message ?? result?.divergence?.message;
    if (divergence !== undefined) row.divergence = divergence;

    const os = isLlm(o) ? originalSides(o, result) : undefined;
    const rs = isLlm(r) ? replaySides(r, status, result, os) : undefined;
    if (os) originalParts.push(os);
    if (rs) replayParts.push(rs);
    if (os || rs) {
      const absent = status === 'missing' ? 'no replayed span' : 'not in the original trace';
      const ol = isLlm(o) ? o.llm : undefined;
      const rl = isLlm(r) ? r.llm : undefined;
      const llm: LlmSpanComparison = { input: inputDiff((ol ?? rl)!, (rl ?? ol)!), metrics: llmMetrics(os, rs, absent) };
      if (ol && rl && status !== 'failed' && status !== 'cancelled') llm.output = outputDiffOf(ol, rl);
      row.llm = llm;
    }
    row.scores = scores.bySpan.get(o?.id ?? r!.id) ?? [];

    const ids = { ...(o ? { originalSpanId: o.id } : {}), ...(r ? { replaySpanId: r.id } : {}) };
    for (const message of row.warnings) warnings.push({ source: 'span', message: `${(o ?? r)!.name}: ${message}`, ...ids });
    if (row.error !== undefined && (status === 'failed' || status === 'cancelled')) {
      warnings.push({ source: 'span', message: `${(o ?? r)!.name}: ${status}: ${row.error}`, ...ids });
    }
    if (row.divergence !== undefined) warnings.push({ source: 'divergence', message: `${(o ?? r)!.name}: ${row.divergence}`, ...ids });
    return row;
  });

  const counts: Record<AlignmentStatus, number> = { replayed: 0, reused: 0, failed: 0, cancelled: 0, missing: 0, extra: 0 };
  for (const row of rows) counts[row.status]++;
  if (counts.missing) warnings.push({ source: 'alignment', message: `${counts.missing} span(s) of the original have no counterpart in the replay` });
  if (counts.extra) warnings.push({ source: 'alignment', message: `${counts.extra} span(s) of the replay have no counterpart in the original` });
  if (job.error) warnings.push({ source: 'job', message: job.errorCode ? `${job.errorCode}: ${job.error}` : job.error });
  for (const s of [...scores.trace, ...[...scores.bySpan.values()].flat()]) {
    const where = s.originalSpanId ? ` (span ${s.originalSpanId})` : '';
    if (s.original?.error) warnings.push({ source: 'score', message: `${s.evaluatorId}${where} on the original: ${s.original.error}` });
    if (s.replay?.error) warnings.push({ source: 'score', message: `${s.evaluatorId}${where} on the replay: ${s.replay.error}` });
    if (s.versionMismatch) warnings.push({ source: 'score', message: `${s.evaluatorId}${where}: scored by different evaluator versions, delta not compared` });
  }

  const metrics = {
    durationMs: metricDelta('ms', { value: original.endTime - original.startTime }, { value: replay.endTime - replay.startTime }),
  } as ComparisonMetrics;
  for (const name of LLM_METRICS) {
    metrics[name] = metricDelta(UNITS[name], sumSides(originalParts.map(p => p[name])), sumSides(replayParts.map(p => p[name])));
  }

  const comparison: Comparison = {
    replayId: job.id,
    originalTraceId: original.id,
    replayTraceId: replay.id,
    traceName: original.name,
    jobStatus: job.status,
    overrides: job.overrides,
    metrics,
    timing: timing(job),
    spans: rows,
    scores: scores.trace,
    platformScores: evaluation?.platform ?? [],
    skippedEvaluators: evaluation?.skipped ?? [],
    warnings,
    counts,
  };
  if (evaluation) comparison.evaluatedAt = evaluation.evaluatedAt;
  return comparison;
}
