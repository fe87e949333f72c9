// The names a replay queue uses besides BullMQ's own: the channel that tells workers to stop a running
// job, the flag that stops a job a worker has not taken yet, a running job's saved progress, and the
// job ids of a named batch.
import { createHash } from 'node:crypto';
import type { ReplayOverrides } from '../replay/replay-types';
import type { ReplaySample } from '../replay/replay-samples';
import { canonicalJson } from '../util/canonical-json';

export function cancelChannel(queueName: string): string {
  return `trace-replay:${queueName}:cancel`;
}

export function cancelFlagKey(queueName: string, jobId: string): string {
  return `trace-replay:${queueName}:cancelled:${jobId}`;
}

/** How long a cancel flag is kept (a job waits at most this long for a worker and is still stopped). */
export const CANCEL_FLAG_TTL_SECONDS = 7 * 24 * 3600;

/** A job's progress as its worker saved it (finished spans, then the final result): a run whose lock
 *  BullMQ took away (Redis away longer than the lock) is handed out again, and the next run starts
 *  from here instead of sending the finished spans again. */
export function runProgressKey(queueName: string, jobId: string): string {
  return `trace-replay:${queueName}:progress:${jobId}`;
}

/** Where a worker says (with the job id) that it saved a job's progress: a run handed out again waits
 *  for the earlier run's progress here when that run's connection is not back yet. */
export function progressChannel(queueName: string): string {
  return `trace-replay:${queueName}:progress`;
}

/** How long saved progress is kept when nobody removes it (a worker that died mid-job). */
export const RUN_PROGRESS_TTL_SECONDS = 24 * 3600;

/** The id of a batch's job: the same batch, trace and overrides give the same id (UUID-shaped). */
export function batchJobId(
  batchId: string,
  traceId: string,
  overrides: ReplayOverrides,
  /** Repeated samples of one trace are distinct jobs; absent for a single sample (ids as before). */
  sample?: ReplaySample,
): string {
  // The sample's place only (not its run id or counts): resubmitting the batch gives the same ids.
  const place = sample && { group: sample.group, index: sample.index, baseline: sample.baseline };
  const h = createHash('sha256')
    .update(canonicalJson(place ? { batchId, traceId, overrides, sample: place } : { batchId, traceId, overrides }))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
