// Short texts about a replay job for tree rows, notifications and the status bar (which sample it is, too).
import type { ReplayJob, ReplayJobStatus } from '../../core/replay/replay-types';
import { formatChange, overridesText } from '../../core/compare/format-values';
import { formatDuration } from '../common/format';

export const STATUS_TEXT: Record<ReplayJobStatus, string> = {
  PENDING: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** "openai:gpt-4.1 · temperature=0 · summarize.prompt.md · chained"; "recorded model" when nothing
 *  changed: core's overridesText, compact, as the reports write the same overrides. */
export function describeOverrides(job: ReplayJob): string {
  return overridesText(job.overrides, { separator: ' · ', compact: true });
}

export function jobDurationMs(job: ReplayJob): number | undefined {
  if (!job.startedAt || !job.finishedAt) return undefined;
  const ms = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Recorded and replay cost summed over the calls sent; undefined when any side is unknown. */
export function costSides(job: ReplayJob): { original: number; replay: number } | undefined {
  let original = 0;
  let replay = 0;
  let calls = 0;
  for (const s of job.spans) {
    const e = s.execution;
    if (!e) continue;
    if (e.costUsd === null || e.originalCostUsd === null) return undefined;
    original += e.originalCostUsd;
    replay += e.costUsd;
    calls++;
  }
  return calls ? { original, replay } : undefined;
}

/** Replay cost minus recorded cost over the calls sent; undefined when any side is unknown. */
export function costDeltaUsd(job: ReplayJob): number | undefined {
  const sides = costSides(job);
  return sides && sides.replay - sides.original;
}

/** "cost +$0.00012 vs recorded" ("vs recorded": a bare "cost -$0.0003" read as a negative cost), the
 *  change as the comparison's Cost card writes it (formatChange: the delta of the
 *  two amounts as shown), so the toast and the card never round one change two ways. */
export function formatCostChange(original: number, replay: number): string {
  const f = formatChange(original, replay, 'usd');
  return f.shownDelta === 0 ? 'same cost' : `cost ${f.delta} vs recorded`;
}

/** "1.2 s · cost −$0.00030 vs recorded" (parts that are known). */
export function jobFacts(job: ReplayJob): string[] {
  const facts: string[] = [];
  const ms = jobDurationMs(job);
  if (ms !== undefined) facts.push(formatDuration(ms));
  const sides = costSides(job);
  if (sides) facts.push(formatCostChange(sides.original, sides.replay));
  return facts;
}

/** "3 calls replayed, 1 failed" from the span results. */
export function spanSummary(job: ReplayJob): string {
  const replayed = job.spans.filter((s) => s.status === 'replayed').length;
  const failed = job.spans.filter((s) => s.status === 'failed').length;
  // LLM calls that ended before the span a replay forked at keep their recorded output.
  const kept = job.spans.filter((s) => s.kind === 'llm' && s.status === 'reused').length;
  const text = `${replayed} call${replayed === 1 ? '' : 's'} replayed${kept ? `, ${kept} kept as recorded (before the fork)` : ''}`;
  return failed ? `${text}, ${failed} failed` : text;
}

/** Which sample a job is (issue 18): "sample 2/3" with the overrides, "A/A 1/3" without them;
 *  just the number when the job does not carry its run's counts. Undefined for a plain replay. */
export function sampleLabel(job: Pick<ReplayJob, 'sample'>): string | undefined {
  const s = job.sample;
  if (!s) return undefined;
  const of = s.of ? (s.baseline ? s.of.baselineRepeat : s.of.repeat) : undefined;
  return `${s.baseline ? 'A/A' : 'sample'} ${s.index + 1}${of !== undefined ? `/${of}` : ''}`;
}

/** The tooltip line of an A/A sample. */
export const A_A_SAMPLE_TEXT =
  'A/A sample: replayed without your changes, to measure how much the recorded model disagrees with itself';
