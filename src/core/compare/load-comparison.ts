// Builds the comparison of a stored replay job: the job, its original trace and its replayed
// trace, all read from the store. Shared by `trace-replay compare`, the batch report and the
// extension's comparison panel.
import { openReplayJobs } from '../replay/replay-history';
import { ReplayJobNotFoundError, TraceNotFoundError } from '../replay/replay-errors';
import type { ReplayJob } from '../replay/replay-types';
import type { TraceStore } from '../store/trace-store';
import { buildComparison } from './build-comparison';
import type { Comparison } from './comparison-types';

export class ReplayNotComparableError extends Error {
  readonly code = 'REPLAY_NOT_COMPARABLE';
  constructor(readonly job: ReplayJob) {
    super(`Replay ${job.id} is ${job.status} and produced no replayed trace${job.error ? ` (${job.error})` : ''}; there is nothing to compare yet.`);
    this.name = 'ReplayNotComparableError';
  }
}

export async function loadComparison(store: TraceStore, jobId: string): Promise<Comparison> {
  const jobs = await openReplayJobs(store);
  const job = await jobs.get(jobId);
  if (!job) throw new ReplayJobNotFoundError(jobId);
  return comparisonOfJob(store, job);
}

export async function comparisonOfJob(store: TraceStore, job: ReplayJob): Promise<Comparison> {
  if (!job.replayTraceId) throw new ReplayNotComparableError(job);
  const [original, replay] = await Promise.all([store.getTrace(job.traceId), store.getTrace(job.replayTraceId)]);
  if (!original) throw new TraceNotFoundError(job.traceId);
  if (!replay) throw new TraceNotFoundError(job.replayTraceId);
  return buildComparison({ original, replay, job, evaluation: job.evaluation });
}
