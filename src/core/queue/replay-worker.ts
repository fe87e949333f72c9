// A replay worker: takes at most `concurrency` jobs at once (default 3, the per-instance limit of the
// local queue) from a BullMQ queue on Redis and runs each with the same runner as the local queue
// (runReplayJob). Keys and provider base URLs come from the worker's own ProviderConfigs, never from a
// job. The replayed trace is returned with the finished job, and the submitter writes both into its
// own store; the worker's private scratch store only holds its response cache. Progress (job started, each span) goes out through
// BullMQ's job progress. Stopping: `close()` lets the jobs in flight finish; after the grace period
// they are stopped and put back in the queue with the spans they finished, for another worker.
// A running job's finished spans, then its result, are also saved in Redis (runProgressKey): when Redis
// is away for longer than the job lock, BullMQ refuses the worker's completion once Redis is back and
// its stalled-job check hands the job out again; that run starts from the saved progress (a finished
// job's result is returned as it is), so no span is sent twice. A worker whose lock renewal is refused
// stops its run of that job (the spans it finished are saved): the job is another run's now.
// Each worker reconnects on its own schedule (ioredis retries at most every 2 s), so the run handed
// out again can start before the earlier worker's saves reach Redis: a job BullMQ recovered from a
// stall that finds nothing saved waits for them (progressChannel) up to EARLIER_RUN_WAIT_MS.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { LlmGatewayOptions } from '../llm/llm-gateway';
import type { ProviderConfigs } from '../llm/llm-types';
import { createJobEvaluator } from '../eval/job-evaluator';
import { createReplayServices, replayTemplateOf } from '../replay/default-replay-services';
import { markRunning, runReplayJob } from '../replay/replay-runner';
import type { ReplayServices } from '../replay/replay-services';
import type { Trace } from '../model/trace';
import type { ReplayEvent, ReplayJob } from '../replay/replay-types';
import { ResponseCache } from '../replay/response-cache';
import { ToolDefinitionsFileError } from '../replay/tool-definitions';
import { TraceStore } from '../store/trace-store';
import { redactedMessage } from '../util/redact-secrets';
import { UserError } from '../util/user-error';
import { cancelChannel, cancelFlagKey, progressChannel, RUN_PROGRESS_TTL_SECONDS, runProgressKey } from './queue-keys';
import { RateLimitProviderError, sharedRateLimiter, type RateLimit } from './shared-rate-limit';
import { bullmqConnection, DEFAULT_QUEUE_NAME, type RedisTarget } from './redis-connection';
import {
  payloadJobId,
  readReplayPayload,
  REPLAY_PAYLOAD_VERSION,
  type ReplayPayload,
  type ReplayResultPayload,
} from './replay-payload';
import { DEFAULT_REPLAY_CONCURRENCY } from '../replay/replay-queue';

/** What a worker says as it goes (the CLI prints it). */
export type WorkerEvent =
  | { type: 'job-started'; job: ReplayJob }
  | { type: 'job-finished'; job: ReplayJob }
  | { type: 'job-returned'; jobId: string }
  | { type: 'job-refused'; jobId?: string; reason: string };

export interface ReplayWorkerOptions {
  redis: RedisTarget;
  queueName?: string;
  /** Jobs at once; default 3. */
  concurrency?: number;
  /** The worker's own providers (keys, base URLs) from its environment. */
  configs: ProviderConfigs;
  gatewayOptions?: LlmGatewayOptions;
  /** BullMQ's job lock: a worker that stops renewing it (killed) loses its jobs to others after
   *  about this long. Default 30 s; tests shorten it. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default: BullMQ's 30 s). */
  stalledIntervalMs?: number;
  /** Provider request limits shared with every worker of the queue (see shared-rate-limit.ts). */
  rateLimits?: RateLimit[];
  onEvent?(event: WorkerEvent): void;
}

interface Running {
  controller: AbortController;
  /** The job as last saved by the runner (finished spans), for putting it back in the queue. */
  saved: ReplayJob;
  returnToQueue: boolean;
  /** The runner returned: a refused lock renewal changes nothing any more. */
  finished: boolean;
  /** BullMQ could not renew the job's lock: the run stops, its result is not this worker's to give. */
  lockLost: boolean;
  /** The progress writes to Redis, in order. */
  writes: Promise<void>;
  /** The newest progress not written yet (while Redis is away only the newest goes out once back). */
  unwritten?: SavedRun;
}

/** How long a run handed out again after a stall waits for an earlier run's saves (that worker may
 *  be gone: then the job starts from the beginning after this). */
const EARLIER_RUN_WAIT_MS = 5000;

/** What runProgressKey holds: the job as its last run saved it, or the result of a run that finished. */
type SavedRun = { job: ReplayJob; result?: undefined } | { result: ReplayResultPayload; job?: undefined };

/** A run stopped because BullMQ took its lock away (Redis was away for longer than the lock). */
export class JobLockLostError extends UserError {
  readonly code = 'JOB_LOCK_LOST';
  constructor(jobId: string) {
    super(
      `The worker lost its lock on job ${jobId} (Redis was unreachable for longer than the job lock) and stopped its run; the spans it finished are saved for the next run.`,
    );
    this.name = 'JobLockLostError';
  }
}

/** The job to run again from what an earlier run finished: its replayed (or reused) spans are kept
 *  and not sent again. */
function resumable(saved: ReplayJob): ReplayJob {
  const job: ReplayJob = {
    ...structuredClone(saved),
    status: 'PENDING',
    spans: saved.spans.filter((s) => s.status === 'replayed' || s.status === 'reused'),
    resumed: (saved.resumed ?? 0) + 1,
  };
  delete job.error;
  delete job.errorCode;
  return job;
}

export class ReplayWorker {
  readonly id = `${os.hostname()}:${process.pid}`;
  private readonly running = new Map<string, Running>();
  private closing?: Promise<void>;
  /** Built once: the gateway keeps one SDK client (and its connections) per provider. */
  private readonly base: ReplayServices;

  private constructor(
    private readonly worker: Worker,
    private readonly subscriber: Redis,
    private readonly commands: Redis,
    private readonly scratch: { dir: string; store: TraceStore; cache: ResponseCache },
    private readonly options: ReplayWorkerOptions,
  ) {
    const limiter = sharedRateLimiter(
      commands,
      options.queueName ?? DEFAULT_QUEUE_NAME,
      options.rateLimits ?? [],
      options.gatewayOptions?.fetch,
    );
    this.base = createReplayServices(
      scratch.store,
      options.configs,
      { ...options.gatewayOptions, fetch: limiter.fetch },
      { decorateGateway: limiter.decorateGateway },
    );
  }

  /** Throws RateLimitSpecError (usage) when a rate limit names a provider not configured here. */
  static async start(options: ReplayWorkerOptions): Promise<ReplayWorker> {
    const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    for (const limit of options.rateLimits ?? []) {
      if (!options.configs[limit.provider]) throw new RateLimitProviderError(limit, Object.keys(options.configs));
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-replay-worker-'));
    const store = await TraceStore.open(dir);
    const cache = await ResponseCache.open(store);
    const subscriber = new Redis(options.redis.options);
    const commands = new Redis(options.redis.options);
    // The processor needs the worker object, which needs the BullMQ worker: tied up once both exist.
    const bound: { self?: ReplayWorker } = {};
    const worker = new Worker(queueName, (job, token, signal) => bound.self!.track(job, token, signal), {
      connection: bullmqConnection(options.redis),
      concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY)),
      autorun: false,
      ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    });
    const self = new ReplayWorker(worker, subscriber, commands, { dir, store, cache }, options);
    bound.self = self;
    worker.on('error', () => undefined); // connection trouble: ioredis reconnects; jobs report their own errors
    worker.on('lockRenewalFailed', (jobIds: string[]) => self.lockLost(jobIds));
    // The job's end is in Redis now: its saved progress is not needed any more.
    worker.on('completed', (job: Job) => self.forget(job.id));
    worker.on('failed', (job: Job | undefined) => self.forget(job?.id));
    subscriber.on('error', () => undefined);
    commands.on('error', () => undefined);
    await subscriber.subscribe(cancelChannel(queueName), progressChannel(queueName));
    subscriber.on('message', (channel: string, jobId: string) =>
      channel === cancelChannel(queueName) ? self.cancelLocal(jobId) : self.progressSaved(jobId),
    );
    void worker.run();
    await worker.waitUntilReady();
    return self;
  }

  get queueName(): string {
    return this.options.queueName ?? DEFAULT_QUEUE_NAME;
  }

  get concurrency(): number {
    return this.worker.concurrency;
  }

  /** Stops taking jobs; the jobs in flight finish, or after `graceMs` are stopped and put back in
   *  the queue (with the spans they finished) for another worker. */
  close(graceMs = 30_000): Promise<void> {
    this.closing ??= (async () => {
      const finished = this.closeBullmq();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'grace'>((resolve) => (timer = setTimeout(() => resolve('grace'), graceMs)));
      if ((await Promise.race([finished.then(() => 'done' as const), grace])) === 'grace') {
        for (const run of this.running.values()) {
          run.returnToQueue = true;
          run.controller.abort();
        }
        // The jobs are back in the queue. Should BullMQ's own close still not return (Redis went
        // away after it began and stays away: its last commands wait for it, see closeBullmq), the
        // worker is dropped after another grace period.
        const dropAfter = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), graceMs)));
        if ((await Promise.race([finished.then(() => 'done' as const), dropAfter])) === 'stuck') {
          await this.worker
            .getBackend()
            .close(true)
            .catch(() => undefined);
          void finished.catch(() => undefined);
        }
      }
      clearTimeout(timer);
      await this.subscriber.quit().catch(() => undefined);
      await this.commands.quit().catch(() => undefined);
      await this.scratch.store.close();
      await rm(this.scratch.dir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  /** The processor's runs in progress (close() waits for them itself while Redis is away). */
  private readonly inFlight = new Set<Promise<unknown>>();

  private track(job: Job, token: string | undefined, signal?: AbortSignal): Promise<ReplayResultPayload> {
    const run = this.process(job, token, signal);
    const settled = run.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return run;
  }

  /** BullMQ's close(), or, while the worker's blocking connection is not connected (Redis away), our
   *  own wait for the runs in flight followed by a forced close. Why: BullMQ 6.7's graceful close
   *  begins with disconnectBlocking(true), which calls ioredis disconnect() on the blocking client
   *  and waits for its 'end' event; a client in the 'reconnecting' state has no socket, so disconnect()
   *  only clears its reconnect timer and 'end' never comes — close() waits for ever, even after Redis
   *  is back (https://github.com/taskforcesh/bullmq/issues/4656, fix proposed in
   *  https://github.com/taskforcesh/bullmq/pull/4676; also #2430). A forced close skips that wait;
   *  the results of runs that ended while Redis was away cannot be handed to BullMQ then, but they
   *  are saved (runProgressKey) and the run BullMQ hands out after the stall returns them. */
  private async closeBullmq(): Promise<void> {
    const blocking = await this.worker.getBackend().blockingConnection?.client.catch(() => undefined);
    if (!blocking || blocking.status === 'ready') return this.worker.close();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    return this.worker.close(true);
  }

  private cancelLocal(jobId: string): void {
    this.running.get(jobId)?.controller.abort();
  }

  private lockLost(jobIds: string[]): void {
    for (const id of jobIds) {
      const run = this.running.get(id);
      if (!run || run.finished) continue;
      run.lockLost = true;
      run.controller.abort();
    }
  }

  private readonly progressWaiters = new Map<string, Set<() => void>>();

  private progressSaved(jobId: string): void {
    for (const wake of this.progressWaiters.get(jobId) ?? []) wake();
  }

  /** The earlier run's saves, for a job BullMQ recovered from a stall: read now, or once that run's
   *  worker says it saved (its connection came back), or nothing after EARLIER_RUN_WAIT_MS. A job
   *  never stalled had no earlier run that lost it: nothing (what a key may still hold is stale). */
  private async earlierRun(bullJob: Job, jobId: string): Promise<SavedRun | undefined> {
    if (!(bullJob.stalledCounter > 0)) return undefined;
    let wake!: () => void;
    const saved = new Promise<void>((resolve) => (wake = resolve));
    const waiters = this.progressWaiters.get(jobId) ?? new Set();
    this.progressWaiters.set(jobId, waiters.add(wake));
    let timer: NodeJS.Timeout | undefined;
    try {
      const now = await this.savedRun(jobId);
      if (now) return now;
      const waitMs = Math.min(EARLIER_RUN_WAIT_MS, this.options.lockDurationMs ?? EARLIER_RUN_WAIT_MS);
      await Promise.race([saved, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      return await this.savedRun(jobId);
    } finally {
      clearTimeout(timer);
      waiters.delete(wake);
      if (waiters.size === 0) this.progressWaiters.delete(jobId);
    }
  }

  private forget(jobId: string | undefined): void {
    if (jobId) void this.commands.del(runProgressKey(this.queueName, jobId)).catch(() => undefined);
  }

  /** What an earlier run of the job saved (undefined: none, or unreadable). */
  private async savedRun(jobId: string): Promise<SavedRun | undefined> {
    const text = await this.commands.get(runProgressKey(this.queueName, jobId));
    if (!text) return undefined;
    try {
      const saved = JSON.parse(text) as SavedRun;
      return saved.result?.job?.id === jobId || saved.job?.id === jobId ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves the run's progress after the writes before it (a failed write loses one step, no more).
   *  While Redis is away nothing is queued: once it is back, only the newest progress is written, so
   *  a run waiting for it (earlierRun) is not woken by an older one. */
  private saveRun(run: Running, jobId: string, saved: SavedRun): Promise<void> {
    run.unwritten = saved;
    run.writes = run.writes.then(async () => {
      if (this.commands.status !== 'ready')
        await new Promise<void>((resolve) => this.commands.once('ready', () => resolve()));
      const newest = run.unwritten;
      run.unwritten = undefined;
      if (!newest) return;
      await this.commands
        .multi()
        .set(runProgressKey(this.queueName, jobId), JSON.stringify(newest), 'EX', RUN_PROGRESS_TTL_SECONDS)
        .publish(progressChannel(this.queueName), jobId)
        .exec()
        .catch(() => undefined);
    });
    return run.writes;
  }

  private emit(event: WorkerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // a failing listener must not break a job
    }
  }

  private async process(bullJob: Job, token: string | undefined, signal?: AbortSignal): Promise<ReplayResultPayload> {
    let payload: ReplayPayload;
    try {
      payload = readReplayPayload(bullJob.data);
    } catch (err) {
      const jobId = payloadJobId(bullJob.data);
      this.emit({ type: 'job-refused', ...(jobId ? { jobId } : {}), reason: redactedMessage(err) });
      // Not ours to retry: fails the BullMQ job with the sentence, which the submitter shows.
      throw new UnrecoverableError(redactedMessage(err));
    }
    // BullMQ can still hand over a job it fetched as close() began (its blocking fetch had returned):
    // a stopping worker starts nothing and leaves the job to another worker, untouched.
    if (this.closing) return this.leave(bullJob, token, payload.job.id);
    // An earlier run lost the job (BullMQ took its lock away): its result is returned as it is, or
    // this run starts from the spans it finished.
    const earlier = await this.earlierRun(bullJob, payload.job.id);
    if (earlier?.result) {
      this.emit({ type: 'job-finished', job: structuredClone(earlier.result.job) });
      return earlier.result;
    }
    const job = earlier?.job ? resumable(earlier.job) : structuredClone(payload.job);
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const run: Running = {
      controller,
      saved: structuredClone(job),
      returnToQueue: false,
      finished: false,
      lockLost: false,
      writes: Promise.resolve(),
    };
    this.running.set(job.id, run);
    try {
      if (await this.commands.exists(cancelFlagKey(this.queueName, job.id))) controller.abort();
      markRunning(job, bullJob.timestamp);
      const progress: Promise<void>[] = [];
      const report = (event: ReplayEvent): void => {
        const sent = bullJob.updateProgress(event as unknown as object);
        progress.push(sent.catch(() => undefined));
      };
      report({ type: 'job-started', job });
      this.emit({ type: 'job-started', job: structuredClone(job) });
      let replayTrace: Trace | undefined;
      await runReplayJob(job, this.services(payload), {
        signal: controller.signal,
        cache: this.scratch.cache,
        trace: Promise.resolve(payload.trace),
        save: (j) => {
          run.saved = structuredClone(j);
          void this.saveRun(run, job.id, { job: run.saved });
        },
        saveNow: async () => undefined,
        saveFinal: async (_final, trace) => void (replayTrace = trace),
        emit: (event) => {
          if (event.type !== 'job-finished') report(event);
        },
      });
      run.finished = true;
      if (run.lockLost) {
        await run.writes;
        throw new JobLockLostError(job.id);
      }
      if (run.returnToQueue) {
        await Promise.all(progress);
        return await this.putBack(bullJob, token, payload, run.saved, run);
      }
      const result: ReplayResultPayload = {
        version: REPLAY_PAYLOAD_VERSION,
        job,
        ...(replayTrace ? { replayTrace } : {}),
        worker: this.id,
      };
      // Kept until BullMQ has the job completed: should its lock have expired meanwhile, the next run
      // returns this result instead of replaying the job again. Saved right behind the last span's
      // progress (not after the progress reports, which wait for another connection).
      await Promise.all([this.saveRun(run, job.id, { result }), ...progress]);
      this.emit({ type: 'job-finished', job: structuredClone(job) });
      return result;
    } finally {
      this.running.delete(job.id);
    }
  }

  /** The worker is stopping: the job goes back to the queue with the spans it finished (they are not
   *  sent again by the next worker). */
  private async putBack(
    bullJob: Job,
    token: string | undefined,
    payload: ReplayPayload,
    saved: ReplayJob,
    run: Running,
  ): Promise<never> {
    const job = resumable(saved);
    // The payload carries the progress now (resumed counted once): the saved copy goes.
    await run.writes;
    await this.commands.del(runProgressKey(this.queueName, job.id));
    await bullJob.updateData({ ...payload, job });
    await bullJob.moveToWait(token);
    this.emit({ type: 'job-returned', jobId: job.id });
    throw new WaitingError();
  }

  /** Back to the queue as it came (not started here). */
  private async leave(bullJob: Job, token: string | undefined, jobId: string): Promise<never> {
    await bullJob.moveToWait(token);
    this.emit({ type: 'job-returned', jobId });
    throw new WaitingError();
  }

  /** The job's services: the worker's own (one gateway, so one SDK client per provider for every
   *  job) with what the payload carries (template, tool definitions, evaluators). */
  private services(payload: ReplayPayload): ReplayServices {
    const services = this.base; // built without evaluators: the payload's are added below
    const evaluation = payload.evaluation;
    const catalog = new Map(payload.tools.catalog.map((e) => [e.name, e]));
    const file = payload.tools.file;
    return {
      ...services,
      loadTemplate: async () => {
        if (!payload.template) throw new UnrecoverableError('The job names a template but carries none.');
        return replayTemplateOf(payload.template.template, payload.template.fileName);
      },
      toolCatalog: () => ({
        find: async (name) => {
          const found = catalog.get(name);
          return found ? { definition: found.definition, where: found.where } : undefined;
        },
      }),
      loadToolDefinitions: async (p) => {
        if (file && file.path === p) return file.tools;
        throw new ToolDefinitionsFileError(p, 'the submitter sent no such tool-definitions file');
      },
      ...(evaluation
        ? {
            evaluate: createJobEvaluator({
              configs: evaluation.configs,
              configErrors: evaluation.configErrors,
              context: { gateway: services.gateway, providerConfigs: this.options.configs, allowJavaScript: false },
            }),
          }
        : {}),
    };
  }
}
