// `trace-replay batch --queue redis://… --repeat 2` as a user runs it (the built CLI, a real Redis, a
// `trace-replay worker` process, the fake LLM server): each trace gets 2 A/B samples (the override
// model) and 2 A/A samples (its recorded model), every one of them sent (no cache); the aggregate has
// the A/A noise band and a verdict per evaluator; the stored jobs keep their sample, whose run is the
// batch id; the same batch again sends nothing and keeps them; compare of a sample shows its spread.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import { TraceStore } from '../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { cliEnv, runCli, type CliProcess } from '../support/redis/cli-process';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture } from '../unit/replay/replay-test-helpers';
import { ensureBuiltDist } from './built-dist';

const OVERRIDE = 'gpt-repeat-test';
const VERDICTS = ['better', 'worse', 'same', 'changed', 'not-enough-evidence'];

interface BatchOut {
  count: number;
  incomplete: number;
  replayIds: string[];
  samples?: { repeat: number; baselineRepeat: number; traces: number };
  evaluators: { name: string; verdict: string; samples?: number; noise?: { traces: number; samples: number } }[];
}

describe('batch --repeat on a Redis queue (built CLI, worker process)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let fake: FakeLlmServer;
  let dir: string;
  const procs: CliProcess[] = [];

  before(async () => {
    ensureBuiltDist();
    redis = await startRedis();
    fake = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-redis-repeat-'));
  });
  after(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await fake.close();
    await redis.close();
    await rm(dir, { recursive: true, force: true });
  });

  function start(args: string[], env: NodeJS.ProcessEnv): CliProcess {
    const p = runCli(args, env);
    procs.push(p);
    return p;
  }

  it('2 A/B + 2 A/A samples per trace, all sent; the verdict; the jobs keep their sample, run = the batch id', async () => {
    const storeDir = path.join(dir, 'store');
    const store = await TraceStore.open(storeDir);
    const traces = [
      await importFixture(store, 'traceloop-openai-single'),
      await importFixture(store, 'traceloop-openai-chain'),
    ];
    await store.close();
    const llmCalls = new Map(traces.map((t) => [t.id, t.spans.filter((s) => s.kind === 'llm').length]));
    const calls = [...llmCalls.values()].reduce((a, b) => a + b, 0);

    const queue = `repeat-${process.pid}`;
    const worker = start(['worker', '--redis', redis.url, '--queue', queue], cliEnv(fake.openaiBaseUrl, 'sk-worker'));
    await worker.waitFor('serving queue');
    const args = [
      'batch',
      '--queue',
      redis.url,
      '--queue-name',
      queue,
      '--batch-id',
      'nightly-repeat',
      '--store',
      storeDir,
      '--model',
      `openai:${OVERRIDE}`,
      '--repeat',
      '2',
    ];
    // The submitter has no key of its own: the worker's is used.
    const submitterEnv = cliEnv(fake.openaiBaseUrl, '');
    const batch = start([...args, '--json'], submitterEnv);
    assert.equal(await batch.exited, 0, batch.output());
    const output = batch.output();
    const out = JSON.parse(output.slice(output.indexOf('{\n'))) as BatchOut;
    assert.match(output, /repeated samples bypass the response cache/);

    // Every sample reached the fake LLM: 2 with the override model and 2 with the recorded one, per call.
    const models = fake.requests.map((r) => (r.body as { model?: string }).model);
    assert.equal(models.length, 4 * calls, `${models.length} requests for ${calls} LLM calls x 4 samples`);
    assert.equal(models.filter((m) => m === OVERRIDE).length, 2 * calls, 'A/B samples at the override model');
    const recorded = new Set(traces.flatMap((t) => t.spans.map((s) => s.llm?.requestModel).filter(Boolean)));
    assert.deepEqual(new Set(models.filter((m) => m !== OVERRIDE)), recorded, 'A/A samples at the recorded model');

    assert.equal(out.incomplete, 0);
    assert.deepEqual(out.samples, { repeat: 2, baselineRepeat: 2, traces: 2 });
    assert.equal(out.replayIds.length, 8, 'one job per sample');
    assert.ok(out.evaluators.length > 0, 'scored (on the worker)');
    for (const e of out.evaluators) {
      assert.ok(VERDICTS.includes(e.verdict), `${e.name}: verdict ${e.verdict}`);
      assert.deepEqual([e.noise?.traces, e.noise?.samples], [2, 4], `${e.name}: the A/A noise of 2 traces x 2`);
    }

    const stored = async (): Promise<ReplayJob[]> => {
      const s = await TraceStore.open(storeDir);
      try {
        const jobs = await s.collection<ReplayJob>(REPLAYS_COLLECTION);
        return Promise.all(out.replayIds.map(async (id) => (await jobs.get(id))!));
      } finally {
        await s.close();
      }
    };
    const jobs = await stored();
    const places = (list: ReplayJob[]) =>
      list
        .map((j) => {
          assert.equal(j.status, 'COMPLETED', j.error);
          assert.equal(j.sample?.run, 'nightly-repeat', 'the run is the batch id');
          assert.deepEqual(j.sample?.of, { repeat: 2, baselineRepeat: 2 });
          assert.equal(j.sample?.group, j.traceId);
          assert.equal(j.overrides.model, j.sample?.baseline ? undefined : `openai:${OVERRIDE}`);
          return `${j.traceId} ${j.sample!.baseline ? 'A/A' : 'A/B'} ${j.sample!.index}`;
        })
        .sort();
    const expected = traces.flatMap((t) => ['A/A 0', 'A/A 1', 'A/B 0', 'A/B 1'].map((p) => `${t.id} ${p}`)).sort();
    assert.deepEqual(places(jobs), expected);

    // The same batch again (text output): every sample comes from the store, nothing is sent; the
    // table shows the noise band and the verdict; the jobs still carry their sample.
    const sent = fake.requests.length;
    const again = start(args, submitterEnv);
    assert.equal(await again.exited, 0, again.output());
    assert.equal(fake.requests.length, sent, 'nothing sent again');
    assert.match(again.output(), /2 traces x 2 samples/);
    assert.match(again.output(), /A\/A noise\s+Verdict$/m);
    for (const e of out.evaluators)
      assert.match(again.output(), new RegExp(`^${e.name}\\s.*\\s${e.verdict.replace(/-/g, ' ')}$`, 'm'));
    assert.deepEqual(places(await stored()), expected);

    // compare of one A/B sample finds its sibling by the run (the batch id) and shows the spread.
    const first = jobs.find((j) => j.traceId === traces[1].id && j.sample?.baseline === false && j.sample.index === 0)!;
    const compared = start(['compare', first.id, '--store', storeDir], submitterEnv);
    assert.equal(await compared.exited, 0, compared.output());
    assert.match(
      compared.output(),
      /^sample 1 of 2 \(run nightly-repeat\): spreads over the 2 A\/B samples, the tables show this sample; A\/A samples: 2$/m,
    );
    assert.match(compared.output(), /^Spread over 2 samples/m);
  });
});
