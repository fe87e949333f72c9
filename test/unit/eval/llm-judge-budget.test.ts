// llm-judge calls under a cost budget (issue 18), through the provider layer against the fake LLM
// server: each judge score keeps the usage and price of its call (an unusable answer too), the
// budget (a real CostBudget as EvaluationContext.judgeSpend) counts them as they end, and once it is
// spent no further judge call is sent: those scores say "not run", with no value. An unpriced judge
// model is counted as unknown, never as $0.
import assert from 'node:assert/strict';
import { evaluateReplay } from '../../../src/core/eval/evaluate-replay';
import type { Score } from '../../../src/core/eval/evaluation-types';
import type { EvaluatorConfig } from '../../../src/core/eval/evaluator-types';
import { JUDGE_SYSTEM_PROMPT } from '../../../src/core/eval/llm-judge-evaluator';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import { priceLlmCall } from '../../../src/core/pricing/llm-pricing';
import { CostBudget } from '../../../src/core/replay/cost-budget';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { config } from './eval-inputs';
import { fixtureTrace, replayOf } from './eval-test-traces';

/** gpt-4o input is $2.50 per million tokens: a judge call reporting this many costs $0.10. */
const JUDGE_INPUT_TOKENS = 40_000;

describe('llm-judge calls under a cost budget', () => {
  let llm: FakeLlmServer;
  let providerConfigs: ProviderConfigs;
  const original = fixtureTrace('traceloop-openai-chain');
  const replay = replayOf(original, { outputs: { 1: { text: 'Sea sing shore.' } } });
  const judge = (model: string): EvaluatorConfig =>
    config('llm-judge', { model, rubric: 'The answer is a fluent French translation.' }, 'fluency');
  const judgeScores = (scores: Score[]): Score[] => scores.filter((s) => s.evaluatorId === 'fluency');

  before(async () => {
    llm = await startFakeLlmServer();
    providerConfigs = { openai: { kind: 'openai', baseURL: llm.openaiBaseUrl, apiKey: 'test-key', maxRetries: 0 } };
    const cost = priceLlmCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: JUDGE_INPUT_TOKENS, outputTokens: 0, inputIncludesCache: true },
    });
    assert.ok(cost.costUsd !== null && Math.abs(cost.costUsd - 0.1) < 1e-12, JSON.stringify(cost));
  });
  beforeEach(() => {
    llm.reset();
    llm.setResponder(() => ({
      text: '{"score": 0.7, "reason": "Mostly fluent."}',
      usage: { input: JUDGE_INPUT_TOKENS, output: 0 },
    }));
  });
  after(async () => {
    await llm.close();
  });

  it('keeps each call’s usage and price on its score, and sends no judge call once the budget is spent', async () => {
    const budget = new CostBudget(0.25);
    const result = await evaluateReplay(original, replay, [judge('openai:gpt-4o')], {
      gateway: createLlmGateway(providerConfigs),
      providerConfigs,
      judgeSpend: budget,
      jobId: 'job-1',
      concurrency: 1,
    });
    const scores = [...judgeScores(result.original), ...judgeScores(result.replay)];
    assert.ok(scores.length > 3, `more judge scores (${scores.length}) than the budget allows`);
    // $0.10, $0.20, then $0.30 crosses $0.25: nothing is sent after the third call.
    assert.equal(llm.requests.length, 3);
    for (const request of llm.requests)
      assert.ok(JSON.stringify(request.body).includes(JUDGE_SYSTEM_PROMPT.slice(0, 40)), 'only judge calls');
    const paid = scores.filter((s) => s.judgeUsage !== undefined);
    assert.equal(paid.length, 3);
    for (const s of paid) {
      assert.equal(s.value, 0.7);
      const { costUsd, ...usage } = s.judgeUsage!;
      assert.deepEqual(usage, { model: 'openai:gpt-4o', inputTokens: JUDGE_INPUT_TOKENS, outputTokens: 0 });
      assert.ok(costUsd !== null && Math.abs(costUsd - 0.1) < 1e-12, String(costUsd));
    }
    const notRun = scores.filter((s) => s.errorCode === 'NOT_RUN');
    assert.equal(notRun.length, scores.length - 3, 'every other judge score is not run');
    for (const s of notRun) {
      assert.equal(s.value, null, 'never a fake score');
      assert.equal(s.judgeUsage, undefined);
      assert.equal(s.error, 'not run: stopped by the cost budget: spent $0.30 of $0.25 (judge calls: $0.30)');
    }
    assert.ok(Math.abs(budget.spentUsd - 0.3) < 1e-12);
    assert.ok(Math.abs(budget.judgeSpentUsd - 0.3) < 1e-12);
    assert.ok(Math.abs(budget.judgeSpentBy('job-1') - 0.3) < 1e-12);
    assert.equal(budget.stoppedByBudget, true);
  });

  it('counts a call whose answer was unusable: it was paid for', async () => {
    llm.setResponder(() => ({ text: 'Pretty good, 8 out of 10.', usage: { input: JUDGE_INPUT_TOKENS, output: 0 } }));
    const budget = new CostBudget(5);
    const result = await evaluateReplay(original, replay, [{ ...judge('openai:gpt-4o'), scope: 'final' }], {
      gateway: createLlmGateway(providerConfigs),
      providerConfigs,
      judgeSpend: budget,
    });
    const scores = [...judgeScores(result.original), ...judgeScores(result.replay)];
    assert.equal(scores.length, 2);
    for (const s of scores) {
      assert.equal(s.value, null);
      assert.equal(s.errorCode, 'EVALUATOR_ERROR');
      assert.equal(s.judgeUsage?.model, 'openai:gpt-4o');
    }
    assert.ok(Math.abs(budget.judgeSpentUsd - 0.2) < 1e-12, String(budget.judgeSpentUsd));
    assert.equal(budget.mayStart(), undefined);
  });

  it('counts an unpriced judge model as unknown, never $0, in one warning line', async () => {
    const lines: string[] = [];
    const budget = new CostBudget(0.01, (line) => lines.push(line));
    const result = await evaluateReplay(original, replay, [judge('openai:no-such-model-7')], {
      gateway: createLlmGateway(providerConfigs),
      providerConfigs,
      judgeSpend: budget,
    });
    const scores = [...judgeScores(result.original), ...judgeScores(result.replay)];
    assert.equal(llm.requests.length, scores.length, 'an unknown cost does not stop the judge');
    for (const s of scores) {
      assert.equal(s.value, 0.7);
      assert.equal(s.judgeUsage?.costUsd, null);
      assert.match(s.judgeUsage?.costReason ?? '', /no price data for model "no-such-model-7"/);
    }
    assert.equal(budget.unknownCostCalls, scores.length);
    assert.equal(budget.spentUsd, 0);
    assert.equal(budget.judgeSpentUsd, 0);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^warning: the cost of a judge call to openai:no-such-model-7 is unknown \(no price data for model "no-such-model-7".*\); the budget counts only calls with a known cost/,
    );
  });
});
