// Runs replay jobs for the CLI: one queue over the store, progress on a TTY, Ctrl+C cancels,
// resolves when every job has ended. Shared by `replay`, `batch` and `resume`: each first resumes
// the jobs an interrupted run left unfinished (their owner process is gone), and waits for them too.
import { providerConfigsFromEnv } from '../core/llm/provider-configs';
import { createReplayServices, type ReplayServiceOptions } from '../core/replay/default-replay-services';
import { parseRedisUrl } from '../core/queue/redis-connection';
import { RemoteReplayQueue } from '../core/queue/remote-replay-queue';
import type { ReplayJobQueue } from '../core/replay/replay-job-queue';
import { ReplayQueue } from '../core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../core/replay/replay-types';
import { CACHE_BYPASS_NOTICE, isRepeated, planSamples, type SampleCounts } from '../core/replay/replay-samples';
import type { TraceStore } from '../core/store/trace-store';
import type { ToolHost } from '../core/tools/tool-host';
import type { CostBudget } from '../core/replay/cost-budget';
import { countOf } from '../core/compare/format-values';
import { CliError } from './cli-error';
import { replayJobText } from './replay-json';
import { ReplayProgress } from './replay-progress';

export interface RunReplaysOptions {
  overrides: ReplayOverrides;
  concurrency: number;
  /** --json: no progress bars, no per-job text. */
  json?: boolean;
  /** Templates from Langfuse, the evaluation step. */
  services?: ReplayServiceOptions;
  /** --tools live: the MCP tool host the jobs share (the caller closes it). */
  toolHost?: ToolHost;
  /** Run the jobs on the workers of this Redis queue instead of here (see core/queue). */
  queue?: { url: string; name: string; batchId?: string };
  /** --max-cost: counts the spend from the jobs' events; once it is spent no job or span starts. */
  budget?: CostBudget;
  /** --repeat / --baseline-repeat: N A/B and M A/A samples of each trace (default one A/B sample). */
  samples?: SampleCounts;
}

/** The services' evaluation with the budget watching its llm-judge calls (a queue's workers evaluate
 *  without it: their judge calls are counted from the finished jobs). */
function judgedByBudget(
  services: ReplayServiceOptions | undefined,
  budget: CostBudget | undefined,
): ReplayServiceOptions | undefined {
  const evaluation = services?.evaluation;
  if (!budget || !evaluation) return services;
  return { ...services, evaluation: { ...evaluation, context: { ...evaluation.context, judgeSpend: budget } } };
}

export async function runReplays(
  store: TraceStore,
  traceIds: string[],
  options: RunReplaysOptions,
): Promise<ReplayJob[]> {
  return (await runReplaysAndResume(store, traceIds, options)).jobs;
}

export interface ReplaysRun {
  /** The jobs of `traceIds`, in order (with samples: each trace's A/B samples, then its A/A ones). */
  jobs: ReplayJob[];
  /** Interrupted jobs of dead processes this run took over and finished. */
  resumed: ReplayJob[];
  /** Unfinished jobs another live process is running (left to it). */
  elsewhere: ReplayJob[];
}

export async function runReplaysAndResume(
  store: TraceStore,
  traceIds: string[],
  options: RunReplaysOptions,
): Promise<ReplaysRun> {
  // A queue's jobs use the workers' keys: only a local run needs them here. A malformed provider
  // setting (ProviderConfigError) or Redis URL (RedisUrlError) is a usage error (exit 2).
  const configs = options.queue ? undefined : providerConfigsFromEnv(process.env);
  const redis = options.queue ? parseRedisUrl(options.queue.url) : undefined;
  // A read-only store fails here, in one sentence, before any provider call is paid for.
  await store.ensureWritable();
  await store.refresh();
  // Every id is checked before any job exists: a typo must not leave a FAILED job behind.
  const missing = traceIds.filter((id) => !store.getSummary(id.toLowerCase()));
  if (missing.length) {
    throw new CliError(
      `${missing.length === 1 ? `Trace ${missing[0]} is` : `Traces ${missing.join(', ')} are`} not in the store ${store.dir}; ` +
        'list the traces with `trace-replay traces`, or import them first.',
    );
  }
  const queue: ReplayJobQueue =
    options.queue && redis
      ? await RemoteReplayQueue.open(store, {
          redis,
          queueName: options.queue.name,
          ...(options.queue.batchId !== undefined ? { batchId: options.queue.batchId } : {}),
          ...(options.budget ? { mayStart: options.budget.mayStart } : {}),
          ...options.services,
        })
      : await ReplayQueue.open(
          {
            ...createReplayServices(store, configs!, undefined, judgedByBudget(options.services, options.budget)),
            ...(options.toolHost ? { toolHost: options.toolHost } : {}),
          },
          {
            concurrency: options.concurrency,
            ...(options.budget ? { mayStart: options.budget.mayStart } : {}),
          },
        );
  const onSigint = (): void => void queue.close();
  process.once('SIGINT', onSigint);
  const totals = new Map<string, number>();
  const progress = ReplayProgress.enabled(options.json) ? new ReplayProgress(totals) : undefined;
  const unsubscribe = queue.onEvent((event) => {
    options.budget?.observe(event);
    progress?.handle(event);
    if (event.type === 'job-finished' && !options.json && !progress) console.log(replayJobText(event.job));
  });
  try {
    const resumed = await queue.resume();
    if (resumed.length)
      console.error(
        `trace-replay: resuming ${countOf(resumed.length, 'interrupted replay')} of a process that stopped (finished spans are not sent again)`,
      );
    for (const job of resumed) totals.set(job.id, store.getSummary(job.traceId)?.llmSpanCount ?? 0);
    const elsewhere = await queue.runningElsewhere();
    const queued: ReplayJob[] = [];
    const counts = options.samples;
    if (counts && isRepeated(counts) && options.overrides.cache !== false)
      console.error(`trace-replay: ${CACHE_BYPASS_NOTICE}`);
    const plan = planSamples(
      traceIds.map((id) => id.toLowerCase()),
      options.overrides,
      counts ?? { repeat: 1, baselineRepeat: 0 },
      // A named Redis batch is its own run id, so a resubmitted batch keeps its samples' run.
      ...(options.queue?.batchId !== undefined ? [options.queue.batchId] : []),
    );
    for (const { traceId, overrides, sample } of plan) {
      // A bad override throws an InvalidOverrideError, a usage error (exit 2).
      const job = await queue.enqueue(traceId, overrides, sample);
      totals.set(job.id, store.getSummary(traceId)?.llmSpanCount ?? 0);
      queued.push(job);
    }
    // The sample is the plan's own (a job a worker sent back keeps it too; this does not rely on it).
    const jobs = await Promise.all(
      queued.map(async (job, i) => {
        const done = await queue.wait(job.id);
        const sample = plan[i].sample;
        return sample ? { ...done, sample } : done;
      }),
    );
    return { jobs, resumed: await Promise.all(resumed.map((job) => queue.wait(job.id))), elsewhere };
  } finally {
    progress?.stop();
    unsubscribe();
    process.off('SIGINT', onSigint);
    await queue.close();
  }
}
