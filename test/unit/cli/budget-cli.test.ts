// The cost budget (--max-cost, --yes) and `trace-replay estimate`, through the real CLI against the fake
// LLM server: each replayed call reports usage that gpt-4o's price table entry makes $0.25, so a budget
// of $0.60 is crossed mid-run. The spend never passes the budget by more than the calls in flight, no
// call starts once it is spent, and the replays it stopped end CANCELLED with the reason. With an
// llm-judge evaluator the judge calls are in the spend (judgeSpentUsd apart): none is sent once it is
// spent (those scores are "not run"), and an unpriced judge model counts as unknown.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseMaxCost } from '../../../src/cli/budget-option';
import { JUDGE_SYSTEM_PROMPT } from '../../../src/core/eval/llm-judge-evaluator';
import { priceLlmCall } from '../../../src/core/pricing/llm-pricing';
import type { RecordedRequest } from '../../support/fake-llm/fake-llm-types';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli, runCliWithEnv } from './cli-helpers';

const FIXTURES = [
  'openinference-openai-single',
  'openinference-openai-chain',
  'traceloop-openai-single',
  'openinference-openai-agent',
].map((n) => path.join(ROOT, `test/fixtures/otlp/${n}.json`));
/** LLM calls the four fixtures replay. */
const CALLS = 6;
const INPUT_TOKENS = 100_000;

interface JobJson {
  status: string;
  error?: string;
  errorCode?: string;
  spans: { status: string; error?: string }[];
}

describe('cost budget and estimate (CLI)', function () {
  this.timeout(120000);
  let server: FakeLlmServer;
  let dir: string;
  let env: Record<string, string>;
  let perCall: number;
  let n = 0;

  before(async () => {
    server = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-budget-cli-'));
    env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
    const cost = priceLlmCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: INPUT_TOKENS, outputTokens: 0, inputIncludesCache: true },
    });
    assert.ok(cost.costUsd !== null);
    perCall = cost.costUsd;
    assert.ok(Math.abs(perCall - 0.25) < 1e-9, `gpt-4o input is $2.50 per million tokens, got ${perCall}`);
  });
  beforeEach(() => {
    server.reset();
    server.setResponder(() => ({ usage: { input: INPUT_TOKENS, output: 0 } }));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function freshStore(): Promise<string> {
    const store = path.join(dir, `store-${++n}`);
    assert.equal((await runCli(['import', ...FIXTURES, '--store', store])).code, 0);
    return store;
  }

  async function jobsOf(store: string): Promise<JobJson[]> {
    const run = await runCli(['replays', '--store', store, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as JobJson[];
  }

  const batchArgs = (store: string, ...more: string[]): string[] => [
    'batch',
    '--store',
    store,
    '--model',
    'openai:gpt-4o',
    '--no-cache',
    '--json',
    ...more,
  ];

  it('stops a batch at the budget one job at a time: exactly the calls up to the crossing are sent', async () => {
    const store = await freshStore();
    const run = await runCliWithEnv(batchArgs(store, '--max-cost', '0.60', '--concurrency', '1'), env);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Estimated cost: \$\S+ – \$\S+ \(expected \$\S+\) for 6 calls/);
    const out = JSON.parse(run.stdout) as { spentUsd: number; budgetUsd: number; stoppedByBudget: boolean };
    assert.equal(out.budgetUsd, 0.6);
    assert.equal(out.stoppedByBudget, true);
    // $0.25, $0.50, then $0.75 crosses $0.60: nothing starts after the third call.
    assert.equal(server.requests.length, 3);
    assert.ok(Math.abs(out.spentUsd - 3 * perCall) < 1e-9, String(out.spentUsd));
    assert.match(run.stderr, /Spent \$0\.75 of the \$0\.60 budget; stopped by the budget: \d replays? cancelled\./);
    const jobs = await jobsOf(store);
    assert.equal(jobs.length, 4);
    const stopped = jobs.filter((j) => j.errorCode === 'BUDGET_EXCEEDED');
    assert.ok(stopped.length >= 1);
    for (const job of stopped) {
      assert.equal(job.status, 'CANCELLED');
      assert.equal(job.error, 'stopped by the cost budget: spent $0.75 of $0.60');
    }
    const replayed = jobs.flatMap((j) => j.spans).filter((s) => s.status === 'replayed');
    assert.equal(replayed.length, 3, 'every call sent is a replayed span');
    assert.ok(
      jobs.every((j) => j.status === 'COMPLETED' || j.errorCode === 'BUDGET_EXCEEDED'),
      JSON.stringify(jobs.map((j) => [j.status, j.errorCode])),
    );
  });

  it('with 3 jobs at once the spend passes the budget by no more than the calls in flight', async () => {
    const store = await freshStore();
    const run = await runCliWithEnv(batchArgs(store, '--max-cost', '0.60', '--concurrency', '3'), env);
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as { spentUsd: number; stoppedByBudget: boolean };
    assert.equal(out.stoppedByBudget, true);
    const sent = server.requests.length;
    assert.ok(sent < CALLS, `the budget stopped some calls (${sent} sent)`);
    assert.ok(Math.abs(out.spentUsd - sent * perCall) < 1e-9, 'every call sent is counted');
    // Under the budget before the crossing call ended; at most 3 calls (one per job) were in flight then.
    assert.ok(out.spentUsd < 0.6 + 3 * perCall, String(out.spentUsd));
    assert.ok(server.maxConcurrent <= 3);
    const jobs = await jobsOf(store);
    const stopped = jobs.filter((j) => j.errorCode === 'BUDGET_EXCEEDED');
    assert.ok(stopped.length >= 1);
    for (const job of stopped) {
      assert.equal(job.status, 'CANCELLED');
      assert.match(job.error ?? '', /^stopped by the cost budget: spent \$\d\.\d\d of \$0\.60$/);
      // A job stopped between its spans keeps what it sent; the refused span says why.
      for (const span of job.spans.filter((s) => s.status === 'cancelled'))
        assert.match(span.error ?? '', /^stopped by the cost budget/);
    }
  });

  it('refuses to start when the expected cost is over the budget, unless --yes', async () => {
    const store = await freshStore();
    const refused = await runCliWithEnv(batchArgs(store, '--max-cost', '$0.0000001'), env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /Estimated cost: /);
    assert.match(refused.stderr, /The expected cost \$\S+ is over the --max-cost budget of \$0\.0000001\d*; .* --yes/);
    assert.equal(server.requests.length, 0, 'nothing sent');
    assert.deepEqual(await jobsOf(store), [], 'no job created');

    const forced = await runCliWithEnv(batchArgs(store, '--max-cost', '0.0000001', '--yes', '--concurrency', '1'), env);
    assert.equal(forced.code, 1, forced.stderr);
    assert.match(forced.stderr, /warning: the expected cost \$\S+ is over the \$0\.0000001\d* budget; starting anyway/);
    assert.equal(server.requests.length, 1, 'the first call spends the budget, nothing starts after it');
    assert.equal((JSON.parse(forced.stdout) as { stoppedByBudget: boolean }).stoppedByBudget, true);
  });

  it('replay --max-cost prints the estimate and reports the spend in --json', async () => {
    const store = await freshStore();
    const list = await runCli(['traces', '--store', store, '--json']);
    const traceId = (JSON.parse(list.stdout) as { id: string; name: string }[])[0].id;
    const run = await runCliWithEnv(
      ['replay', traceId, '--store', store, '--model', 'openai:gpt-4o', '--max-cost', '5', '--json'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Estimated cost: /);
    const job = JSON.parse(run.stdout) as {
      spentUsd: number;
      judgeSpentUsd: number;
      budgetUsd: number;
      stoppedByBudget: boolean;
    };
    assert.equal(job.budgetUsd, 5);
    assert.equal(job.judgeSpentUsd, 0, 'no judge configured');
    assert.equal(job.stoppedByBudget, false);
    assert.ok(Math.abs(job.spentUsd - server.requests.length * perCall) < 1e-9);

    const plain = await runCliWithEnv(['replay', traceId, '--store', store, '--model', 'openai:gpt-4o', '--json'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /Estimated cost/, 'replay prints the estimate only with --max-cost');
    assert.equal((JSON.parse(plain.stdout) as { spentUsd?: number }).spentUsd, undefined);
  });

  it('says in one sentence what is wrong with a --max-cost value', async () => {
    const cases: [string, RegExp][] = [
      ['-1', /^trace-replay: --max-cost must be a positive amount of US dollars \(e\.g\. 5 or \$5\), got "-1"\.$/],
      ['10 EUR', /^trace-replay: --max-cost is in US dollars: write the plain amount .*, got "10 EUR"\.$/],
      ['abc', /^trace-replay: --max-cost needs an amount of US dollars such as 5 or \$0\.50, got "abc"\.$/],
      ['0', /^trace-replay: --max-cost must be more than \$0 \(it is a spending limit\), got "0"\.$/],
    ];
    for (const [value, expected] of cases) {
      const run = await runCliWithEnv(['batch', '--store', path.join(dir, 'none'), '--max-cost', value], env);
      assert.equal(run.code, 2, value);
      assert.match(run.stderr.trim(), expected);
      assert.equal(run.stderr.trim().split('\n').length, 1, `one line for ${value}: ${run.stderr}`);
    }
    assert.equal(parseMaxCost('$12.5'), 12.5);
    assert.equal(parseMaxCost(' 0.50 '), 0.5);
    assert.equal(server.requests.length, 0);
  });

  it('`estimate` prints the per-model breakdown and the total range (and JSON), sending nothing', async () => {
    const store = await freshStore();
    const text = await runCliWithEnv(['estimate', '--store', store, '--model', 'openai:gpt-4o', '--limit', '2'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Estimate for 2 traces:$/m);
    assert.match(text.stdout, /^ {2}replay +openai:gpt-4o {2}\d+ calls? {2}\$\S+ – \$\S+ \(expected \$\S+\)$/m);
    assert.match(text.stdout, /^Estimated cost: \$\S+ – \$\S+ \(expected \$\S+\) for \d+ calls?/m);

    const json = await runCliWithEnv(['estimate', '--store', store, '--model', 'openai:gpt-4o', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const e = JSON.parse(json.stdout) as {
      calls: number;
      traces: unknown[];
      usd: { low: number; expected: number; high: number };
      unpriced: unknown[];
    };
    assert.equal(e.calls, CALLS);
    assert.equal(e.traces.length, 4);
    assert.ok(e.usd.low < e.usd.expected && e.usd.expected < e.usd.high);
    assert.deepEqual(e.unpriced, []);

    // --repeat 2 (and so 2 A/A baseline samples, at the recorded model): four times the calls.
    const repeated = await runCliWithEnv(
      ['estimate', '--store', store, '--model', 'openai:gpt-4o', '--repeat', '2', '--json'],
      env,
    );
    assert.equal(repeated.code, 0, repeated.stderr);
    assert.equal((JSON.parse(repeated.stdout) as { calls: number }).calls, 4 * CALLS);

    const unpriced = await runCliWithEnv(['estimate', '--store', store, '--model', 'openai:no-such-model-7'], env);
    assert.equal(unpriced.code, 0, unpriced.stderr);
    assert.match(unpriced.stdout, /unknown for 6 calls.*6 calls unpriced, not counted: 6 of openai:no-such-model-7/);
    assert.equal(server.requests.length, 0, 'estimate never sends anything');
  });

  describe('with an llm-judge evaluator', () => {
    /** Three traces of one LLM call each, replayed one at a time. */
    const SINGLES = ['openinference-openai-single', 'traceloop-openai-single', 'vercel-ai-openai-single'].map((n) =>
      path.join(ROOT, `test/fixtures/otlp/${n}.json`),
    );
    /** A judge call reports this much input: $0.10 at gpt-4o's price. */
    const JUDGE_INPUT_TOKENS = 40_000;
    const isJudge = (r: RecordedRequest): boolean => JSON.stringify(r.body).includes(JUDGE_SYSTEM_PROMPT.slice(0, 40));

    interface ScoreJson {
      evaluatorId: string;
      value: number | null;
      error?: string;
      errorCode?: string;
      judgeUsage?: { model: string; costUsd: number | null; costReason?: string };
    }
    interface JudgedJobJson extends JobJson {
      evaluation?: { original: ScoreJson[]; replay: ScoreJson[] };
    }

    /** The stored job documents (with their evaluation, which `replays --json` leaves out). */
    async function storedJobs(store: string): Promise<JudgedJobJson[]> {
      const dir = path.join(store, 'replays');
      const names = (await readdir(dir)).filter((f) => f.endsWith('.json'));
      return Promise.all(
        names.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as JudgedJobJson),
      );
    }

    async function judgedStore(model: string): Promise<{ store: string; evaluators: string }> {
      const store = path.join(dir, `store-${++n}`);
      assert.equal((await runCli(['import', ...SINGLES, '--store', store])).code, 0);
      const evaluators = path.join(dir, `evaluators-${n}.json`);
      const judge = { id: 'quality', type: 'llm-judge', scope: 'final', options: { model, rubric: 'Helpful.' } };
      await writeFile(evaluators, JSON.stringify({ evaluators: [judge] }));
      return { store, evaluators };
    }

    beforeEach(() =>
      server.setResponder((request) =>
        isJudge(request)
          ? { text: '{"score": 0.8, "reason": "Fine."}', usage: { input: JUDGE_INPUT_TOKENS, output: 0 } }
          : { usage: { input: INPUT_TOKENS, output: 0 } },
      ),
    );

    it('counts the judge calls in the spend: the run stops when they cross the budget, JSON has judgeSpentUsd', async () => {
      const { store, evaluators } = await judgedStore('openai:gpt-4o');
      const run = await runCliWithEnv(
        batchArgs(store, '--evaluators', evaluators, '--max-cost', '0.60', '--concurrency', '1'),
        env,
      );
      assert.equal(run.code, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /not in the spend the budget counts/);
      const out = JSON.parse(run.stdout) as {
        spentUsd: number;
        judgeSpentUsd: number;
        budgetUsd: number;
        stoppedByBudget: boolean;
      };
      // Job 1: $0.25 + two judge calls (original and replay final output) $0.20 = $0.45, under $0.60
      // (without the judge calls: $0.25). Job 2's replay call crosses it ($0.70; without them $0.50,
      // still under): its judge calls are not sent, and job 3 does not start.
      const judgeCalls = server.requests.filter(isJudge);
      assert.equal(judgeCalls.length, 2, 'no judge call after the crossing');
      assert.equal(server.requests.length - judgeCalls.length, 2, 'no replay call after the crossing');
      assert.ok(Math.abs(out.judgeSpentUsd - 0.2) < 1e-9, String(out.judgeSpentUsd));
      assert.ok(Math.abs(out.spentUsd - (2 * perCall + 0.2)) < 1e-9, String(out.spentUsd));
      assert.equal(out.budgetUsd, 0.6);
      assert.equal(out.stoppedByBudget, true);
      assert.match(
        run.stderr,
        /Spent \$0\.70 of the \$0\.60 budget \(judge calls: \$0\.20\); stopped by the budget: 1 replay cancelled, 2 judge scores not run\./,
      );

      const jobs = await storedJobs(store);
      assert.equal(jobs.length, 3);
      const cancelled = jobs.filter((j) => j.errorCode === 'BUDGET_EXCEEDED');
      assert.equal(cancelled.length, 1);
      assert.equal(cancelled[0].status, 'CANCELLED');
      assert.equal(cancelled[0].error, 'stopped by the cost budget: spent $0.70 of $0.60 (judge calls: $0.20)');
      const scored = jobs.filter((j) => j.status === 'COMPLETED');
      assert.equal(scored.length, 2);
      const scores = scored.map((j) => [...(j.evaluation?.original ?? []), ...(j.evaluation?.replay ?? [])]);
      const [paid, refused] = scores[0].some((s) => s.judgeUsage) ? scores : [scores[1], scores[0]];
      assert.deepEqual(
        paid.map((s) => [s.value, s.judgeUsage?.model]),
        [
          [0.8, 'openai:gpt-4o'],
          [0.8, 'openai:gpt-4o'],
        ],
      );
      assert.equal(refused.length, 2);
      for (const s of refused) {
        assert.equal(s.value, null, 'never a fake score');
        assert.equal(s.errorCode, 'NOT_RUN');
        assert.equal(s.error, 'not run: stopped by the cost budget: spent $0.70 of $0.60 (judge calls: $0.20)');
      }
    });

    it('counts the calls of an unpriced judge model as unknown, saying so once, never as $0', async () => {
      const { store, evaluators } = await judgedStore('openai:no-such-model-7');
      const run = await runCliWithEnv(
        batchArgs(store, '--evaluators', evaluators, '--max-cost', '5', '--concurrency', '1'),
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const warnings = run.stderr.split('\n').filter((l) => /^warning: the cost of a judge call/.test(l));
      assert.equal(warnings.length, 1, run.stderr);
      assert.match(
        warnings[0],
        /^warning: the cost of a judge call to openai:no-such-model-7 is unknown \(no price data for model "no-such-model-7".*\); the budget counts only calls with a known cost/,
      );
      const out = JSON.parse(run.stdout) as { spentUsd: number; judgeSpentUsd: number; stoppedByBudget: boolean };
      assert.equal(
        server.requests.filter(isJudge).length,
        6,
        'every judge call is sent: an unknown cost stops nothing',
      );
      assert.equal(out.judgeSpentUsd, 0);
      assert.ok(Math.abs(out.spentUsd - 3 * perCall) < 1e-9, 'only the priced replay calls are in the known spend');
      assert.equal(out.stoppedByBudget, false);
      const scores = (await storedJobs(store)).flatMap((j) => [
        ...(j.evaluation?.original ?? []),
        ...(j.evaluation?.replay ?? []),
      ]);
      assert.equal(scores.length, 6);
      for (const s of scores) {
        assert.equal(s.value, 0.8);
        assert.equal(s.judgeUsage?.costUsd, null, 'unknown, not $0');
        assert.match(s.judgeUsage?.costReason ?? '', /no price data/);
      }
    });
  });
});
