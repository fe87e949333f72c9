// The replay job queue: at most `concurrency` jobs run at once (p-limit; default 3, the seed's
// "concurrency of 3 per worker instance"). Every status change and every finished span is persisted
// in the store collection `replays`, so the history survives restarts and a job interrupted by a
// crash resumes without re-sending the spans it already finished. Progress goes out as events.
// Each queue holds a lease in the store (queue-owner.ts) and stamps its jobs with it: resume takes
// only jobs whose owner died, never those a live process (the extension, another CLI) is running.
import { errorMessage } from '../util/error-message';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Trace } from '../model/trace';
import type { JsonDocumentCollection } from '../store/document-collection';
import { ReplayJobNotFoundError } from './replay-errors';
import { ReplayEventListeners } from './replay-event-listeners';
import type { ReplayJobQueue } from './replay-job-queue';
import { listReplayJobs, openReplayJobs } from './replay-history';
import { newReplayJobId } from './replay-ids';
import { QueueOwner } from './queue-owner';
import { checkReplayOverrides } from './replay-parameters';
import { checkForkSpan } from './replay-fork';
import { markRunning, runReplayJob } from './replay-runner';
import type { ReplayServices } from './replay-services';
import type { ReplaySample } from './replay-samples';
import { TERMINAL_STATUSES, type ReplayEvent, type ReplayJob, type ReplayOverrides } from './replay-types';
import { ResponseCache } from './response-cache';

export { REPLAYS_COLLECTION } from './replay-history';
export const DEFAULT_REPLAY_CONCURRENCY = 3;

export interface ReplayQueueOptions {
  /** Jobs running at once; default 3. */
  concurrency?: number;
  /** Asked before a job starts and before each of its spans is sent (e.g. CostBudget.mayStart): a
   *  refusal ends the job CANCELLED with its message and code; running calls finish. */
  mayStart?: () => { message: string; code: string } | undefined;
}

interface Tracked {
  job: ReplayJob;
  controller: AbortController;
  done: Promise<ReplayJob>;
  resolve: (job: ReplayJob) => void;
  enqueuedAt: number;
  /** The trace, read while the job waits for a slot (see prefetch). */
  trace?: Promise<Trace | undefined>;
  /** Frees the job's slot (its provider work is done, or it ended). */
  releaseSlot?: () => void;
}

function snapshot(job: ReplayJob): ReplayJob {
  return structuredClone(job);
}

export class ReplayQueue implements ReplayJobQueue {
  private readonly limit: LimitFunction;
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners = new ReplayEventListeners();
  // Job writes not yet on disk (close waits for them). The store's queue keeps them in call
  // order, and a newer snapshot of a job still waiting there replaces the older one.
  private readonly saving = new Set<Promise<void>>();
  // Jobs whose trace was read ahead, by trace id, so a change to the trace drops the copy.
  private readonly prefetched = new Map<string, Set<Tracked>>();
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly services: ReplayServices,
    private readonly jobs: JsonDocumentCollection<ReplayJob>,
    private readonly cache: ResponseCache,
    private readonly owner: QueueOwner,
    concurrency: number,
    private readonly mayStart?: ReplayQueueOptions['mayStart'],
  ) {
    this.limit = pLimit(Math.max(1, Math.floor(concurrency)));
    this.unsubscribe = services.store.onDidChange((e) => {
      for (const id of e.traceIds) {
        for (const t of this.prefetched.get(id) ?? []) delete t.trace;
        this.prefetched.delete(id);
      }
    });
  }

  static async open(services: ReplayServices, options: ReplayQueueOptions = {}): Promise<ReplayQueue> {
    const jobs = await openReplayJobs(services.store);
    const cache = await ResponseCache.open(services.store);
    const owner = await QueueOwner.acquire(services.store);
    return new ReplayQueue(
      services,
      jobs,
      cache,
      owner,
      options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY,
      options.mayStart,
    );
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  set concurrency(value: number) {
    this.limit.concurrency = Math.max(1, Math.floor(value));
  }

  /** Listener for progress events; returns an unsubscribe function. */
  onEvent(listener: (event: ReplayEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Persists a PENDING job and schedules it. Throws InvalidOverrideError before creating anything. */
  async enqueue(traceId: string, overrides: ReplayOverrides = {}, sample?: ReplaySample): Promise<ReplayJob> {
    checkReplayOverrides(overrides, this.services.toolHost !== undefined);
    if (overrides.fromSpanId !== undefined) {
      // The span a replay forks at is checked before the job exists (a missing trace fails the job).
      const trace = await this.services.store.getTrace(traceId);
      if (trace) checkForkSpan(trace, overrides, this.services.toolHost !== undefined);
    }
    const job: ReplayJob = {
      id: newReplayJobId(),
      traceId,
      status: 'PENDING',
      owner: this.owner.id,
      overrides: structuredClone(overrides),
      ...(sample ? { sample: { ...sample } } : {}),
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
    };
    await this.schedule(job);
    return snapshot(job);
  }

  /** Re-schedules the jobs an interrupted run left PENDING or RUNNING (crash, kill, reload): jobs
   *  whose owner is no longer alive. Their finished spans are kept and not sent again. Jobs of a live
   *  owner (another process running them now) are left alone; see `runningElsewhere`. */
  async resume(): Promise<ReplayJob[]> {
    const resumed: ReplayJob[] = [];
    for (const listed of await this.listJobs()) {
      if (TERMINAL_STATUSES.has(listed.status) || this.tracked.has(listed.id) || listed.queue) continue;
      if (await this.owner.isAlive(listed.owner)) continue;
      // Claimed in one store task, under the folder's lock: two queues resuming at once cannot both
      // take a job, and one that another queue claimed since the listing stays with it.
      const claimed = await this.jobs.update(listed.id, async (current) => {
        if (!current || TERMINAL_STATUSES.has(current.status)) return undefined;
        if (current.owner !== listed.owner && (await this.owner.isAlive(current.owner))) return undefined;
        return { ...current, owner: this.owner.id, status: 'PENDING', resumed: (current.resumed ?? 0) + 1 };
      });
      if (!claimed || this.tracked.has(claimed.id)) continue;
      await this.schedule(claimed);
      resumed.push(snapshot(claimed));
    }
    return resumed;
  }

  /** Unfinished jobs that another live process is running (not resumable from here). */
  async runningElsewhere(): Promise<ReplayJob[]> {
    const out: ReplayJob[] = [];
    for (const job of await this.listJobs()) {
      if (TERMINAL_STATUSES.has(job.status) || this.tracked.has(job.id) || job.owner === this.owner.id || job.queue)
        continue;
      if (await this.owner.isAlive(job.owner)) out.push(job);
    }
    return out;
  }

  /** Resolves with the job once it is COMPLETED, FAILED or CANCELLED. */
  async wait(jobId: string): Promise<ReplayJob> {
    const tracked = this.tracked.get(jobId);
    if (tracked) return tracked.done;
    const stored = await this.jobs.get(jobId);
    if (!stored) throw new ReplayJobNotFoundError(jobId);
    return stored;
  }

  /** Cancels a pending or running job (in-flight provider calls are aborted). False when the job
   *  is not queued or running here. */
  async cancel(jobId: string): Promise<boolean> {
    const tracked = this.tracked.get(jobId);
    if (!tracked || TERMINAL_STATUSES.has(tracked.job.status)) return false;
    tracked.controller.abort();
    if (tracked.job.status === 'PENDING') {
      // Not started yet: end it now instead of when a slot frees.
      tracked.job.status = 'CANCELLED';
      tracked.job.error = 'The replay was cancelled.';
      tracked.job.errorCode = 'CANCELLED';
      tracked.job.finishedAt = new Date().toISOString();
      await this.settle(tracked);
    } else {
      await tracked.done;
    }
    return true;
  }

  async getJob(jobId: string): Promise<ReplayJob | undefined> {
    const tracked = this.tracked.get(jobId);
    return tracked ? snapshot(tracked.job) : this.jobs.get(jobId);
  }

  /** Replay history, newest first; unreadable job documents are skipped. */
  async listJobs(filter: { traceId?: string } = {}): Promise<ReplayJob[]> {
    return listReplayJobs(this.jobs, filter);
  }

  /** Resolves when every queued and running job has ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.tracked.values()].map((t) => t.done));
  }

  /** Cancels everything still queued or running and waits for it to end. */
  async close(): Promise<void> {
    await Promise.all([...this.tracked.keys()].map((id) => this.cancel(id)));
    await this.detach();
  }

  /** Leaves the jobs as they are on disk (a shutdown: the next run resumes them) and gives up this
   *  queue's lease, so its unfinished jobs count as interrupted at once. */
  async detach(): Promise<void> {
    await Promise.all([...this.saving].map((p) => p.catch(() => undefined)));
    this.unsubscribe();
    await this.owner.release();
  }

  private async schedule(job: ReplayJob): Promise<void> {
    let resolve!: (job: ReplayJob) => void;
    const done = new Promise<ReplayJob>((r) => (resolve = r));
    const tracked: Tracked = { job, controller: new AbortController(), done, resolve, enqueuedAt: Date.now() };
    this.tracked.set(job.id, tracked);
    const saved = this.save(job);
    this.emit({ type: 'job-queued', job });
    // Scheduled before the PENDING write lands: writes of one job stay ordered (see save), and a
    // burst of enqueues does not hold the first jobs back behind everyone's PENDING write. A slot is
    // for provider work: it is freed when the job's calls and evaluation are done, so the next job's
    // requests do not wait for this one's store writes (at most `concurrency` jobs talk to providers).
    void this.limit(
      () =>
        new Promise<void>((release) => {
          tracked.releaseSlot = release;
          void this.run(tracked).finally(release);
        }),
    );
    this.prefetch();
    await saved;
  }

  private async run(tracked: Tracked): Promise<void> {
    const { job } = tracked;
    if (job.status !== 'PENDING') return; // cancelled while queued
    const refusal = this.mayStart?.();
    if (refusal) {
      // Not started: it ends here, saying why (e.g. the cost budget is spent).
      tracked.controller.abort();
      job.status = 'CANCELLED';
      job.error = refusal.message;
      job.errorCode = refusal.code;
      job.finishedAt = new Date().toISOString();
      void this.takePrefetched(tracked);
      await this.settle(tracked).catch(() => {
        this.tracked.delete(job.id);
        tracked.resolve(snapshot(job));
      });
      return;
    }
    const trace = this.takePrefetched(tracked);
    this.prefetch();
    let saved = false;
    try {
      markRunning(job, tracked.enqueuedAt);
      this.persistLater(job);
      this.emit({ type: 'job-started', job });
      const { finalSaved } = await runReplayJob(job, this.services, {
        signal: tracked.controller.signal,
        cache: this.cache,
        trace,
        save: (j) => this.persistLater(j),
        saveNow: (j) => this.save(j),
        emit: (e) => this.emit(e),
        providerWorkDone: () => tracked.releaseSlot?.(),
        ...(this.mayStart ? { mayStart: this.mayStart } : {}),
      });
      saved = finalSaved;
    } catch (err) {
      // Only the store can fail here (runReplayJob keeps job errors in the job); end the job anyway.
      job.status = 'FAILED';
      job.error = `The replay could not be saved: ${errorMessage(err)}`;
    }
    if (!saved) job.finishedAt = new Date().toISOString();
    try {
      await this.settle(tracked, saved);
    } catch {
      this.tracked.delete(job.id);
      tracked.resolve(snapshot(job));
    }
  }

  /** `saved`: the job's final state is already on disk (the runner wrote it with the trace). */
  private async settle(tracked: Tracked, saved = false): Promise<void> {
    void this.takePrefetched(tracked);
    if (!saved) await this.save(tracked.job);
    this.tracked.delete(tracked.job.id);
    this.emit({ type: 'job-finished', job: tracked.job });
    tracked.resolve(snapshot(tracked.job));
  }

  /** Progress writes do not hold up the next provider call; they stay ordered per job and the final
   *  write (settle) lands after them. */
  private persistLater(job: ReplayJob): void {
    void this.save(job).catch(() => undefined);
  }

  private save(job: ReplayJob): Promise<void> {
    const written = this.jobs.put(job.id, snapshot(job));
    this.saving.add(written);
    const forget = (): void => void this.saving.delete(written);
    void written.then(forget, forget);
    return written;
  }

  /** Reads the traces of the next jobs waiting for a slot (as many as run at once), so a job that
   *  starts does not wait for its trace behind other jobs' writes. A read fails or goes stale
   *  harmlessly: the job reads again when it starts (see takePrefetched). */
  private prefetch(): void {
    let ahead = 0;
    for (const t of this.tracked.values()) {
      if (ahead >= this.limit.concurrency) break;
      if (t.job.status !== 'PENDING') continue;
      ahead++;
      if (t.trace !== undefined) continue;
      const read = this.services.store.getTrace(t.job.traceId);
      void read.catch(() => undefined);
      t.trace = read;
      let waiting = this.prefetched.get(t.job.traceId);
      if (!waiting) this.prefetched.set(t.job.traceId, (waiting = new Set()));
      waiting.add(t);
    }
  }

  /** The read-ahead trace unless the trace changed since (the store's change listener dropped it). */
  private takePrefetched(tracked: Tracked): Promise<Trace | undefined> | undefined {
    const { trace } = tracked;
    delete tracked.trace;
    const waiting = this.prefetched.get(tracked.job.traceId);
    waiting?.delete(tracked);
    if (waiting?.size === 0) this.prefetched.delete(tracked.job.traceId);
    return trace;
  }

  private emit(event: ReplayEvent): void {
    this.listeners.emit(event);
  }
}
