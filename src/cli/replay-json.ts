// The documented JSON of `trace-replay replay --json` and `trace-replay replays --json` (stable:
// scripts consume it), plus the one-line text forms.
import { mergeWarnings, type RawWarning } from '../core/compare/merge-warnings';
import { formatTemplateRef } from '../core/prompts/template-ref';
import { sampleLabel } from '../core/replay/replay-samples';
import type { ReplayJob, ReplayOverrides, ReplaySpanStatus } from '../core/replay/replay-types';
import { formatTime, table } from './format-text';

export interface ReplaySpanJson {
  originalSpanId: string;
  replaySpanId: string;
  status: ReplaySpanStatus;
  warnings: string[];
  error?: string;
  cached?: boolean;
  /** The span a replay from a span (--from-span) forked at. */
  forkPoint?: true;
}

export interface ReplayJobJson {
  id: string;
  status: ReplayJob['status'];
  traceId: string;
  replayTraceId: string | null;
  overrides: ReplayOverridesJson;
  startedAt: string | null;
  finishedAt: string | null;
  spans: ReplaySpanJson[];
  error?: string;
  /** The UPPER_SNAKE code of the error that failed the job (e.g. MISSING_API_KEY, TRACE_GONE). */
  errorCode?: string;
  /** --repeat: which sample of its trace the job is ({ group, index, baseline }). */
  sample?: ReplayJob['sample'];
}

/** The overrides as 0.1 printed them: the template as `templatePath`, a file's path or a
 *  platform's prompt spec (`langfuse:support@3`), not the stored TemplateRef. */
export type ReplayOverridesJson = Omit<ReplayOverrides, 'template'> & { templatePath?: string };

export function replayOverridesJson(overrides: ReplayOverrides): ReplayOverridesJson {
  const { template, ...rest } = overrides;
  return template === undefined ? rest : { ...rest, templatePath: formatTemplateRef(template) };
}

export function replayJobJson(job: ReplayJob): ReplayJobJson {
  const out: ReplayJobJson = {
    id: job.id,
    status: job.status,
    traceId: job.traceId,
    replayTraceId: job.replayTraceId ?? null,
    overrides: replayOverridesJson(job.overrides),
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    spans: job.spans.map((s) => {
      const span: ReplaySpanJson = {
        originalSpanId: s.originalSpanId,
        replaySpanId: s.replaySpanId,
        status: s.status,
        warnings: s.warnings,
      };
      if (s.error !== undefined) span.error = s.error;
      if (s.cached) span.cached = true;
      if (s.forkPoint) span.forkPoint = true;
      return span;
    }),
  };
  if (job.error !== undefined) out.error = job.error;
  if (job.errorCode !== undefined) out.errorCode = job.errorCode;
  if (job.sample) out.sample = { ...job.sample };
  return out;
}

function counts(job: ReplayJob): string {
  const llm = job.spans.filter((s) => s.kind === 'llm');
  const n = (status: ReplaySpanStatus): number => llm.filter((s) => s.status === status).length;
  const cached = llm.filter((s) => s.cached).length;
  // LLM spans are reused too when they ended before the span a replay forked at.
  const reused = job.spans.filter((s) => s.status === 'reused').length;
  return `${n('replayed')} replayed${cached ? ` (${cached} cached)` : ''}, ${n('failed')} failed, ${reused} reused`;
}

/** A finished job as a few lines of text: outcome, then each span's error or warnings, the LLM
 *  spans named by step and model as the comparison names them ("#2 gpt-4o-mini": the job's results
 *  follow the trace's start order), a warning repeated on several spans said once with them all. */
export function replayJobText(job: ReplayJob): string {
  const lines = [
    `${job.status.padEnd(9)} ${job.traceId} -> ${job.replayTraceId ?? '(no replay trace)'}  job ${job.id}  ${counts(job)}`,
  ];
  if (job.error) lines.push(`  error: ${job.error}`);
  const raw: RawWarning[] = [];
  let step = 0;
  for (const s of job.spans) {
    const model = s.execution?.model;
    const label =
      s.kind === 'llm'
        ? `#${++step}${model ? ` ${model}` : ''} (span ${s.originalSpanId})`
        : `span ${s.originalSpanId}`;
    if (s.error && s.status === 'failed') raw.push({ source: 'span', subject: label, detail: s.error });
    for (const w of s.warnings) raw.push({ source: 'span', subject: label, detail: `warning: ${w}` });
  }
  for (const w of mergeWarnings(raw)) lines.push(`  ${w.message}${w.count ? ` (×${w.count})` : ''}`);
  return lines.join('\n');
}

/** With repeated samples (`--repeat`) a SAMPLE column says which sample each job is ("sample 2/3",
 *  "A/A 1/3"; "-" for a plain replay). */
export function replaysTable(jobs: ReplayJob[]): string {
  const sampled = jobs.some((j) => j.sample);
  return table(
    ['CREATED', 'STATUS', 'TRACE', 'REPLAY TRACE', 'MODEL', ...(sampled ? ['SAMPLE'] : []), 'JOB'],
    jobs.map((j) => [
      formatTime(Date.parse(j.createdAt)),
      j.status,
      j.traceId,
      j.replayTraceId ?? '-',
      j.overrides.model ?? 'recorded model',
      ...(sampled ? [j.sample ? sampleLabel(j.sample) : '-'] : []),
      j.id,
    ]),
  );
}
