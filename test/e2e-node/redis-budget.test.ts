// The cost budget on a Redis queue (real redis-server, BullMQ): the submitter counts the results a
// worker sends back; once they reach the budget it submits nothing more and takes the jobs still
// waiting in Redis off the queue, CANCELLED with the reason (BUDGET_EXCEEDED). Each call reports usage
// that gpt-4o's price table entry makes $0.25, so $0.60 is crossed at the third call.
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import type { ProviderConfigs } from '../../src/core/llm/llm-types';
import { bullmqConnection, parseRedisUrl } from '../../src/core/queue/redis-connection';
import { RemoteReplayQueue } from '../../src/core/queue/remote-replay-queue';
import { ReplayWorker } from '../../src/core/queue/replay-worker';
import { CostBudget } from '../../src/core/replay/cost-budget';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture, tempStore, type TempStore } from '../unit/replay/replay-test-helpers';

describe('cost budget on a Redis queue', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let t: TempStore;
  let server: FakeLlmServer;
  let worker: ReplayWorker | undefined;
  let submitter: RemoteReplayQueue | undefined;
  const queueName = `budget-${process.pid}`;

  before(async () => {
    redis = await startRedis();
    server = await startFakeLlmServer();
  });
  after(async () => {
    await server.close();
    await redis.close();
  });
  beforeEach(async () => (t = await tempStore()));
  afterEach(async () => {
    await submitter?.close();
    await worker?.close(1000);
    await t.dispose();
  });

  it('stops submitting and cancels the waiting jobs once the results reach the budget', async () => {
    // Calls after the third wait until the submitter has stopped the jobs still waiting: a job the
    // worker took before the third result came back finishes then, and the worker can take no other.
    let stoppedWaiting!: () => void;
    const waitingStopped = new Promise<void>((resolve) => (stoppedWaiting = resolve));
    let calls = 0;
    server.setResponder(() =>
      ++calls <= 3
        ? { usage: { input: 100_000, output: 0 } }
        : { usage: { input: 100_000, output: 0 }, hold: waitingStopped },
    );
    const configs: ProviderConfigs = {
      openai: { kind: 'openai', baseURL: server.openaiBaseUrl, apiKey: 'sk-test', keySource: 'OPENAI_API_KEY' },
    };
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const warnings: string[] = [];
    const budget = new CostBudget(0.6, (line) => warnings.push(line));
    submitter = await RemoteReplayQueue.open(t.store, {
      redis: parseRedisUrl(redis.url),
      queueName,
      mayStart: budget.mayStart,
    });
    submitter.onEvent(budget.observe);
    const TOTAL = 8;
    let completedCount = 0;
    let stoppedCount = 0;
    submitter.onEvent((e) => {
      if (e.type !== 'job-finished') return;
      if (e.job.status === 'COMPLETED') completedCount++;
      if (e.job.errorCode === 'BUDGET_EXCEEDED') stoppedCount++;
      // Three results in, and every job but (at most) one the worker holds is stopped.
      if (completedCount >= 3 && stoppedCount >= TOTAL - 4) stoppedWaiting();
    });
    const overrides = { model: 'openai:gpt-4o', cache: false };
    // Queued before any worker serves the queue: they all wait in Redis.
    const queued = [];
    for (let i = 0; i < TOTAL; i++) queued.push(await submitter.enqueue(trace.id, overrides));
    worker = await ReplayWorker.start({ redis: parseRedisUrl(redis.url), queueName, concurrency: 1, configs });
    const jobs = await Promise.all(queued.map((j) => submitter!.wait(j.id)));

    const completed = jobs.filter((j) => j.status === 'COMPLETED');
    const stopped = jobs.filter((j) => j.errorCode === 'BUDGET_EXCEEDED');
    assert.equal(completed.length + stopped.length, TOTAL, jobs.map((j) => `${j.status} ${j.error}`).join('; '));
    // Three results reach $0.75; the worker may have taken the next job before the third came back.
    assert.ok(completed.length >= 3 && completed.length <= 4, `${completed.length} completed`);
    assert.equal(server.requests.length, completed.length, 'no cancelled job reached the provider');
    assert.ok(Math.abs(budget.spentUsd - completed.length * 0.25) < 1e-9, String(budget.spentUsd));
    assert.equal(budget.stoppedByBudget, true);
    for (const job of stopped) {
      assert.equal(job.status, 'CANCELLED');
      assert.match(job.error ?? '', /^stopped by the cost budget: spent \$\d\.\d\d of \$0\.60$/);
    }
    // Nothing of them is left in Redis for a worker to take later.
    const queue = new Queue(queueName, { connection: bullmqConnection(parseRedisUrl(redis.url)) });
    try {
      assert.equal(await queue.getWaitingCount(), 0);
    } finally {
      await queue.close();
    }
    // A job submitted now is not sent: it ends at once, saying why.
    const late = await submitter.enqueue(trace.id, overrides);
    assert.equal(late.status, 'CANCELLED');
    assert.equal(late.errorCode, 'BUDGET_EXCEEDED');
    assert.deepEqual(warnings, [], 'every cost was known');
  });
});
