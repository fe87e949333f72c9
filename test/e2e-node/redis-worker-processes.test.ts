// Several real `trace-replay worker` processes (the built CLI) on one real Redis and one fake LLM
// server, with the submitter (RemoteReplayQueue) in this process: concurrency per worker and in total,
// a rate limit shared across processes, a Redis restart mid-batch, cancellation, and Ctrl+C (jobs
// finish; or after --grace go back to the queue). Each worker has its own API key, so the fake server
// tells their requests apart.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { parseRedisUrl } from '../../src/core/queue/redis-connection';
import { RemoteReplayQueue } from '../../src/core/queue/remote-replay-queue';
import { rateLimitKey } from '../../src/core/queue/shared-rate-limit';
import { replayTraceIdFor } from '../../src/core/replay/replay-ids';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { Trace } from '../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer, type RecordedRequest } from '../support/fake-llm/fake-llm-server';
import { cliEnv, runCli, type CliProcess } from '../support/redis/cli-process';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture, tempStore, type TempStore } from '../unit/replay/replay-test-helpers';
import { ensureBuiltDist } from './built-dist';

/** A promise and its resolve. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('trace-replay worker processes on one Redis (built CLI)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let t: TempStore;
  let fake: FakeLlmServer;
  let queueName: string;
  let submitter: RemoteReplayQueue | undefined;
  const procs: CliProcess[] = [];
  let n = 0;

  before(async () => {
    ensureBuiltDist();
    // Persistent (append-only file): the restart test needs the queue to survive the restart.
    redis = await startRedis({ persistent: true });
  });
  after(async () => redis.close());
  beforeEach(async () => {
    t = await tempStore();
    fake = await startFakeLlmServer();
    queueName = `procs-${process.pid}-${++n}`;
  });
  afterEach(async () => {
    await submitter?.close();
    submitter = undefined;
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await fake.close();
    await t.dispose();
  });

  /** A worker process with its own key, serving this test's queue. */
  async function worker(apiKey: string, ...args: string[]): Promise<CliProcess> {
    const p = runCli(
      ['worker', '--redis', redis.url, '--queue', queueName, '--concurrency', '3', ...args],
      cliEnv(fake.openaiBaseUrl, apiKey),
    );
    procs.push(p);
    await p.waitFor('serving queue');
    return p;
  }

  async function submit(trace: Trace, count: number): Promise<ReplayJob[]> {
    submitter ??= await RemoteReplayQueue.open(t.store, { redis: parseRedisUrl(redis.url), queueName });
    const q = submitter;
    return Promise.all(Array.from({ length: count }, () => q.enqueue(trace.id, { cache: false })));
  }

  /** Holds the first `count` requests until `count` are in flight at once (then answers them all);
   *  later ones are answered at once. Resolves `all` once they are all in flight. */
  function holdFirst(count: number): { all: Promise<void>; release(): void } {
    const reached = gate();
    const release = gate();
    let arrived = 0;
    fake.setResponder(() => {
      if (++arrived === count) reached.open();
      return arrived <= count ? { text: 'held answer', hold: release.opened } : { text: 'answer' };
    });
    return { all: reached.opened, release: release.open };
  }

  async function finished(jobs: ReplayJob[]): Promise<ReplayJob[]> {
    return Promise.all(jobs.map((j) => submitter!.wait(j.id)));
  }

  /** Every job COMPLETED in the submitter's store, with exactly one replayed trace each. */
  async function assertStored(jobs: ReplayJob[], originalId: string): Promise<void> {
    const stored = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
    for (const job of jobs) assert.equal((await stored.get(job.id))?.status, 'COMPLETED', job.error);
    const replayed = (await t.store.listTraces({ limit: 1000 })).filter((s) => s.id !== originalId);
    assert.deepEqual(replayed.map((s) => s.id).sort(), jobs.map((j) => replayTraceIdFor(j.id)).sort());
  }

  it('two workers x --concurrency 3: never more than 3 at once each, 6 in total; every job completes', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    // Six calls are held until six are in flight at once: a worker taking a fourth job would show 4
    // under its key; workers taking fewer would never open the wave.
    const wave = holdFirst(6);
    await Promise.all([worker('sk-a'), worker('sk-b')]);
    const jobs = await submit(trace, 12);
    await wave.all;
    wave.release();
    const done = await finished(jobs);
    assert.deepEqual(
      done.map((j) => j.status),
      done.map(() => 'COMPLETED'),
      done.map((j) => j.error).join('; '),
    );
    assert.equal(fake.byKey('sk-a').maxConcurrent, 3, 'worker A: at most (and at some point exactly) 3 at once');
    assert.equal(fake.byKey('sk-b').maxConcurrent, 3, 'worker B: at most (and at some point exactly) 3 at once');
    assert.equal(fake.maxConcurrent, 6, 'workers x 3');
    assert.equal(fake.byKey('sk-a').requests + fake.byKey('sk-b').requests, 12, 'one request per job');
    await assertStored(done, trace.id);
  });

  it('--rate-limit openai=3/s on two workers: together they start at most 3 requests a second', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    await Promise.all([worker('sk-a', '--rate-limit', 'openai=3/s'), worker('sk-b', '--rate-limit', 'openai=3/s')]);
    // Warm-up: six held calls, three per worker, so that each process has built its client and opened
    // its connections. A cold process's first request reaches the server up to a few hundred ms after
    // its slot (the first connection of the process), which would bunch requests up here.
    const warm = holdFirst(6);
    const warmUp = await submit(trace, 6);
    await warm.all;
    assert.deepEqual([fake.byKey('sk-a').maxConcurrent, fake.byKey('sk-b').maxConcurrent], [3, 3]);
    warm.release();
    await finished(warmUp);
    const starts: number[] = [];
    fake.setResponder(() => {
      starts.push(Date.now());
      return { text: 'ok' };
    });
    const before = [fake.byKey('sk-a').requests, fake.byKey('sk-b').requests];
    const done = await finished(await submit(trace, 9));
    assert.ok(
      done.every((j) => j.status === 'COMPLETED'),
      done.map((j) => j.error).join('; '),
    );
    assert.ok(
      fake.byKey('sk-a').requests > before[0] && fake.byKey('sk-b').requests > before[1],
      'both workers sent requests',
    );
    // Slots are taken on Redis's clock just before each request goes out and seen here a few ms later
    // (each process with its own delay), so the sliding windows checked are 900 ms; two workers limited
    // separately would start 6 at once.
    assert.equal(starts.length, 9);
    for (const start of starts) {
      const inWindow = starts.filter((s) => s >= start && s < start + 900).length;
      assert.ok(inWindow <= 3, `${inWindow} requests within 900 ms of ${start}: ${starts.join(', ')}`);
    }
  });

  it('an SDK retry is a request too: it takes a slot of the shared limit', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    fake.enqueue([{ status: 429, retryAfter: 0 }, { text: 'after the retry' }]);
    await worker('sk-a', '--rate-limit', 'openai=10/min');
    const [job] = await finished(await submit(trace, 1));
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(fake.requests.length, 2, 'one retry');
    const client = new Redis(redis.url);
    try {
      assert.equal(await client.zcard(rateLimitKey(queueName, 'openai')), 2, 'two slots taken in the window');
    } finally {
      client.disconnect();
    }
  });

  it('Redis restarts mid-batch: the workers reconnect and finish; one replayed trace per job, nothing sent twice', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const wave = holdFirst(6);
    const workers = await Promise.all([worker('sk-a'), worker('sk-b')]);
    const jobs = await submit(trace, 9);
    await wave.all;
    const held = [...fake.requests];
    // Redis goes away with six jobs in flight; their answers arrive while it is away.
    await redis.stop();
    wave.release();
    assert.deepEqual(
      await Promise.all(held.map((r) => fake.ended(r))),
      held.map(() => 'answered'),
    );
    await redis.start(); // same port, same data
    // The submitter outlives a short outage (it gives up only after lostAfterMs, 30 s by default):
    // the six results and the three jobs still waiting all come back to it.
    const done = await finished(jobs);
    assert.deepEqual(
      done.map((j) => j.status),
      done.map(() => 'COMPLETED'),
      done.map((j) => j.error).join('; '),
    );
    assert.equal(fake.requests.length, 9, 'each job sent once');
    await assertStored(done, trace.id);
    assert.ok(
      workers.every((w) => w.child.exitCode === null),
      'the workers go on serving',
    );
  });

  it('cancel: a waiting job is never sent; a running one is stopped by its worker process and its request aborted', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const wave = holdFirst(1);
    const w = await worker('sk-a', '--concurrency', '1');
    const [running] = await submit(trace, 1);
    await wave.all; // the worker's request is at the fake server
    const [waiting] = await submit(trace, 1);
    assert.equal(await submitter!.cancel(waiting.id), true);
    assert.equal((await submitter!.wait(waiting.id)).status, 'CANCELLED');
    assert.equal(await submitter!.cancel(running.id), true);
    const stopped = await submitter!.wait(running.id);
    assert.equal(stopped.status, 'CANCELLED', stopped.error);
    assert.equal(await fake.ended(fake.requests[0]), 'aborted');
    assert.equal(fake.requests.length, 1, 'the waiting job was never sent');
    await w.waitFor(new RegExp(`cancelled ${running.id}`));
    wave.release();
  });

  it('Ctrl+C: the jobs in flight finish, the worker takes no new one and exits 0', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-single');
    const wave = holdFirst(2);
    const a = await worker('sk-a');
    const inFlight = await submit(trace, 2);
    await wave.all;
    a.child.kill('SIGINT');
    await a.waitFor('stopping: jobs in flight may finish for 30 s, then go back to the queue');
    const [later] = await submit(trace, 1); // queued while A stops: not A's
    wave.release();
    assert.equal(await a.exited, 0, a.output());
    assert.match(a.output(), /worker stopped/);
    for (const job of inFlight) assert.match(a.output(), new RegExp(`completed +${job.id}`));
    assert.equal(fake.byKey('sk-a').requests, 2, `A sent only its own two jobs:\n${a.output()}`);
    await worker('sk-b');
    const done = await finished([...inFlight, later]);
    assert.deepEqual(
      done.map((j) => j.status),
      ['COMPLETED', 'COMPLETED', 'COMPLETED'],
    );
    assert.equal(fake.byKey('sk-b').requests, 1);
    await assertStored(done, trace.id);
  });

  it('Ctrl+C with --grace shorter than the job: it goes back to the queue; another worker finishes it without re-sending finished spans', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-chain');
    const llmSpans = trace.spans.filter((s) => s.kind === 'llm').length;
    assert.ok(llmSpans >= 2, 'a trace with several LLM calls');
    const secondReached = gate();
    let second: RecordedRequest | undefined;
    fake.setResponder((request) => {
      if (fake.requests.length === 1) return { text: 'first answer from A' };
      if (second) return { text: 'answer from B' };
      second = request;
      secondReached.open();
      return { text: 'never', hold: new Promise(() => undefined) }; // longer than any grace
    });
    const a = await worker('sk-a', '--grace', '1');
    const [queued] = await submit(trace, 1);
    await secondReached.opened;
    a.child.kill('SIGINT');
    await a.waitFor(`returned ${queued.id} to the queue (worker stopping)`);
    assert.equal(await a.exited, 0, a.output());
    assert.match(
      a.output(),
      /stopping: jobs in flight may finish for 1 s, then go back to the queue[\s\S]*worker stopped/,
    );
    assert.equal(await fake.ended(second!), 'aborted');
    await worker('sk-b');
    const [job] = await finished([queued]);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(job.resumed, 1);
    assert.equal(fake.byKey('sk-a').requests, 2);
    assert.equal(fake.byKey('sk-b').requests, llmSpans - 1, 'the span A finished is not sent again');
    const first = job.spans.find((r) => r.kind === 'llm');
    assert.match(JSON.stringify(first?.execution?.output), /first answer from A/);
    await assertStored([job], trace.id);
  });
});
