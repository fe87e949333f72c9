// What the front ends need of a replay queue, whichever runs the jobs: the local ReplayQueue (in this
// process) or a Redis queue's submitter (RemoteReplayQueue, on `trace-replay worker` processes).
import type { ReplaySample } from './replay-samples';
import type { ReplayEvent, ReplayJob, ReplayOverrides } from './replay-types';

export interface ReplayJobQueue {
  /** Jobs running at once here; absent on a Redis queue, where each worker has its own. */
  readonly concurrency?: number;
  onEvent(listener: (event: ReplayEvent) => void): () => void;
  /** `sample`: which of several samples of the trace the job is (kept on the job). */
  enqueue(traceId: string, overrides?: ReplayOverrides, sample?: ReplaySample): Promise<ReplayJob>;
  wait(jobId: string): Promise<ReplayJob>;
  cancel(jobId: string): Promise<boolean>;
  getJob(jobId: string): Promise<ReplayJob | undefined>;
  listJobs(filter?: { traceId?: string }): Promise<ReplayJob[]>;
  /** Takes over the jobs an interrupted run left unfinished. */
  resume(): Promise<ReplayJob[]>;
  /** Unfinished jobs another live process is running. */
  runningElsewhere(): Promise<ReplayJob[]>;
  /** Cancels what is queued or running and stops. */
  close(): Promise<void>;
  /** Stops, leaving the jobs as they are (a shutdown). */
  detach(): Promise<void>;
}
