// `trace-replay batch` as a CI gate, against the fake LLM server, with a real evaluator config.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli, runCliWithEnv } from './cli-helpers';

const FIXTURES = [
  'openinference-openai-single',
  'openinference-openai-chain',
  'traceloop-openai-single',
  'openinference-openai-agent',
].map((n) => path.join(ROOT, `test/fixtures/otlp/${n}.json`));

describe('trace-replay batch', function () {
  this.timeout(90000);
  let server: FakeLlmServer;
  let dir: string;
  let store: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-batch-cli-'));
    store = path.join(dir, 'store');
    assert.equal((await runCli(['import', ...FIXTURES, '--store', store])).code, 0);
    // The fake server answers "fake:<model>: ..."; the recorded answers never start like that.
    await writeFile(
      path.join(store, 'evaluators.json'),
      JSON.stringify({
        evaluators: [
          { id: 'not-fake', type: 'regex', scope: 'final', options: { pattern: '^fake:', mustMatch: false } },
        ],
      }),
    );
    env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the gate on a certain score drop and writes the markdown report and JUnit file', async () => {
    const report = path.join(dir, 'report.md');
    const junit = path.join(dir, 'junit.xml');
    const run = await runCliWithEnv(
      ['batch', '--store', store, '--fail-on-regression', '0.1', '--report', report, '--junit', junit, '--json'],
      env,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Regression in not-fake\./);
    const batch = JSON.parse(run.stdout);
    assert.equal(batch.count, FIXTURES.length);
    const stat = batch.evaluators.find((e: { name: string }) => e.name === 'not-fake');
    assert.equal(stat.meanDelta, -1);
    assert.equal(stat.losses, FIXTURES.length);
    assert.deepEqual(batch.regressions, ['not-fake']);
    const md = await readFile(report, 'utf8');
    assert.match(md, /## Replay batch: 4 traces/);
    assert.equal(md.split('\n---\n').length, 1 + FIXTURES.length, 'the aggregate, then one comparison per replay');
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, /<testcase [^>]*name="not-fake"[^>]*>\s*<failure/);
  });

  it('passes when no evaluator regresses beyond the threshold, and prints a readable table', async () => {
    const run = await runCliWithEnv(
      ['batch', '--store', store, '--evaluators', path.join(dir, 'none.json'), '--fail-on-regression', '1'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Batch of 4 replays/m);
    assert.match(run.stdout, /similarity/, 'without a config file the default evaluators score the replays');
    // similarity compares each replay with its original: its one number is the mean replay-vs-original score.
    assert.match(
      run.stdout,
      /scored against the original[^\n]*\n.*Replay vs original \(mean\)[^\n]*\nsimilarity +\d\.\d{3} +\[/,
    );
    // Fewer tokens are a change, not a win: no better / worse on token rows.
    assert.match(run.stdout, /^Output tokens .* \d+ changed, \d+ same +4 +(changed|same)$/m);
  });
});
