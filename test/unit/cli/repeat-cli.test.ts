// `trace-replay batch --repeat` (issue 18) end to end: the real CLI against the fake LLM server, whose
// answers carry a score with seeded noise (the override model's shifted), and a javascript evaluator
// that reads it. A small shift inside the A/A noise is "not enough evidence" (the gate passes and
// says so), a clear one is "worse" (the gate fails); the same seed gives the same numbers; repeated
// samples bypass the cache and say so; --repeat 0 is a usage error in one sentence.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../../src/core/compare/bootstrap';
import { startFakeLlmServer, type FakeLlmServer, type FakeResponder } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli, runCliWithEnv } from './cli-helpers';

const FIXTURES = ['openinference-openai-single', 'traceloop-openai-single', 'openinference-openai-chain'].map((n) =>
  path.join(ROOT, `test/fixtures/otlp/${n}.json`),
);
const OVERRIDE = 'gpt-noise-test';

/** Answers "score=<0.5 + shift + noise>": noise uniform in +-0.2 from a PRNG seeded once per run
 *  (requests arrive in a fixed order with --concurrency 1), shift only for the override model. */
function noisyScores(seed: number, shift: number): FakeResponder {
  const random = seededRandom(seed);
  return (request) => {
    const body = request.body as { model?: string } | undefined;
    const base = 0.5 + (body?.model === OVERRIDE ? shift : 0);
    const value = Math.min(1, Math.max(0, base + (random() * 2 - 1) * 0.2));
    return { text: `score=${value.toFixed(4)}` };
  };
}

interface StatJson {
  name: string;
  n: number;
  samples?: number;
  meanDelta: number;
  ci: { low: number; high: number };
  verdict: string;
  noise?: { center: number; low: number; high: number; traces: number; samples: number };
}

describe('trace-replay batch --repeat (A/A noise floor)', function () {
  this.timeout(120000);
  let server: FakeLlmServer;
  let dir: string;
  let store: string;
  let evaluators: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-repeat-cli-'));
    store = path.join(dir, 'store');
    assert.equal((await runCli(['import', ...FIXTURES, '--store', store])).code, 0);
    const scorer = path.join(dir, 'quality.mjs');
    // The recorded answers carry no score: the original scores 0.5.
    await writeFile(
      scorer,
      'export default ({ output }) => { const m = /score=([0-9.]+)/.exec(output.text); return m ? Number(m[1]) : 0.5; };\n',
    );
    evaluators = path.join(dir, 'evaluators.json');
    await writeFile(
      evaluators,
      JSON.stringify({
        evaluators: [{ id: 'quality', type: 'javascript', scope: 'final', options: { module: scorer } }],
      }),
    );
    env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function batch(seed: number, shift: number) {
    server.reset();
    server.setResponder(noisyScores(seed, shift));
    const run = await runCliWithEnv(
      [
        'batch',
        '--store',
        store,
        '--model',
        `openai:${OVERRIDE}`,
        '--repeat',
        '4',
        '--concurrency',
        '1',
        '--evaluators',
        evaluators,
        '--allow-js-evaluators',
        '--fail-on-regression',
        '0',
        '--json',
      ],
      env,
    );
    const json = JSON.parse(run.stdout) as { count: number; samples: unknown; evaluators: StatJson[] };
    return { run, json, quality: json.evaluators.find((e) => e.name === 'quality')! };
  }

  it('a delta inside the A/A noise is not enough evidence: the gate passes and says why', async () => {
    const { run, json, quality } = await batch(7, -0.02);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(json.samples, { repeat: 4, baselineRepeat: 4, traces: 3 });
    assert.equal(json.count, 24);
    // 3 traces x (4 A/B + 4 A/A) LLM calls of their LLM spans, every one sent (no cache).
    const sent = server.requests.filter((r) => r.api === 'chat.completions');
    assert.equal(sent.filter((r) => (r.body as { model: string }).model === OVERRIDE).length % 4, 0);
    assert.ok(
      sent.some((r) => (r.body as { model: string }).model !== OVERRIDE),
      'A/A samples use the recorded model',
    );
    assert.equal(quality.n, 3);
    assert.equal(quality.samples, 12);
    assert.deepEqual([quality.noise!.traces, quality.noise!.samples], [3, 12]);
    assert.ok(
      quality.meanDelta > quality.noise!.low && quality.meanDelta < quality.noise!.high,
      `the A/B mean ${quality.meanDelta} lies inside the A/A band [${quality.noise!.low}, ${quality.noise!.high}]`,
    );
    assert.equal(quality.verdict, 'not-enough-evidence');
    assert.match(run.stderr, /repeated samples bypass the response cache/);
    assert.equal(run.stderr.match(/bypass the response cache/g)!.length, 1, 'said once');
    assert.match(run.stderr, /not enough evidence about quality: its change does not clear the A\/A noise band/);
  });

  it('a clear drop is worse and fails the gate; the same seed gives the same numbers', async () => {
    const first = await batch(7, -0.35);
    assert.equal(first.run.code, 1, first.run.stderr);
    assert.equal(first.quality.verdict, 'worse');
    assert.ok(first.quality.ci.high < first.quality.noise!.center);
    assert.match(first.run.stderr, /Regression in quality\./);
    const again = await batch(7, -0.35);
    const numbers = (q: StatJson) => ({ meanDelta: q.meanDelta, ci: q.ci, noise: q.noise, verdict: q.verdict });
    assert.deepEqual(numbers(again.quality), numbers(first.quality));
  });

  it('replay --repeat 3 --baseline-repeat 0 --json: three A/B jobs, the first comparison with the spread', async () => {
    server.reset();
    server.setResponder(noisyScores(3, 0));
    const listed = await runCli(['traces', '--store', store, '--json', '--filter', 'single']);
    const traceId = (JSON.parse(listed.stdout) as { id: string }[])[0].id;
    const run = await runCliWithEnv(
      [
        'replay',
        traceId,
        '--store',
        store,
        '--repeat',
        '3',
        '--baseline-repeat',
        '0',
        '--concurrency',
        '1',
        '--evaluators',
        evaluators,
        '--allow-js-evaluators',
        '--json',
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const jobs = JSON.parse(run.stdout) as {
      sample: { index: number; baseline: boolean };
      comparison: { samples?: number; scores: { evaluator: string; replay: number; spread?: unknown }[] };
    }[];
    assert.deepEqual(
      jobs.map((j) => [j.sample.index, j.sample.baseline]),
      [
        [0, false],
        [1, false],
        [2, false],
      ],
    );
    const values = jobs.map((j) => j.comparison.scores.find((x) => x.evaluator === 'quality')!.replay);
    const sorted = [...values].sort((a, b) => a - b);
    assert.equal(jobs[0].comparison.samples, 3);
    assert.deepEqual(jobs[0].comparison.scores.find((x) => x.evaluator === 'quality')!.spread, {
      min: sorted[0],
      median: sorted[1],
      max: sorted[2],
      n: 3,
    });
    assert.equal(jobs[1].comparison.samples, undefined, 'the spread is on the first sample only');
    assert.match(run.stderr, /repeated samples bypass the response cache/);
  });

  it('--repeat 0 is a usage error in one sentence, before anything is sent', async () => {
    server.reset();
    const run = await runCliWithEnv(['batch', '--store', store, '--repeat', '0'], env);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /--repeat must be a whole number of 1 or more \(the samples with the overrides per trace\), got "0"\./,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.equal(server.requests.length, 0);
    const negative = await runCliWithEnv(['replay', 'abc', '--store', store, '--baseline-repeat', '-1'], env);
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /--baseline-repeat must be a whole number of 0 or more/);
  });
});
