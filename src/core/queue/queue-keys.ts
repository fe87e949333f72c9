// The Redis names a replay queue uses besides BullMQ's own: the channel that tells workers to stop a
// running job, and the flag that stops a job a worker has not taken yet.

export function cancelChannel(queueName: string): string {
  return `trace-replay:${queueName}:cancel`;
}

export function cancelFlagKey(queueName: string, jobId: string): string {
  return `trace-replay:${queueName}:cancelled:${jobId}`;
}

/** How long a cancel flag is kept (a job waits at most this long for a worker and is still stopped). */
export const CANCEL_FLAG_TTL_SECONDS = 7 * 24 * 3600;
