// `trace-replay worker` processes and `replay --queue` as a user runs them (the built CLI), on a real
// Redis: a worker killed with kill -9 mid-job loses the job to another worker, and the submitter's
// store ends with one replayed trace for it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import { replayTraceIdFor } from '../../src/core/replay/replay-ids';
import { TraceStore } from '../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { cliEnv, runCli as run, type CliProcess as Proc } from '../support/redis/cli-process';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture } from '../unit/replay/replay-test-helpers';
import { ensureBuiltDist } from './built-dist';

describe('trace-replay worker and replay --queue (built CLI, real Redis)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let dir: string;
  const procs: Proc[] = [];
  const servers: FakeLlmServer[] = [];

  before(async () => {
    ensureBuiltDist();
    redis = await startRedis();
  });
  after(async () => redis.close());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-workers-'));
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  function env(server: FakeLlmServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return cliEnv(server.openaiBaseUrl, 'sk-worker', extra);
  }

  function worker(server: FakeLlmServer, queue: string): Proc {
    const p = run(['worker', '--redis', redis.url, '--queue', queue, '--lock-seconds', '2'], env(server));
    procs.push(p);
    return p;
  }

  async function storeWithTrace(): Promise<{ storeDir: string; traceId: string }> {
    const storeDir = path.join(dir, 'store');
    const store = await TraceStore.open(storeDir);
    const trace = await importFixture(store, 'traceloop-openai-single');
    await store.close();
    return { storeDir, traceId: trace.id };
  }

  it('a worker killed with kill -9 mid-job: another worker runs the job; one replayed trace is stored', async () => {
    const [a, b] = [await startFakeLlmServer(), await startFakeLlmServer()];
    servers.push(a, b);
    const reachedA = new Promise<void>((resolve) =>
      a.setResponder(() => {
        resolve();
        return { text: 'never answered', hold: new Promise(() => undefined) };
      }),
    );
    b.setResponder(() => ({ text: 'answered by B' }));
    const { storeDir, traceId } = await storeWithTrace();
    const queue = `kill-${process.pid}`;
    const workerA = worker(a, queue);
    await workerA.waitFor('serving queue');
    // The submitter has no key of its own: the workers' keys are used.
    const submit = run(
      ['replay', traceId, '--queue', redis.url, '--queue-name', queue, '--store', storeDir, '--json'],
      env(a, { OPENAI_API_KEY: '' }),
    );
    procs.push(submit);
    await reachedA; // worker A sent the job's request, which never gets an answer
    const workerB = worker(b, queue);
    await workerB.waitFor('serving queue');
    workerA.child.kill('SIGKILL');
    assert.equal(await submit.exited, 0, submit.output());
    const job = JSON.parse(submit.output().slice(submit.output().indexOf('{'))) as ReplayJob;
    assert.equal(job.status, 'COMPLETED');
    assert.equal(b.requests.length, 1, 'worker B sent the job once');
    assert.match(workerB.output(), /completed .*/);
    const store = await TraceStore.open(storeDir);
    try {
      const jobs = await store.collection<ReplayJob>(REPLAYS_COLLECTION);
      assert.deepEqual(await jobs.listIds(), [job.id], 'one job document');
      const replayed = (await store.listTraces({ limit: 100 })).filter((s) => s.id !== traceId);
      assert.deepEqual(
        replayed.map((s) => s.id),
        [replayTraceIdFor(job.id)],
        'exactly one replayed trace',
      );
      const trace = await store.getTrace(replayTraceIdFor(job.id));
      const ids = trace!.spans.map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicate spans');
      const llm = trace!.spans.find((s) => s.kind === 'llm');
      assert.match(JSON.stringify(llm?.llm?.output), /answered by B/);
    } finally {
      await store.close();
    }
  });

  it('batch --queue runs every trace on two workers and scores them there', async () => {
    const [a, b] = [await startFakeLlmServer(), await startFakeLlmServer()];
    servers.push(a, b);
    const storeDir = path.join(dir, 'store');
    const store = await TraceStore.open(storeDir);
    for (const name of ['traceloop-openai-single', 'traceloop-openai-chain', 'traceloop-openai-agent'])
      await importFixture(store, name);
    await store.close();
    const queue = `batch-${process.pid}`;
    const workers = [worker(a, queue), worker(b, queue)];
    await Promise.all(workers.map((w) => w.waitFor('serving queue')));
    const args = ['batch', '--queue', redis.url, '--queue-name', queue, '--batch-id', 'nightly', '--store', storeDir];
    const batch = run([...args, '--json'], env(a, { OPENAI_API_KEY: '' }));
    procs.push(batch);
    assert.equal(await batch.exited, 0, batch.output());
    const out = JSON.parse(batch.output().slice(batch.output().indexOf('{'))) as {
      count: number;
      incomplete: number;
      replayIds: string[];
      evaluators: { name: string; n: number }[];
    };
    assert.equal(out.count, 3);
    assert.equal(out.incomplete, 0);
    // Scored on the workers (the default evaluators), every pair present.
    assert.ok(out.evaluators.length > 0 && out.evaluators.every((e) => e.n === 3), JSON.stringify(out.evaluators));
    const store2 = await TraceStore.open(storeDir);
    try {
      const jobs = await store2.collection<ReplayJob>(REPLAYS_COLLECTION);
      for (const id of out.replayIds) {
        const job = await jobs.get(id);
        assert.equal(job?.status, 'COMPLETED');
        assert.ok(job?.evaluation && job.evaluation.replay.length > 0, 'scores stored with the job');
      }
    } finally {
      await store2.close();
    }
    const sent = a.requests.length + b.requests.length;
    assert.ok(sent >= 3);
    // The same batch again: every job is taken from the store, nothing is sent.
    const rerun = run([...args, '--json'], env(a, { OPENAI_API_KEY: '' }));
    procs.push(rerun);
    assert.equal(await rerun.exited, 0, rerun.output());
    const again = JSON.parse(rerun.output().slice(rerun.output().indexOf('{'))) as { replayIds: string[] };
    assert.deepEqual(again.replayIds, out.replayIds);
    assert.equal(a.requests.length + b.requests.length, sent, 'nothing sent again');
  });

  it('bad input: a malformed Redis URL is a usage error; Redis down is one sentence and exit 1', async () => {
    const s = await startFakeLlmServer();
    servers.push(s);
    const { storeDir, traceId } = await storeWithTrace();
    const bad = run(['replay', traceId, '--queue', 'http://127.0.0.1:6379', '--store', storeDir], env(s));
    assert.equal(await bad.exited, 2, bad.output());
    assert.match(bad.output(), /The Redis URL http:\/\/127\.0\.0\.1:6379 is not usable \(the scheme is http/);
    const down = run(
      ['replay', traceId, '--queue', `redis://127.0.0.1:${redis.port + 1}`, '--store', storeDir],
      env(s),
    );
    assert.equal(await down.exited, 1, down.output());
    assert.match(down.output(), /Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
    const noQueue = run(['replay', traceId, '--batch-id', 'x', '--store', storeDir], env(s));
    assert.equal(await noQueue.exited, 2, noQueue.output());
    assert.match(noQueue.output(), /--batch-id names a run on a queue: give --queue <redis-url> too/);
    const noUrl = run(['worker'], env(s));
    assert.equal(await noUrl.exited, 2, noUrl.output());
    assert.match(noUrl.output(), /worker needs --redis <url> \(or TRACE_REPLAY_REDIS_URL\)/);
  });
});
