// Builds the comparison of a stored replay job: the job, its original trace and its replayed
// trace, all read from the store. Shared by `trace-replay compare`, the batch report and the
// extension's comparison panel.
import { UserError } from '../util/user-error';
import type { EvaluationResult, PlatformScore } from '../eval/evaluation-types';
import { openReplayJobs } from '../replay/replay-history';
import { ReplayJobNotFoundError, TraceNotFoundError } from '../replay/replay-errors';
import type { ReplayJob } from '../replay/replay-types';
import type { TraceStore } from '../store/trace-store';
import { buildComparison } from './build-comparison';
import type { Comparison } from './comparison-types';

export class ReplayNotComparableError extends UserError {
  readonly code = 'REPLAY_NOT_COMPARABLE';
  constructor(readonly job: ReplayJob) {
    super(
      `Replay ${job.id} is ${job.status} and produced no replayed trace${job.error ? ` (${job.error})` : ''}; there is nothing to compare yet.`,
    );
    this.name = 'ReplayNotComparableError';
  }
}

export async function loadComparison(
  store: TraceStore,
  jobId: string,
  platform?: PlatformScore[],
): Promise<Comparison> {
  const jobs = await openReplayJobs(store);
  const job = jobs.isValidId(jobId) ? await jobs.get(jobId) : undefined;
  if (!job) throw new ReplayJobNotFoundError(jobId);
  return comparisonOfJob(store, job, platform);
}

/** `platform`: scores the trace's platform attached (e.g. Langfuse evaluators), read at the time of
 *  asking since platforms score asynchronously; shown apart from ours. */
export async function comparisonOfJob(
  store: TraceStore,
  job: ReplayJob,
  platform?: PlatformScore[],
): Promise<Comparison> {
  if (!job.replayTraceId) throw new ReplayNotComparableError(job);
  const [original, replay] = await Promise.all([store.getTrace(job.traceId), store.getTrace(job.replayTraceId)]);
  if (!original) throw new TraceNotFoundError(job.traceId);
  if (!replay) throw new TraceNotFoundError(job.replayTraceId);
  const evaluation: EvaluationResult | undefined =
    platform && platform.length > 0
      ? {
          ...(job.evaluation ?? { evaluatedAt: new Date().toISOString(), original: [], replay: [] }),
          platform: [...(job.evaluation?.platform ?? []), ...platform],
        }
      : job.evaluation;
  return buildComparison({ original, replay, job, evaluation });
}
