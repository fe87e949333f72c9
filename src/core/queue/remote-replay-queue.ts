// The submitting side of a replay queue on Redis: the same surface as the local ReplayQueue (enqueue,
// wait, cancel, events), but the jobs run on `trace-replay worker` processes. A job carries the
// normalized original trace, the overrides, the resolved template, the tool definitions found here and
// the evaluator configuration (see replay-payload.ts); progress comes back through BullMQ's queue
// events as the same PENDING -> RUNNING -> COMPLETED | FAILED | CANCELLED statuses, and the replayed
// trace, span results and scores are written into this store when a job ends. Nothing is written
// and nothing is queued when Redis cannot be reached (open() says so in one sentence).
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ReplayJobNotFoundError, TraceNotFoundError } from '../replay/replay-errors';
import { ReplayEventListeners } from '../replay/replay-event-listeners';
import { listReplayJobs, openReplayJobs } from '../replay/replay-history';
import type { ReplayJobQueue } from '../replay/replay-job-queue';
import { newReplayJobId } from '../replay/replay-ids';
import { checkReplayOverrides } from '../replay/replay-parameters';
import { checkForkSpan } from '../replay/replay-fork';
import type { ReplaySample } from '../replay/replay-samples';
import {
  TERMINAL_STATUSES,
  type ReplayEvent,
  type ReplayJob,
  type ReplayOverrides,
  type ReplaySpanResult,
} from '../replay/replay-types';
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';
import { redactedMessage, redactSecrets } from '../util/redact-secrets';
import { batchJobId, CANCEL_FLAG_TTL_SECONDS, cancelChannel, cancelFlagKey } from './queue-keys';
import {
  bullmqConnection,
  checkRedis,
  DEFAULT_QUEUE_NAME,
  RedisUnavailableError,
  type RedisTarget,
} from './redis-connection';
import type { ReplayPayload, ReplayResultPayload } from './replay-payload';
import { buildReplayPayload, type PayloadSources } from './submit-payload';

/** `evaluation` as for the local engine (createReplayServices): the configuration travels with each job. */
export interface RemoteReplayQueueOptions extends PayloadSources {
  redis: RedisTarget;
  queueName?: string;
  /** How long finished jobs stay in Redis for a submitter to collect (default a day). */
  keepFinishedSeconds?: number;
  /** Names the batch: a job's id derives from it, the trace and the overrides, so a rerun with the
   *  same batch id takes a completed job from the store, collects a job that finished in Redis
   *  meanwhile, follows one still running, and submits only what is missing. */
  batchId?: string;
  /** Redis unreachable this long while jobs are out: they end FAILED (REDIS_LOST) instead of waiting
   *  for ever; what completed before is kept. Default 30 s. */
  lostAfterMs?: number;
  /** Asked before each job is submitted and whenever a result comes back (e.g. CostBudget.mayStart):
   *  a refusal submits nothing more and takes the jobs still waiting in Redis off the queue, CANCELLED
   *  with its message and code. Jobs a worker already runs finish (workers know no budget). */
  mayStart?: () => { message: string; code: string } | undefined;
}

interface Tracked {
  job: ReplayJob;
  done: Promise<ReplayJob>;
  resolve(job: ReplayJob): void;
}

/** The BullMQ event for a progress report of the worker. */
type ProgressReport = ReplayEvent & { job: ReplayJob };

const DAY_SECONDS = 24 * 3600;

export class RemoteReplayQueue implements ReplayJobQueue {
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners = new ReplayEventListeners();
  private readonly saving = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly store: TraceStore,
    private readonly jobs: JsonDocumentCollection<ReplayJob>,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly publisher: Redis,
    private readonly options: RemoteReplayQueueOptions,
  ) {
    events.on('progress', ({ jobId, data }) => this.onProgress(jobId, data as unknown as ProgressReport));
    events.on('completed', ({ jobId, returnvalue }) => void this.onCompleted(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => void this.onFailed(jobId, failedReason));
    // The publisher's connection stands for Redis: while it is down, results cannot come back.
    publisher.on('close', () => this.connectionLost());
    publisher.on('ready', () => this.connectionBack());
  }

  private lostTimer?: NodeJS.Timeout;

  private connectionLost(): void {
    if (this.lostTimer || this.closed) return;
    this.lostTimer = setTimeout(() => void this.giveUp(), this.options.lostAfterMs ?? 30_000);
  }

  private connectionBack(): void {
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
  }

  /** Redis stayed away: every job still out ends FAILED, saying so; completed ones are kept. */
  private async giveUp(): Promise<void> {
    this.lostTimer = undefined;
    const out = [...this.tracked.values()].filter((t) => !TERMINAL_STATUSES.has(t.job.status));
    const seconds = Math.round((this.options.lostAfterMs ?? 30_000) / 1000);
    for (const { job } of out) {
      const error = `Lost the connection to Redis at ${this.where} for ${seconds} s before this replay's result came back; replay the trace again (replays that completed are stored).`;
      await this.end(job, 'FAILED', error, 'REDIS_LOST');
    }
  }

  /** Checks that Redis answers (RedisUnavailableError otherwise), then listens to the queue's events. */
  static async open(store: TraceStore, options: RemoteReplayQueueOptions): Promise<RemoteReplayQueue> {
    await checkRedis(options.redis);
    const name = options.queueName ?? DEFAULT_QUEUE_NAME;
    const connection = bullmqConnection(options.redis);
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    // Its commands fail at once while Redis is away (no offline queue): a cancel never hangs.
    const publisher = new Redis({ ...options.redis.options, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    queue.on('error', () => undefined); // connection trouble: ioredis reconnects; calls report their own errors
    events.on('error', () => undefined);
    publisher.on('error', () => undefined);
    await Promise.all([
      queue.waitUntilReady(),
      events.waitUntilReady(),
      publisher.status === 'ready' ? undefined : new Promise((resolve) => publisher.once('ready', resolve)),
    ]);
    const jobs = await openReplayJobs(store);
    return new RemoteReplayQueue(store, jobs, queue, events, publisher, options);
  }

  get queueName(): string {
    return this.options.queueName ?? DEFAULT_QUEUE_NAME;
  }

  /** Where the jobs run, as shown and stored (password redacted). */
  get where(): string {
    return `${redactSecrets(this.options.redis.url)}#${this.queueName}`;
  }

  onEvent(listener: (event: ReplayEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Reads what the job needs here (trace, template, tools, evaluators), stores it PENDING and queues
   *  it. Throws (before storing or queuing anything) when one of them cannot be read. */
  async enqueue(traceId: string, overrides: ReplayOverrides = {}, sample?: ReplaySample): Promise<ReplayJob> {
    checkReplayOverrides(overrides);
    // Redis went away since open(): say so now rather than wait in BullMQ's offline queue.
    if (this.publisher.status !== 'ready')
      throw new RedisUnavailableError(this.options.redis.url, `the connection is ${this.publisher.status}`);
    const trace = await this.store.getTrace(traceId);
    if (!trace) throw new TraceNotFoundError(traceId);
    checkForkSpan(trace, overrides);
    const id =
      this.options.batchId !== undefined
        ? batchJobId(this.options.batchId, traceId, overrides, sample)
        : newReplayJobId();
    const again = this.options.batchId !== undefined ? await this.pickUp(id) : undefined;
    if (again) return again;
    const job: ReplayJob = {
      id,
      traceId,
      status: 'PENDING',
      queue: this.where,
      overrides: structuredClone(overrides),
      ...(sample ? { sample: { ...sample } } : {}),
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
    };
    const refusal = this.options.mayStart?.();
    if (refusal) {
      // Not submitted (e.g. the cost budget is spent): stored as ended, saying why.
      void this.track(job);
      await this.end(job, 'CANCELLED', refusal.message, refusal.code);
      return structuredClone(job);
    }
    const payload = await buildReplayPayload(this.store, job, trace, this.options);
    void this.track(job);
    // The PENDING document is written in the background: the store keeps a job's writes in call
    // order, so the final one (settle) still lands last, and a batch reaches the workers without
    // waiting for each job's write.
    this.persistLater(job);
    try {
      await this.queue.add('replay', payload, {
        jobId: job.id,
        removeOnComplete: { age: this.options.keepFinishedSeconds ?? DAY_SECONDS },
        removeOnFail: { age: this.options.keepFinishedSeconds ?? DAY_SECONDS },
      });
    } catch (err) {
      await this.end(
        job,
        'FAILED',
        `The job could not be queued on ${this.where}: ${redactedMessage(err)}`,
        'QUEUE_SUBMIT_FAILED',
      );
      return structuredClone(job);
    }
    this.emit({ type: 'job-queued', job });
    return structuredClone(job);
  }

  /** A job of this batch that a previous run submitted: completed (in the store, or in Redis where
   *  it finished after that run stopped following it) or still out (followed from here). Undefined:
   *  submit it (again). */
  private async pickUp(id: string): Promise<ReplayJob | undefined> {
    const stored = await this.jobs.get(id);
    if (stored?.status === 'COMPLETED') return stored;
    const previous = await this.queue.getJob(id);
    const state = previous ? await previous.getState() : undefined;
    if (!previous || !state || state === 'failed' || state === 'unknown') {
      await previous?.remove().catch(() => undefined);
      return undefined;
    }
    const job: ReplayJob = stored ?? { ...(previous.data as ReplayPayload).job, queue: this.where };
    const done = this.track({ ...job, status: state === 'active' ? 'RUNNING' : 'PENDING' });
    // Followed from now on; one that ended before (or while) it was tracked is read once more.
    const now = await this.queue.getJob(id);
    const ended = now ? await now.getState() : 'unknown';
    if (ended === 'completed') await this.onCompleted(id, now!.returnvalue);
    else if (ended === 'failed' || ended === 'unknown')
      await this.onFailed(id, now?.failedReason || 'The job left the queue before its result was collected.');
    return structuredClone(this.tracked.get(id)?.job ?? (await done));
  }

  async wait(jobId: string): Promise<ReplayJob> {
    const tracked = this.tracked.get(jobId);
    if (tracked) return tracked.done;
    const stored = await this.jobs.get(jobId);
    if (!stored) throw new ReplayJobNotFoundError(jobId);
    return stored;
  }

  /** A waiting job is taken off the queue; a running one is stopped by its worker (it ends
   *  CANCELLED). False when the job is not followed here or has ended. */
  async cancel(jobId: string): Promise<boolean> {
    const tracked = this.tracked.get(jobId);
    if (!tracked || TERMINAL_STATUSES.has(tracked.job.status)) return false;
    await this.publisher
      .set(cancelFlagKey(this.queueName, jobId), '1', 'EX', CANCEL_FLAG_TTL_SECONDS)
      .catch(() => undefined); // Redis away: the job ends when it comes back, or as REDIS_LOST
    const removed = this.publisher.status === 'ready' ? await this.queue.remove(jobId).catch(() => 0) : 0;
    if (removed === 1 && !TERMINAL_STATUSES.has(tracked.job.status)) {
      await this.end(tracked.job, 'CANCELLED', 'The replay was cancelled.', 'CANCELLED');
    } else {
      await this.publisher.publish(cancelChannel(this.queueName), jobId).catch(() => undefined);
      await tracked.done;
    }
    return true;
  }

  /** Replay history of the store, newest first (jobs followed here as they are now). */
  async listJobs(filter: { traceId?: string } = {}): Promise<ReplayJob[]> {
    const stored = await listReplayJobs(this.jobs, filter);
    return stored.map((job) => structuredClone(this.tracked.get(job.id)?.job ?? job));
  }

  async getJob(jobId: string): Promise<ReplayJob | undefined> {
    const tracked = this.tracked.get(jobId);
    return tracked ? structuredClone(tracked.job) : this.jobs.get(jobId);
  }

  /** Jobs of this queue left unfinished by a submitter that stopped are not taken over yet: none. */
  async resume(): Promise<ReplayJob[]> {
    return [];
  }

  async runningElsewhere(): Promise<ReplayJob[]> {
    return [];
  }

  /** Cancels what is still queued or running, waits for it to end and disconnects. */
  async close(): Promise<void> {
    await Promise.all([...this.tracked.keys()].map((id) => this.cancel(id).catch(() => false)));
    await this.detach();
  }

  /** Disconnects, leaving the jobs to the workers. */
  async detach(): Promise<void> {
    this.closed = true;
    this.connectionBack();
    await Promise.all([...this.saving].map((p) => p.catch(() => undefined)));
    if (this.publisher.status === 'ready') {
      await Promise.all([this.events.close(), this.queue.close(), this.publisher.quit().catch(() => undefined)]);
    } else {
      // Redis is away: drop the connections at once (a polite close would wait for it to return).
      this.publisher.disconnect();
      const dropped = Promise.all([this.events.getBackend().close(true), this.queue.getBackend().close(true)]);
      await Promise.all([this.events.close(), this.queue.close(), dropped]).catch(() => undefined);
    }
  }

  private onProgress(jobId: string, report: ProgressReport): void {
    const tracked = this.tracked.get(jobId);
    if (!tracked || TERMINAL_STATUSES.has(tracked.job.status) || typeof report !== 'object' || !report?.job) return;
    if (report.type === 'job-finished' || report.type === 'job-queued') return;
    tracked.job = { ...report.job, queue: this.where };
    const job = tracked.job;
    // RUNNING is stored (the history shows where the job is); span progress only goes to the
    // listeners: the job runs on the worker, which keeps its finished spans if it must stop.
    if (report.type === 'job-started') this.persistLater(job);
    if (report.type === 'span-finished') {
      this.emit({ type: 'span-finished', job, result: report.result as ReplaySpanResult });
      void this.stopWaitingIfRefused();
    } else if (report.type === 'span-started')
      this.emit({ type: 'span-started', job, originalSpanId: report.originalSpanId });
    else this.emit({ type: 'job-started', job });
  }

  private async onCompleted(jobId: string, returnvalue: unknown): Promise<void> {
    const tracked = this.tracked.get(jobId);
    if (!tracked || TERMINAL_STATUSES.has(tracked.job.status)) return;
    const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ReplayResultPayload;
    const job: ReplayJob = { ...result.job, queue: this.where };
    tracked.job = job;
    if (result.replayTrace) await this.store.putTrace(result.replayTrace);
    await this.settle(job);
  }

  private async onFailed(jobId: string, failedReason: string): Promise<void> {
    const tracked = this.tracked.get(jobId);
    if (!tracked || TERMINAL_STATUSES.has(tracked.job.status)) return;
    const reason = redactSecrets(failedReason || 'The worker failed the job without a reason.');
    await this.end(tracked.job, 'FAILED', reason, 'QUEUE_JOB_FAILED');
  }

  /** Ends a job here (it did not come back from a worker): FAILED or CANCELLED, with its sentence. */
  private end(job: ReplayJob, status: 'FAILED' | 'CANCELLED', error: string, errorCode: string): Promise<void> {
    job.status = status;
    job.error = error;
    job.errorCode = errorCode;
    job.finishedAt = new Date().toISOString();
    return this.settle(job);
  }

  /** Follows `job` from now on; resolves with it once it ended. */
  private track(job: ReplayJob): Promise<ReplayJob> {
    let resolve!: (job: ReplayJob) => void;
    const done = new Promise<ReplayJob>((r) => (resolve = r));
    this.tracked.set(job.id, { job, done, resolve });
    return done;
  }

  private async settle(job: ReplayJob): Promise<void> {
    const tracked = this.tracked.get(job.id);
    await Promise.all([...this.saving].map((p) => p.catch(() => undefined)));
    await this.jobs.put(job.id, structuredClone(job));
    this.tracked.delete(job.id);
    this.emit({ type: 'job-finished', job });
    tracked?.resolve(structuredClone(job));
    await this.stopWaitingIfRefused();
  }

  private stopping = false;

  /** When mayStart refuses now (a result just crossed the budget): the jobs still waiting in Redis
   *  are taken off the queue and end CANCELLED with the refusal; running ones finish on their worker. */
  private async stopWaitingIfRefused(): Promise<void> {
    if (this.stopping || this.closed || !this.options.mayStart) return;
    const refusal = this.options.mayStart();
    if (!refusal) return;
    this.stopping = true;
    try {
      for (const { job } of [...this.tracked.values()]) {
        if (job.status !== 'PENDING' || this.publisher.status !== 'ready') continue;
        const removed = await this.queue.remove(job.id).catch(() => 0);
        if (removed === 1 && !TERMINAL_STATUSES.has(job.status))
          await this.end(job, 'CANCELLED', refusal.message, refusal.code);
      }
    } finally {
      this.stopping = false;
    }
  }

  private persistLater(job: ReplayJob): void {
    const written = this.jobs.put(job.id, structuredClone(job));
    this.saving.add(written);
    const forget = (): void => void this.saving.delete(written);
    void written.then(forget, forget);
  }

  private emit(event: ReplayEvent): void {
    this.listeners.emit(event);
  }
}
