import assert from 'node:assert/strict';
import { createEvaluators } from '../../../src/core/eval/create-evaluators';
import { JudgeAnswerError } from '../../../src/core/eval/eval-errors';
import { evaluateReplay } from '../../../src/core/eval/evaluate-replay';
import { defaultEvaluatorConfigs } from '../../../src/core/eval/evaluator-config';
import type { EvaluatorConfig } from '../../../src/core/eval/evaluator-types';
import { parseJudgeAnswer } from '../../../src/core/eval/judge-answer';
import { JUDGE_SYSTEM_PROMPT } from '../../../src/core/eval/llm-judge-evaluator';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import { startFakeLlmServer, type FakeLlmServer, type RecordedRequest } from '../../support/fake-llm/fake-llm-server';
import { config } from './eval-inputs';
import { fixtureTrace, replayOf } from './eval-test-traces';

describe('judge answers', () => {
  it('reads bare, fenced and prose-wrapped JSON, and a score written as a string', () => {
    assert.deepEqual(parseJudgeAnswer('{"score":0.8,"reason":"Clear."}'), { score: 0.8, reason: 'Clear.' });
    assert.deepEqual(parseJudgeAnswer('```json\n{"score": 1, "reason": "Uses {braces} fine"}\n```'), {
      score: 1,
      reason: 'Uses {braces} fine',
    });
    assert.deepEqual(parseJudgeAnswer('Here is my verdict: {"reason": "Half right", "score": "0.5"} Hope it helps.'), {
      score: 0.5,
      reason: 'Half right',
    });
    assert.deepEqual(parseJudgeAnswer('{"score": 0}'), { score: 0 });
  });

  it('refuses answers without a usable score instead of guessing', () => {
    for (const answer of [
      '',
      'I would give it an 8/10.',
      '{"reason": "no score"}',
      '{"score": "high"}',
      '{"score": 8, "reason": "out of 10"}',
    ]) {
      assert.throws(() => parseJudgeAnswer(answer), JudgeAnswerError, answer);
    }
  });
});

describe('llm-judge evaluator through the provider layer', () => {
  let llm: FakeLlmServer;
  let providerConfigs: ProviderConfigs;
  const original = fixtureTrace('traceloop-openai-chain');
  const replay = replayOf(original, { outputs: { 1: { text: 'Sea sing shore.' } } });
  const judge = (model: string): EvaluatorConfig => ({
    ...config(
      'llm-judge',
      { model, rubric: 'The answer is a fluent French translation.', passThreshold: 0.5 },
      'fluency',
    ),
    scope: 'final',
  });
  const userText = (request: RecordedRequest): string => JSON.stringify(request.body);

  before(async () => {
    llm = await startFakeLlmServer();
    providerConfigs = {
      openai: { kind: 'openai', baseURL: llm.openaiBaseUrl, apiKey: 'test-key', maxRetries: 0 },
      anthropic: { kind: 'anthropic', baseURL: llm.anthropicBaseUrl, apiKey: 'test-key', maxRetries: 0 },
    };
  });
  beforeEach(() => llm.reset());
  after(async () => {
    await llm.close();
  });

  for (const model of ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5']) {
    it(`scores the final output of both traces with ${model} at temperature 0`, async () => {
      // Keyed on the output under judgement, so the answer does not depend on arrival order.
      llm.setResponder((request) =>
        userText(request).includes('La mer chante doucement')
          ? { text: '{"score":0.9,"reason":"Fluent and faithful."}' }
          : { text: 'Verdict:\n```json\n{"score": 0.2, "reason": "Not French."}\n```' },
      );
      const gateway = createLlmGateway(providerConfigs);
      const result = await evaluateReplay(original, replay, [judge(model)], { gateway, providerConfigs });
      assert.equal(result.skipped, undefined);
      assert.equal(llm.requests.length, 2, 'one judge call per side (scope final)');
      const strip = (s: (typeof result.original)[number]) => ({
        value: s.value,
        reason: s.reason,
        passed: s.passed,
        spanId: s.target.spanId,
      });
      assert.deepEqual(result.original.map(strip), [
        { value: 0.9, reason: 'Fluent and faithful.', passed: true, spanId: undefined },
      ]);
      assert.deepEqual(result.replay.map(strip), [
        { value: 0.2, reason: 'Not French.', passed: false, spanId: undefined },
      ]);
      assert.equal(result.original[0].evaluatorVersion, result.replay[0].evaluatorVersion);
      assert.match(result.original[0].evaluatorVersion, /^llm-judge@1\+[0-9a-f]{10}$/);
      for (const request of llm.requests) {
        assert.equal(request.api, model.startsWith('openai') ? 'chat.completions' : 'anthropic.messages');
        assert.equal(request.body.temperature, 0);
        assert.equal(request.body.model, model.split(':')[1]);
        const text = userText(request);
        assert.ok(text.includes('The answer is a fluent French translation.'), 'the rubric is sent');
        assert.ok(text.includes('Translate to French'), 'the conversation is sent');
        assert.ok(text.includes(JSON.stringify(JUDGE_SYSTEM_PROMPT).slice(1, 40)), 'the system prompt asks for JSON');
      }
    });
  }

  it('records an unparseable answer or a provider error on that score only', async () => {
    llm.setResponder((request) =>
      userText(request).includes('La mer chante doucement')
        ? { text: 'It is pretty good, maybe 8 out of 10.' }
        : { status: 500 },
    );
    const gateway = createLlmGateway(providerConfigs);
    const result = await evaluateReplay(original, replay, [judge('openai:gpt-4o-mini'), config('similarity')], {
      gateway,
      providerConfigs,
    });
    const [judged] = result.original.filter((s) => s.evaluatorId === 'fluency');
    assert.equal(judged.value, null);
    assert.equal(judged.errorCode, 'EVALUATOR_ERROR');
    assert.match(judged.error ?? '', /did not answer with a JSON object/);
    const [failed] = result.replay.filter((s) => s.evaluatorId === 'fluency');
    assert.equal(failed.value, null);
    assert.match(failed.error ?? '', /HTTP 500/);
    // The other evaluator is unaffected.
    assert.deepEqual(
      result.original.filter((s) => s.evaluatorId === 'similarity').map((s) => s.value),
      [1, 1, 1],
    );
  });

  it('is skipped, with a reason and no call, without a gateway, a key, or a known model', () => {
    const gateway = createLlmGateway(providerConfigs);
    const noKey = {
      ...providerConfigs,
      openai: { ...providerConfigs.openai, apiKey: undefined, keySource: 'OPENAI_API_KEY' },
    };
    const cases: [Parameters<typeof createEvaluators>[1], RegExp][] = [
      [{ providerConfigs }, /needs a model provider/],
      [{ gateway, providerConfigs: noKey }, /No API key for openai: set OPENAI_API_KEY/],
    ];
    for (const [context, reason] of cases) {
      const created = createEvaluators([judge('openai:gpt-4o-mini')], context);
      assert.equal(created.evaluators.length, 0);
      assert.match(created.skipped[0].reason, reason);
    }
    const unknown = createEvaluators([judge('mystery:model')], { gateway, providerConfigs });
    assert.match(unknown.skipped[0].reason, /No provider named "mystery" is configured/);
    assert.equal(llm.requests.length, 0);
  });

  it('is never among the defaults', () => {
    assert.ok(!defaultEvaluatorConfigs().some((c) => c.type === 'llm-judge'));
  });
});
