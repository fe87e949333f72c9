// A replay worker: takes at most `concurrency` jobs at once (default 3, the per-instance limit of the
// local queue) from a BullMQ queue on Redis and runs each with the same runner as the local queue
// (runReplayJob). Keys and provider base URLs come from the worker's own ProviderConfigs, never from a
// job. The replayed trace is returned with the finished job, and the submitter writes both into its
// own store; the worker's private scratch store only holds its response cache. Progress (job started, each span) goes out through
// BullMQ's job progress. Stopping: `close()` lets the jobs in flight finish; after the grace period
// they are stopped and put back in the queue with the spans they finished, for another worker.
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
import { cancelChannel, cancelFlagKey } from './queue-keys';
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
    const worker = new Worker(queueName, (job, token, signal) => bound.self!.process(job, token, signal), {
      connection: bullmqConnection(options.redis),
      concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY)),
      autorun: false,
      ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    });
    const self = new ReplayWorker(worker, subscriber, commands, { dir, store, cache }, options);
    bound.self = self;
    worker.on('error', () => undefined); // connection trouble: ioredis reconnects; jobs report their own errors
    subscriber.on('error', () => undefined);
    commands.on('error', () => undefined);
    await subscriber.subscribe(cancelChannel(queueName));
    subscriber.on('message', (_channel, jobId: string) => self.cancelLocal(jobId));
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
      const finished = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'grace'>((resolve) => (timer = setTimeout(() => resolve('grace'), graceMs)));
      if ((await Promise.race([finished.then(() => 'done' as const), grace])) === 'grace') {
        for (const run of this.running.values()) {
          run.returnToQueue = true;
          run.controller.abort();
        }
        // The jobs are back in the queue; a BullMQ worker whose connection went through a Redis
        // restart can wait for ever on its own close: after another grace period it is dropped.
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

  private cancelLocal(jobId: string): void {
    this.running.get(jobId)?.controller.abort();
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
    const job = structuredClone(payload.job);
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const run: Running = { controller, saved: structuredClone(job), returnToQueue: false };
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
        save: (j) => void (run.saved = structuredClone(j)),
        saveNow: async () => undefined,
        saveFinal: async (_final, trace) => void (replayTrace = trace),
        emit: (event) => {
          if (event.type !== 'job-finished') report(event);
        },
      });
      await Promise.all(progress);
      if (run.returnToQueue) return await this.putBack(bullJob, token, payload, run.saved);
      this.emit({ type: 'job-finished', job: structuredClone(job) });
      return { version: REPLAY_PAYLOAD_VERSION, job, ...(replayTrace ? { replayTrace } : {}), worker: this.id };
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
  ): Promise<never> {
    const job: ReplayJob = {
      ...saved,
      status: 'PENDING',
      spans: saved.spans.filter((s) => s.status === 'replayed' || s.status === 'reused'),
      resumed: (saved.resumed ?? 0) + 1,
    };
    delete job.error;
    delete job.errorCode;
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
