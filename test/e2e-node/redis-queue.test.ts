// Replay workers on a real Redis (Debian's redis-server) with BullMQ: the submitter (RemoteReplayQueue)
// and workers (ReplayWorker) in this process, each worker with its own fake LLM server so that the
// concurrency of each is measured where the requests arrive.
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import type { ProviderConfigs } from '../../src/core/llm/llm-types';
import { bullmqConnection, parseRedisUrl, RedisUnavailableError } from '../../src/core/queue/redis-connection';
import { RemoteReplayQueue } from '../../src/core/queue/remote-replay-queue';
import { ReplayWorker, type WorkerEvent } from '../../src/core/queue/replay-worker';
import { parseRateLimit, type RateLimit } from '../../src/core/queue/shared-rate-limit';
import { createReplayServices } from '../../src/core/replay/default-replay-services';
import { REPLAYS_COLLECTION, ReplayQueue } from '../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture, tempStore, type TempStore } from '../unit/replay/replay-test-helpers';

function configs(server: FakeLlmServer, apiKey: string | undefined): ProviderConfigs {
  return {
    openai: { kind: 'openai', baseURL: server.openaiBaseUrl, apiKey, keySource: 'OPENAI_API_KEY', maxRetries: 0 },
  };
}

/** A promise and its resolve. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('replay workers on Redis (BullMQ)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let t: TempStore;
  const servers: FakeLlmServer[] = [];
  const workers: ReplayWorker[] = [];
  let submitter: RemoteReplayQueue | undefined;
  let queueName: string;
  let n = 0;

  before(async () => {
    // Persistent: one test restarts Redis and the workers' jobs must still be there after it.
    redis = await startRedis({ persistent: true });
  });
  after(async () => redis.close());
  beforeEach(async () => {
    t = await tempStore();
    queueName = `test-${process.pid}-${++n}`;
  });
  afterEach(async () => {
    await submitter?.close();
    submitter = undefined;
    await Promise.all(workers.splice(0).map((w) => w.close(1000)));
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await t.dispose();
  });

  async function server(): Promise<FakeLlmServer> {
    const s = await startFakeLlmServer();
    servers.push(s);
    return s;
  }

  async function worker(
    s: FakeLlmServer,
    extra: { apiKey?: string | undefined; onEvent?: (e: WorkerEvent) => void; rateLimits?: RateLimit[] } = {
      apiKey: 'sk-test',
    },
  ): Promise<ReplayWorker> {
    const w = await ReplayWorker.start({
      redis: parseRedisUrl(redis.url),
      queueName,
      concurrency: 3,
      configs: configs(s, 'apiKey' in extra ? extra.apiKey : 'sk-test'),
      ...(extra.onEvent ? { onEvent: extra.onEvent } : {}),
      ...(extra.rateLimits ? { rateLimits: extra.rateLimits } : {}),
    });
    workers.push(w);
    return w;
  }

  async function submit(): Promise<RemoteReplayQueue> {
    submitter = await RemoteReplayQueue.open(t.store, { redis: parseRedisUrl(redis.url), queueName });
    return submitter;
  }

  it('two workers run 3 jobs each at once, never more; every job completes into the submitter store', async () => {
    const [a, b] = [await server(), await server()];
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    // The first six calls are held until six are in flight at once (2 workers x 3): were a worker to
    // take a fourth job, its server would see 4 at once; were they to take fewer, this never opens.
    const wave = gate();
    let arrived = 0;
    for (const s of [a, b])
      s.setResponder(() => {
        if (++arrived === 6) wave.open();
        return arrived <= 6 ? { text: 'held answer', hold: wave.opened } : { text: 'answer' };
      });
    await worker(a);
    await worker(b);
    const q = await submit();
    const queued = await Promise.all(Array.from({ length: 12 }, () => q.enqueue(trace.id, { cache: false })));
    const jobs = await Promise.all(queued.map((j) => q.wait(j.id)));
    assert.deepEqual(
      jobs.map((j) => j.status),
      jobs.map(() => 'COMPLETED'),
      jobs.map((j) => j.error).join('; '),
    );
    assert.equal(a.maxConcurrent, 3, 'worker A at most (and at some point exactly) 3 at once');
    assert.equal(b.maxConcurrent, 3, 'worker B at most (and at some point exactly) 3 at once');
    assert.equal(a.requests.length + b.requests.length, 12);
    // The submitter's store has every job's final document and replayed trace.
    const stored = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
    for (const job of jobs) {
      const doc = await stored.get(job.id);
      assert.equal(doc?.status, 'COMPLETED');
      assert.match(doc?.queue ?? '', /^redis:\/\/127\.0\.0\.1:\d+#test-/);
      assert.ok(job.replayTraceId && (await t.store.getTrace(job.replayTraceId)), 'replayed trace stored');
    }
  });

  it('a rate limit is shared by all workers: together they send at most N requests per window', async () => {
    const [a, b] = [await server(), await server()];
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const arrivals: number[] = [];
    for (const s of [a, b])
      s.setResponder(() => {
        arrivals.push(Date.now());
        return { text: 'ok' };
      });
    const limit = parseRateLimit('openai=4/s');
    await worker(a, { apiKey: 'sk-test', rateLimits: [limit] });
    await worker(b, { apiKey: 'sk-test', rateLimits: [limit] });
    const q = await submit();
    const queued = await Promise.all(Array.from({ length: 12 }, () => q.enqueue(trace.id, { cache: false })));
    const jobs = await Promise.all(queued.map((j) => q.wait(j.id)));
    assert.ok(jobs.every((j) => j.status === 'COMPLETED'));
    assert.equal(arrivals.length, 12);
    assert.ok(a.requests.length > 0 && b.requests.length > 0, 'both workers sent requests');
    // Slots are taken on Redis's clock; arrivals are seen a few ms later, so the windows checked here
    // are 900 ms (two workers limited separately would send 8 in the first few ms).
    arrivals.sort((x, y) => x - y);
    for (const start of arrivals) {
      const inWindow = arrivals.filter((t) => t >= start && t < start + 900).length;
      assert.ok(inWindow <= 4, `${inWindow} requests within 900 ms of ${start}: ${arrivals.join(', ')}`);
    }
  });

  it('a rate limit for a provider the worker does not have is refused (it would limit nothing)', async () => {
    const s = await server();
    await assert.rejects(
      worker(s, { apiKey: 'sk-test', rateLimits: [parseRateLimit('anthropic=10/min')] }),
      (err: Error) =>
        /--rate-limit anthropic=10\/min names provider "anthropic", which is not configured on this worker \(configured: openai\)/.test(
          err.message,
        ),
    );
  });

  it('a worker sends the request the local queue sends for the same trace', async () => {
    const s = await server();
    const trace = await importFixture(t.store, 'traceloop-openai-agent');
    const local = await ReplayQueue.open(createReplayServices(t.store, configs(s, 'sk-test')), {});
    const localJob = await local.wait((await local.enqueue(trace.id, { cache: false })).id);
    await local.close();
    assert.equal(localJob.status, 'COMPLETED', localJob.error);
    const localBodies = s.requests.map((r) => r.body);
    s.reset();
    await worker(s);
    const q = await submit();
    const job = await q.wait((await q.enqueue(trace.id, { cache: false })).id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual(
      s.requests.map((r) => r.body),
      localBodies,
    );
    assert.deepEqual(
      job.spans.map((r) => [r.originalSpanId, r.status]),
      localJob.spans.map((r) => [r.originalSpanId, r.status]),
    );
  });

  it("a worker without the job's key fails that job naming the variable, and goes on serving", async () => {
    const s = await server();
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const keyless = await worker(s, { apiKey: undefined });
    const q = await submit();
    const failed = await q.wait((await q.enqueue(trace.id)).id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.errorCode, 'MISSING_API_KEY');
    assert.match(failed.error ?? '', /OPENAI_API_KEY/);
    assert.equal(s.requests.length, 0, 'nothing sent without a key');
    // Still serving: the next job reaches the same worker (the only one) and is answered the same way.
    const again = await q.wait((await q.enqueue(trace.id)).id);
    assert.equal(again.errorCode, 'MISSING_API_KEY');
    assert.ok(keyless.concurrency === 3);
  });

  it('Redis down at submit: one sentence naming the URL, nothing stored', async () => {
    const url = `redis://user:secret@127.0.0.1:${redis.port + 1}`; // nothing listens there
    await importFixture(t.store, 'traceloop-openai-single');
    await assert.rejects(RemoteReplayQueue.open(t.store, { redis: parseRedisUrl(url), queueName }), (err: Error) => {
      assert.ok(err instanceof RedisUnavailableError);
      assert.match(err.message, /^Cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+ /);
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
    const stored = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
    assert.deepEqual(await stored.listIds(), []);
  });

  it('cancel: a waiting job leaves the queue unsent, a running one is stopped by its worker', async () => {
    const s = await server();
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const hold = gate();
    const arrivals = gate();
    s.setResponder(() => {
      arrivals.open();
      return { text: 'late', hold: hold.opened };
    });
    const w = await ReplayWorker.start({
      redis: parseRedisUrl(redis.url),
      queueName,
      concurrency: 1,
      configs: configs(s, 'sk-test'),
    });
    workers.push(w);
    const q = await submit();
    const running = await q.enqueue(trace.id, { cache: false });
    await arrivals.opened; // the worker's request is at the server
    const waiting = await q.enqueue(trace.id, { cache: false });
    assert.equal(await q.cancel(waiting.id), true);
    assert.equal((await q.wait(waiting.id)).status, 'CANCELLED');
    assert.equal(await q.cancel(running.id), true);
    const stopped = await q.wait(running.id);
    assert.equal(stopped.status, 'CANCELLED');
    hold.open();
    assert.equal(s.requests.length, 1, 'the waiting job was never sent');
  });

  it('a stopping worker puts its job back after the grace period; the next worker does not re-send finished spans', async () => {
    const [a, b] = [await server(), await server()];
    const trace = await importFixture(t.store, 'traceloop-openai-chain');
    const llmSpans = trace.spans.filter((s) => s.kind === 'llm').length;
    assert.ok(llmSpans >= 2, 'a trace with several LLM calls');
    const secondReached = gate();
    a.setResponder(() => {
      if (a.requests.length === 1) return { text: 'first answer from A' };
      secondReached.open();
      return { text: 'never', hold: new Promise(() => undefined) };
    });
    const events: WorkerEvent[] = [];
    const wa = await worker(a, { apiKey: 'sk-test', onEvent: (e) => events.push(e) });
    const q = await submit();
    const queued = await q.enqueue(trace.id, { cache: false });
    await secondReached.opened;
    await wa.close(50); // the job cannot finish: after the grace period it goes back to the queue
    assert.ok(events.some((e) => e.type === 'job-returned' && e.jobId === queued.id));
    await worker(b);
    const job = await q.wait(queued.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(job.resumed, 1);
    assert.equal(b.requests.length, llmSpans - 1, 'the span A finished is not sent again');
    const first = job.spans.find((r) => r.kind === 'llm');
    assert.match(JSON.stringify(first?.execution?.output), /first answer from A/);
  });

  it('Redis lost mid-batch: the jobs still out end FAILED saying so, the completed one is kept', async () => {
    const s = await server();
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const reached = gate();
    const never = new Promise(() => undefined);
    s.setResponder(() => {
      if (s.requests.length === 1) return { text: 'first' };
      reached.open();
      return { text: 'never', hold: never };
    });
    await worker(s);
    submitter = await RemoteReplayQueue.open(t.store, {
      redis: parseRedisUrl(redis.url),
      queueName,
      lostAfterMs: 200,
    });
    const first = await submitter.wait((await submitter.enqueue(trace.id, { cache: false })).id);
    assert.equal(first.status, 'COMPLETED', first.error);
    const second = await submitter.enqueue(trace.id, { cache: false });
    await reached.opened;
    await redis.stop();
    try {
      const lost = await submitter.wait(second.id);
      assert.equal(lost.status, 'FAILED');
      assert.equal(lost.errorCode, 'REDIS_LOST');
      assert.match(
        lost.error ?? '',
        /^Lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+#test-.* replay the trace again/,
      );
      // Submitting while Redis is away: one sentence at once, nothing stored (not a wait for Redis).
      await assert.rejects(submitter.enqueue(trace.id, { cache: false }), (err: Error) => {
        assert.ok(err instanceof RedisUnavailableError, String(err));
        assert.match(err.message, /^Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ /);
        return true;
      });
      await submitter.close(); // Redis is away: closing must not hang
      submitter = undefined;
      const stored = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
      assert.equal((await stored.get(first.id))?.status, 'COMPLETED');
      assert.equal((await stored.get(second.id))?.errorCode, 'REDIS_LOST');
      assert.equal((await stored.listIds()).length, 2, 'nothing stored for the refused submit');
    } finally {
      await redis.start(); // for the worker's teardown and the next tests
    }
  });

  it('a rerun with the same batch id takes what completed and collects what finished meanwhile; nothing is sent twice', async () => {
    const s = await server();
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const hold = gate();
    const secondSent = gate();
    s.setResponder(() => {
      if (s.requests.length === 1) return { text: 'first' };
      secondSent.open();
      return { text: 'later', hold: hold.opened };
    });
    const finishedInRedis = gate();
    await worker(s, {
      apiKey: 'sk-test',
      onEvent: (e) => e.type === 'job-finished' && e.job.overrides.parameters && finishedInRedis.open(),
    });
    const target = parseRedisUrl(redis.url);
    const first = await RemoteReplayQueue.open(t.store, { redis: target, queueName, batchId: 'nightly-1' });
    const a = await first.wait((await first.enqueue(trace.id, { cache: false })).id);
    assert.equal(a.status, 'COMPLETED', a.error);
    const warmer = { cache: false, parameters: { temperature: 0.5 } };
    const b = await first.enqueue(trace.id, warmer);
    await secondSent.opened;
    await first.detach(); // the submitter goes away; its job goes on in Redis
    hold.open();
    await finishedInRedis.opened;

    submitter = await RemoteReplayQueue.open(t.store, { redis: target, queueName, batchId: 'nightly-1' });
    const a2 = await submitter.enqueue(trace.id, { cache: false });
    assert.equal(a2.id, a.id);
    assert.equal(a2.status, 'COMPLETED', 'taken from the store');
    const b2 = await submitter.wait((await submitter.enqueue(trace.id, warmer)).id);
    assert.equal(b2.id, b.id);
    assert.equal(b2.status, 'COMPLETED', b2.error);
    assert.ok(b2.replayTraceId && (await t.store.getTrace(b2.replayTraceId)), 'collected from Redis into the store');
    assert.equal(s.requests.length, 2, 'nothing sent twice');
    const c = await submitter.wait((await submitter.enqueue(trace.id, { cache: false, parameters: { seed: 7 } })).id);
    assert.equal(c.status, 'COMPLETED');
    assert.equal(s.requests.length, 3, 'what is missing is sent');
  });

  it('a job from another version is refused by the worker with a sentence, and the worker goes on', async () => {
    const s = await server();
    const events: WorkerEvent[] = [];
    await worker(s, { apiKey: 'sk-test', onEvent: (e) => events.push(e) });
    const raw = new Queue(queueName, { connection: bullmqConnection(parseRedisUrl(redis.url)) });
    try {
      const added = await raw.add('replay', { version: 99, job: { id: 'x' } });
      const { QueueEvents } = await import('bullmq');
      const qe = new QueueEvents(queueName, { connection: bullmqConnection(parseRedisUrl(redis.url)) });
      await qe.waitUntilReady();
      await assert.rejects(added.waitUntilFinished(qe), /another version of trace-replay \(payload version 99/);
      await qe.close();
    } finally {
      await raw.close();
    }
    assert.ok(events.some((e) => e.type === 'job-refused' && e.jobId === 'x'));
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const q = await submit();
    const job = await q.wait((await q.enqueue(trace.id)).id);
    assert.equal(job.status, 'COMPLETED', job.error);
  });
});
