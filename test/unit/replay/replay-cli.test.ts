// `trace-replay replay` and `trace-replay replays` as a user runs them (the real CLI through tsx),
// with the SDKs pointed at the fake LLM server through their own env vars.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { runCli, runCliWithEnv as runWithEnv } from '../cli/cli-helpers';
import { FIXTURES } from './replay-test-helpers';

describe('trace-replay replay / replays CLI', function () {
  this.timeout(60000);
  let server: FakeLlmServer;
  let dir: string;
  let store: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.close());
  beforeEach(async () => {
    server.reset();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-replay-cli-'));
    store = path.join(dir, 'store');
    env = {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.openaiBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function importTraces(...names: string[]): Promise<string[]> {
    const imported = await runCli(['import', ...names.map((n) => path.join(FIXTURES, `${n}.json`)), '--store', store]);
    assert.equal(imported.code, 0, imported.stderr);
    const listed = await runCli(['traces', '--store', store, '--json']);
    return (JSON.parse(listed.stdout) as { id: string }[]).map((t) => t.id);
  }

  it('replays several traces, prints the documented JSON, caches, and lists the history', async () => {
    const ids = await importTraces('traceloop-openai-chain', 'traceloop-openai-single');
    const run = await runWithEnv(
      ['replay', ...ids, '--param', 'temperature=0', '--param', 'max_tokens=64', '--store', store, '--json'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bars when stderr is not a TTY');
    const jobs = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.equal(jobs.length, 2);
    for (const job of jobs) {
      assert.deepEqual(Object.keys(job).sort(), [
        'comparison',
        'finishedAt',
        'id',
        'overrides',
        'replayTraceId',
        'spans',
        'startedAt',
        'status',
        'traceId',
      ]);
      assert.equal(job.status, 'COMPLETED');
      // Each result carries its comparison, scored by the default evaluators on both sides.
      const comparison = job.comparison as {
        metrics: Record<string, { original: unknown }>;
        spans: unknown[];
        scores: { evaluator: string; original: number | null; replay: number | null }[];
      };
      // No --repeat: no `samples`; the tool-call drift is always there (empty when no span called tools).
      assert.deepEqual(Object.keys(comparison).sort(), ['metrics', 'scores', 'spans', 'toolDrift', 'toolDriftCounts']);
      assert.ok(comparison.metrics.inputTokens.original !== undefined);
      assert.ok(
        comparison.scores.some((s) => s.evaluator === 'similarity' && s.original === 1),
        'the original scores 1 against itself',
      );
      const scored = comparison.scores.filter((s) => s.original !== null && s.replay !== null);
      assert.ok(new Set(scored.map((s) => s.evaluator)).size >= 2, 'at least two evaluators scored both sides');
      assert.deepEqual(job.overrides, { mode: 'independent', parameters: { temperature: 0, max_tokens: 64 } });
      for (const span of job.spans as Record<string, unknown>[]) {
        assert.ok(['originalSpanId', 'replaySpanId', 'status', 'warnings'].every((k) => k in span));
      }
    }
    assert.deepEqual(jobs.map((j) => j.traceId).sort(), [...ids].sort());
    assert.equal(server.requests.length, 3);
    for (const r of server.requests) {
      assert.equal(r.body.temperature, 0, 'temperature=0 is sent as the number 0');
      assert.equal(r.body.max_tokens ?? r.body.max_completion_tokens, 64);
    }

    const shown = await runCli(['trace', jobs[0].replayTraceId as string, '--store', store, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(JSON.parse(shown.stdout).id, jobs[0].replayTraceId);

    const again = await runWithEnv(
      ['replay', ids[1], '--param', 'temperature=0', '--param', 'max_tokens=64', '--store', store, '--json'],
      env,
    );
    assert.equal(again.code, 0, again.stderr);
    const cachedJob = JSON.parse(again.stdout) as { spans: { cached?: boolean; status: string }[] };
    assert.ok(!Array.isArray(cachedJob), 'one trace: one object');
    assert.ok(cachedJob.spans.some((s) => s.status === 'replayed' && s.cached === true));
    assert.equal(server.requests.length, 3, 'answered from the cache');
    const uncached = await runWithEnv(
      [
        'replay',
        ids[1],
        '--param',
        'temperature=0',
        '--param',
        'max_tokens=64',
        '--no-cache',
        '--store',
        store,
        '--json',
      ],
      env,
    );
    assert.equal(uncached.code, 0, uncached.stderr);
    assert.equal(server.requests.length, 4, '--no-cache sends again');

    const history = await runCli(['replays', '--trace', ids[1], '--store', store, '--json']);
    assert.equal(history.code, 0, history.stderr);
    assert.equal((JSON.parse(history.stdout) as unknown[]).length, 3);
    const text = await runCli(['replays', '--store', store]);
    assert.match(text.stdout, /COMPLETED/);
  });

  it('exits 1 with the env var named when a key is missing, and with a clear error for a missing trace', async () => {
    const [id] = await importTraces('traceloop-openai-single');
    const run = await runWithEnv(['replay', id, '--model', 'anthropic:claude-haiku-4-5', '--store', store, '--json'], {
      ...env,
      ANTHROPIC_API_KEY: '',
    });
    assert.equal(run.code, 1);
    const job = JSON.parse(run.stdout) as { status: string; error: string };
    assert.equal(job.status, 'FAILED');
    assert.match(job.error, /ANTHROPIC_API_KEY/);
    assert.equal(server.requests.length, 0);

    const missing = await runWithEnv(['replay', 'ffffffffffffffffffffffffffffffff', '--store', store], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Trace ffffffffffffffffffffffffffffffff is not in the store /);
    assert.equal(missing.stdout, '', 'no job was created for it');
  });

  it('rejects a bad --mode or --param value before replaying anything', async () => {
    const [id] = await importTraces('traceloop-openai-single');
    const badMode = await runWithEnv(['replay', id, '--mode', 'parallel', '--store', store], env);
    assert.equal(badMode.code, 2);
    assert.match(badMode.stderr, /--mode must be independent or chained/);
    const badParam = await runWithEnv(['replay', id, '--param', 'temperature=hot', '--store', store], env);
    assert.equal(badParam.code, 2);
    assert.match(badParam.stderr, /temperature must be a number/);
    assert.equal(server.requests.length, 0);
  });
});
