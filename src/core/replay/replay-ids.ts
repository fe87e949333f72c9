// Ids of a replay. The replayed trace's ids derive from the job id, so a job resumed after a crash
// writes the same trace (same trace id, same span ids) instead of a second copy.
import { createHash, randomUUID } from 'node:crypto';

export function newReplayJobId(): string {
  return randomUUID();
}

function hex(input: string, length: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

/** 32 lowercase hex chars, like any OTLP trace id. */
export function replayTraceIdFor(jobId: string): string {
  return hex(`trace-replay/trace/${jobId}`, 32);
}

/** 16 lowercase hex chars, like any OTLP span id. */
export function replaySpanIdFor(jobId: string, originalSpanId: string): string {
  return hex(`trace-replay/span/${jobId}/${originalSpanId}`, 16);
}
