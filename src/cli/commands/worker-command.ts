// `trace-replay worker`: a stateless replay worker on a Redis queue (see core/queue). It serves the
// jobs that `replay --queue` and `batch --queue` submit, with the keys and base URLs of its own
// environment, until Ctrl+C: then the jobs in flight finish, or after --grace seconds go back to the
// queue for another worker.
import type { Command } from 'commander';
import { parseRedisUrl, checkRedis, REDIS_URL_ENV, DEFAULT_QUEUE_NAME } from '../../core/queue/redis-connection';
import { ReplayWorker, type WorkerEvent } from '../../core/queue/replay-worker';
import { parseRateLimit, type RateLimit } from '../../core/queue/shared-rate-limit';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../core/replay/replay-queue';
import { redactSecrets } from '../../core/util/redact-secrets';
import { CliError } from '../cli-error';
import { positiveNumber, wholeNumber } from '../option-values';
import { providerConfigsFromEnv } from '../../core/llm/provider-configs';

interface WorkerOptions {
  redis?: string;
  queue: string;
  concurrency: number;
  grace: number;
  lockSeconds?: number;
  rateLimit: RateLimit[];
}

/** A malformed limit throws RateLimitSpecError, a usage error (exit 2). */
function collectRateLimit(text: string, previous: RateLimit[]): RateLimit[] {
  return [...previous, parseRateLimit(text)];
}

function describe(event: WorkerEvent): string {
  const at = new Date().toISOString();
  switch (event.type) {
    case 'job-started':
      return `${at}  started  ${event.job.id} (trace ${event.job.traceId})`;
    case 'job-finished':
      return `${at}  ${event.job.status.toLowerCase().padEnd(8)} ${event.job.id}${event.job.error ? `: ${event.job.error}` : ''}`;
    case 'job-returned':
      return `${at}  returned ${event.jobId} to the queue (worker stopping)`;
    case 'job-refused':
      return `${at}  refused  ${event.jobId ?? 'a job'}: ${event.reason}`;
  }
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'serve replay jobs from a Redis queue (submitted by `replay --queue` / `batch --queue`) with the keys of this environment, until Ctrl+C',
    )
    .option(
      '--redis <url>',
      `the Redis of the queue (default: $${REDIS_URL_ENV})`,
      process.env[REDIS_URL_ENV] || undefined,
    )
    .option('--queue <name>', 'the queue on that Redis', DEFAULT_QUEUE_NAME)
    .option(
      '--concurrency <n>',
      'replay jobs this worker runs at once',
      wholeNumber('--concurrency', 1, 64),
      DEFAULT_REPLAY_CONCURRENCY,
    )
    .option(
      '--grace <seconds>',
      'on Ctrl+C, how long the jobs in flight may finish before they go back to the queue',
      positiveNumber('--grace'),
      30,
    )
    .option(
      '--rate-limit <provider=N/unit>',
      'at most N requests per s, min or h to this provider, shared by every worker of the queue (repeatable), e.g. openai=60/min',
      collectRateLimit,
      [],
    )
    .option(
      '--lock-seconds <n>',
      'how long a job stays with a worker that stopped answering (killed) before another takes it',
      wholeNumber('--lock-seconds', 1, 3600),
    )
    .action(async (opts: WorkerOptions) => {
      if (!opts.redis) throw new CliError(`worker needs --redis <url> (or ${REDIS_URL_ENV}).`, 'usage');
      // A malformed URL (RedisUrlError) or provider setting (ProviderConfigError) is a usage error.
      const redis = parseRedisUrl(opts.redis);
      const configs = providerConfigsFromEnv(process.env);
      await checkRedis(redis);
      const lockMs = opts.lockSeconds !== undefined ? opts.lockSeconds * 1000 : undefined;
      const worker = await ReplayWorker.start({
        redis,
        queueName: opts.queue,
        concurrency: opts.concurrency,
        configs,
        rateLimits: opts.rateLimit,
        ...(lockMs !== undefined ? { lockDurationMs: lockMs, stalledIntervalMs: Math.max(500, lockMs / 2) } : {}),
        onEvent: (event) => console.log(describe(event)),
      });
      console.log(
        `worker ${worker.id} serving queue "${opts.queue}" on ${redactSecrets(opts.redis)}, ${opts.concurrency} job(s) at once${
          opts.rateLimit.length ? `, shared limits ${opts.rateLimit.map((l) => l.text).join(', ')}` : ''
        }. Press Ctrl+C to stop.`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      // Closing first: from the moment this is printed, the worker starts no job.
      const closed = worker.close(opts.grace * 1000);
      console.log(`stopping: jobs in flight may finish for ${opts.grace} s, then go back to the queue`);
      await closed;
      console.log('worker stopped');
    });
}
