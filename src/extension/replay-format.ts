// Short texts about a replay job for tree rows, notifications and the status bar.
import * as path from 'node:path';
import type { ReplayJob, ReplayJobStatus } from '../core/replay/replay-types';
import { formatCostPrecise, formatDuration } from './format';
import { formatParameters } from './parameter-text';

export const STATUS_TEXT: Record<ReplayJobStatus, string> = {
  PENDING: 'queued',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** "openai:gpt-4.1 · summarize.prompt.md · temperature=0 · chained"; "recorded model" when nothing changed. */
export function describeOverrides(job: ReplayJob): string {
  const o = job.overrides;
  const parts = [o.model ?? 'recorded model'];
  if (o.templatePath) parts.push(path.basename(o.templatePath));
  if (o.parameters && Object.keys(o.parameters).length) parts.push(formatParameters(o.parameters));
  if (o.mode === 'chained') parts.push('chained');
  return parts.join(' · ');
}

export function jobDurationMs(job: ReplayJob): number | undefined {
  if (!job.startedAt || !job.finishedAt) return undefined;
  const ms = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Replay cost minus recorded cost over the calls sent; undefined when any side is unknown. */
export function costDeltaUsd(job: ReplayJob): number | undefined {
  let delta = 0;
  let calls = 0;
  for (const s of job.spans) {
    const e = s.execution;
    if (!e) continue;
    if (e.costUsd === null || e.originalCostUsd === null) return undefined;
    delta += e.costUsd - e.originalCostUsd;
    calls++;
  }
  return calls ? delta : undefined;
}

export function formatCostDelta(usd: number): string {
  const sign = usd > 0 ? '+' : usd < 0 ? '−' : '±';
  return `${sign}${formatCostPrecise(Math.abs(usd))}`;
}

/** "1.2 s · cost −$0.0003" (parts that are known). */
export function jobFacts(job: ReplayJob): string[] {
  const facts: string[] = [];
  const ms = jobDurationMs(job);
  if (ms !== undefined) facts.push(formatDuration(ms));
  const delta = costDeltaUsd(job);
  if (delta !== undefined) facts.push(`cost ${formatCostDelta(delta)}`);
  return facts;
}

/** "3 calls replayed, 1 failed" from the span results. */
export function spanSummary(job: ReplayJob): string {
  const replayed = job.spans.filter(s => s.status === 'replayed').length;
  const failed = job.spans.filter(s => s.status === 'failed').length;
  const text = `${replayed} call${replayed === 1 ? '' : 's'} replayed`;
  return failed ? `${text}, ${failed} failed` : text;
}
