// The end of a replay job whose spans all ran: both traces scored by the same evaluators (a broken
// evaluation never fails the replay; cancelling stops it), then the job's final status from its
// span results and the live run's stop (FAILED when an LLM span failed or the live agent stopped
// before its final answer, else COMPLETED).
import { EvaluationCancelledError } from '../eval/eval-errors';
import type { Trace } from '../model/trace';
import { errorMessage } from '../util/error-message';
import { ReplayCancelledError } from './replay-errors';
import type { ReplayServices } from './replay-services';
import type { ReplayJob } from './replay-types';

/** Scores the original and the replayed trace into job.evaluation (nothing when the services do not
 *  evaluate). Rejects with ReplayCancelledError when the job is cancelled before or during it. */
export async function evaluateJob(
  job: ReplayJob,
  services: ReplayServices,
  original: Trace,
  replayTrace: Trace,
  signal: AbortSignal,
): Promise<void> {
  if (!services.evaluate) return;
  if (signal.aborted) throw new ReplayCancelledError();
  try {
    job.evaluation = await services.evaluate(original, replayTrace, signal);
  } catch (err) {
    if (err instanceof EvaluationCancelledError || signal.aborted) throw new ReplayCancelledError();
    job.evaluation = {
      evaluatedAt: new Date().toISOString(),
      original: [],
      replay: [],
      skipped: [{ evaluatorId: 'evaluation', reason: `The evaluation failed: ${errorMessage(err)}` }],
    };
  }
}

/** Sets the final status of a job whose spans all ran (FAILED when any LLM span failed). */
export function conclude(job: ReplayJob, replayTraceId: string, finishedAt: string): ReplayJob {
  job.replayTraceId = replayTraceId;
  const llm = job.spans.filter((s) => s.kind === 'llm');
  const failed = llm.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    job.status = 'FAILED';
    job.error = `${failed.length} of ${llm.length} LLM spans failed; first: ${failed[0].error ?? 'unknown error'}`;
  } else if (job.liveStopped !== undefined) {
    // Live tools: the agent did not reach its final answer (max steps, a tool with no result).
    job.status = 'FAILED';
    job.error = job.liveStopped;
    job.errorCode = 'LIVE_TOOLS_STOPPED';
  } else {
    job.status = 'COMPLETED';
    delete job.error;
    delete job.errorCode;
  }
  job.finishedAt = finishedAt;
  return job;
}
