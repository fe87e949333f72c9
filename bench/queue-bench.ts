// Replay workers on Redis (BullMQ): throughput with 1, 2 and 4 workers x 3 jobs at once against the
// fake LLM server (its own process) at a fixed latency, and the queue's own cost per job beside the
// local queue's. A real redis-server on loopback (test/support/redis). Each worker is its own
// `trace-replay worker` process, as deployed; the submitter (this process) stores the results.
//
// Throughput ratio = (jobs / wall) / (workers x 3 / latency): 1.0 is every slot of every worker busy
// all the time. Goals (at 1 s): >= 0.9 for each, and the 4-worker throughput >= 3.6x the 1-worker one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProviderConfigs } from '../src/core/llm/llm-types';
import { parseRedisUrl } from '../src/core/queue/redis-connection';
import { RemoteReplayQueue } from '../src/core/queue/remote-replay-queue';
import { createReplayServices } from '../src/core/replay/default-replay-services';
import { ReplayQueue } from '../src/core/replay/replay-queue';
import type { ReplayJob } from '../src/core/replay/replay-types';
import { TraceStore } from '../src/core/store/trace-store';
import { startRedis } from '../test/support/redis/redis-server';
import type { BenchResult } from './bench-result';
import { oneCallTraces } from './bench-traces';
import { startServerProcess } from './replay-bench';

// The goal is measured at 1 s, a typical LLM answer; 200 ms (a short one) is printed beside it. On
// this 2-core machine the worker processes, the submitter, the fake server and Redis share the CPUs,
// so at 200 ms each job's own CPU (SDK, JSON, the submitter's store writes) shows as lost slots.
const GOAL_LATENCY_MS = 1000;
const SHORT_LATENCY_MS = 200;
const PER_WORKER = 3;
const WAVES = 5;
const WORKER_COUNTS = [1, 2, 4];
const CLI = path.join(__dirname, '../src/cli/main.ts');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Queueish {
  enqueue(traceId: string, overrides: { cache: boolean }): Promise<ReplayJob>;
  wait(jobId: string): Promise<ReplayJob>;
}

/** Wall time of all jobs, and per job: end (stored) minus start of its enqueue minus provider time. */
async function runJobs(queue: Queueish, ids: string[]): Promise<{ wallMs: number; overheadMs: number[] }> {
  const t0 = performance.now();
  const overheadMs: number[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const start = performance.now();
      const job = await queue.wait((await queue.enqueue(id, { cache: false })).id);
      if (job.status !== 'COMPLETED') throw new Error(`bench job ${job.id} ${job.status}: ${job.error}`);
      overheadMs.push(performance.now() - start - job.providerMs);
    }),
  );
  return { wallMs: performance.now() - t0, overheadMs };
}

interface WorkerProcess {
  stop(): Promise<void>;
}

/** `trace-replay worker` in its own process (from the sources, through tsx), with the fake server's
 *  URL and a key in its environment; resolves once it serves the queue. */
async function startWorkerProcess(redisUrl: string, queueName: string, serverUrl: string): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'worker', '--redis', redisUrl, '--queue', queueName, '--concurrency', String(PER_WORKER)],
    {
      env: {
        ...process.env,
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: `${serverUrl}/v1`,
        TRACE_REPLAY_MAX_RETRIES: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr!.on('data', (d) => (out += String(d)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('serving queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited (${code}): ${out}`)));
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Throughput of 1, 2 and 4 worker processes against a fake server answering in `latencyMs`. */
async function throughputAt(
  store: TraceStore,
  redisUrl: string,
  ids: string[],
  latencyMs: number,
  withGoal: boolean,
): Promise<BenchResult[]> {
  const server = await startServerProcess(latencyMs);
  const results: BenchResult[] = [];
  const throughput = new Map<number, number>();
  try {
    for (const count of WORKER_COUNTS) {
      const queueName = `bench-${latencyMs}-${count}`;
      const submitter = await RemoteReplayQueue.open(store, { redis: parseRedisUrl(redisUrl), queueName });
      const workers = await Promise.all(
        Array.from({ length: count }, () => startWorkerProcess(redisUrl, queueName, server.url)),
      );
      await runJobs(submitter, ids.slice(0, count * PER_WORKER)); // warm-up: connections, JIT
      const jobs = ids.slice(0, count * PER_WORKER * WAVES);
      const { wallMs } = await runJobs(submitter, jobs);
      await Promise.all(workers.map((w) => w.stop()));
      await submitter.close();
      const perSecond = jobs.length / (wallMs / 1000);
      throughput.set(count, perSecond);
      results.push({
        name: `${count} worker(s) x ${PER_WORKER}, ${jobs.length} one-call jobs at ${latencyMs} ms: throughput / ideal`,
        value: perSecond / ((count * PER_WORKER) / (latencyMs / 1000)),
        unit: 'x',
        ...(withGoal ? { goal: '>= 0.9' } : {}),
      });
    }
    results.push({
      name: `  at ${latencyMs} ms, throughput with 4 workers / with 1 worker`,
      value: throughput.get(4)! / throughput.get(1)!,
      unit: 'x',
      ...(withGoal ? { goal: '>= 3.6' } : {}),
    });
  } finally {
    server.stop();
  }
  return results;
}

export async function benchQueue(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-queue-bench-'));
  const redis = await startRedis();
  const store = await TraceStore.open(path.join(dir, 'store'));
  const results: BenchResult[] = [];
  let server: { url: string; stop: () => void } | undefined;
  try {
    const { ids } = await oneCallTraces(store, Math.max(...WORKER_COUNTS) * PER_WORKER * WAVES, 'b');
    results.push(...(await throughputAt(store, redis.url, ids, GOAL_LATENCY_MS, true)));
    results.push(...(await throughputAt(store, redis.url, ids, SHORT_LATENCY_MS, false)));

    // The queue's own cost per job: 3 jobs (one wave) on one worker, against the local queue.
    server = await startServerProcess(SHORT_LATENCY_MS);
    const configs: ProviderConfigs = {
      openai: { kind: 'openai', baseURL: `${server.url}/v1`, apiKey: 'sk-bench', maxRetries: 0 },
    };
    const submitter = await RemoteReplayQueue.open(store, {
      redis: parseRedisUrl(redis.url),
      queueName: 'bench-overhead',
    });
    const worker = await startWorkerProcess(redis.url, 'bench-overhead', server.url);
    const wave = ids.slice(0, PER_WORKER);
    await runJobs(submitter, wave);
    const remote = (await runJobs(submitter, wave)).overheadMs;
    await worker.stop();
    await submitter.close();
    const local = await ReplayQueue.open(createReplayServices(store, configs), { concurrency: PER_WORKER });
    await runJobs(local, wave);
    const here = (await runJobs(local, wave)).overheadMs;
    await local.close();
    results.push(
      { name: 'per job, submit to result stored, minus provider time: Redis queue', value: median(remote), unit: 'ms' },
      { name: '  the same, local queue', value: median(here), unit: 'ms' },
    );
  } finally {
    await store.close();
    await redis.close();
    server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
