import assert from 'node:assert/strict';
import { createContainsEvaluator } from '../../../src/core/eval/contains-evaluator';
import { NoReferenceError } from '../../../src/core/eval/eval-errors';
import { createJsonEvaluator, parseJsonOutput } from '../../../src/core/eval/json-evaluator';
import { createRegexEvaluator } from '../../../src/core/eval/regex-evaluator';
import { createSimilarityEvaluator } from '../../../src/core/eval/similarity-evaluator';
import { lcsLength, rougeL, tokenF1, tokenize } from '../../../src/core/eval/text-similarity';
import { config, inputsOf, withText } from './eval-inputs';
import { fixtureTrace, replayOf } from './eval-test-traces';

const chain = fixtureTrace('traceloop-openai-chain');

describe('text similarity', () => {
  it('tokenizes words in any script, case-folded unless asked', () => {
    assert.deepEqual(tokenize('La mer chante, doucement: 21°C!'), ['la', 'mer', 'chante', 'doucement', '21', 'c']);
    assert.deepEqual(tokenize('Élan vital', true), ['Élan', 'vital']);
  });

  it('computes token F1 and ROUGE-L on known data', () => {
    const ref = tokenize('the cat is on the mat');
    const same = tokenize('the cat sat on the mat');
    assert.equal(tokenF1(same, ref).f1.toFixed(4), (5 / 6).toFixed(4));
    assert.equal(rougeL(same, ref).f1.toFixed(4), (5 / 6).toFixed(4));
    // Same words, other order: F1 ignores order, ROUGE-L does not.
    const shuffled = tokenize('mat the on cat the is');
    assert.equal(tokenF1(shuffled, ref).f1, 1);
    assert.equal(lcsLength(shuffled, ref), 3); // the, cat, is
    assert.equal(rougeL(shuffled, ref).f1, 0.5);
    assert.equal(tokenF1([], []).f1, 1);
    assert.equal(tokenF1(['a'], []).f1, 0);
  });
});

describe('similarity evaluator', () => {
  it('gives the original 1 against itself, for both metrics', async () => {
    for (const metric of ['token-f1', 'rouge-l']) {
      const evaluator = createSimilarityEvaluator(config('similarity', { metric }));
      for (const input of inputsOf(chain)) {
        const result = await evaluator.evaluate(input, {});
        assert.equal(result?.value, 1, `${metric} ${input.target.spanId ?? 'final'}`);
      }
    }
  });

  it('scores a replayed output against the original it replays', async () => {
    const replay = replayOf(chain, { outputs: { 0: { text: 'The sea sings loudly to the moon.' } } });
    const [first, second] = inputsOf(replay, chain);
    const evaluator = createSimilarityEvaluator(config('similarity'));
    const changed = await evaluator.evaluate(first, {});
    // 7 words each, 5 in common ("the" twice, sea, sings, to).
    assert.equal(changed?.value.toFixed(4), (5 / 7).toFixed(4));
    assert.match(changed?.reason ?? '', /^Token F1 0\.714 against the original output/);
    assert.equal((await evaluator.evaluate(second, {}))?.value, 1);
  });

  it('compares tool requests when an output has no text', async () => {
    const agent = fixtureTrace('openinference-openai-agent');
    const replay = replayOf(agent, {
      outputs: { 0: { toolCalls: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Lyon' } }] } },
    });
    const [step] = inputsOf(replay, agent);
    const result = await createSimilarityEvaluator(config('similarity')).evaluate(step, {});
    assert.ok(result !== null && result.value > 0 && result.value < 1, String(result?.value));
  });

  it('throws NoReferenceError when there is no original output to compare with', async () => {
    const input = { ...inputsOf(chain)[0], reference: undefined };
    await assert.rejects(createSimilarityEvaluator(config('similarity')).evaluate(input, {}), NoReferenceError);
  });
});

describe('json evaluator', () => {
  const schema = {
    type: 'object',
    required: ['city', 'temperatureC'],
    properties: { temperatureC: { type: 'number' } },
  };

  it('parses plain and fenced JSON', () => {
    assert.deepEqual(parseJsonOutput(' {"a": 1} '), { ok: true, value: { a: 1 } });
    assert.deepEqual(parseJsonOutput('```json\n{"a": [1]}\n```'), { ok: true, value: { a: [1] } });
    assert.equal(parseJsonOutput('```json\n{"a": 1}\n```', false).ok, false);
    assert.deepEqual(parseJsonOutput('   '), { ok: false, error: 'empty' });
  });

  it('scores only where JSON is expected by default', async () => {
    const evaluator = createJsonEvaluator(config('json'));
    // A plain-text app: no score at all (not a 0).
    assert.equal(await evaluator.evaluate(inputsOf(chain)[0], {}), null);
    // The original answered JSON: the replay's text answer now scores 0.
    const jsonOriginal = replayOf(chain, { outputs: { 0: { text: '{"city":"Paris"}' } } });
    const input = inputsOf(replayOf(jsonOriginal, { outputs: { 0: { text: 'Paris, sunny.' } } }), jsonOriginal)[0];
    const result = await evaluator.evaluate(input, {});
    assert.equal(result?.value, 0);
    assert.equal(result?.passed, false);
    assert.match(result?.reason ?? '', /^The output is not valid JSON: /);
  });

  it('scores a call that asked for a JSON response format, even when the original was not JSON', async () => {
    const input = inputsOf(chain)[0];
    const span = structuredClone(input.span!);
    span.llm!.responseFormat = { type: 'json_object' };
    const result = await createJsonEvaluator(config('json')).evaluate({ ...input, span }, {});
    assert.equal(result?.value, 0);
  });

  it('validates against a JSON Schema with the errors as reason', async () => {
    const evaluator = createJsonEvaluator(config('json', { schema, applies: 'always' }));
    const input = inputsOf(chain)[0];
    const good = await evaluator.evaluate(withText(input, '```json\n{"city":"Paris","temperatureC":21}\n```'), {});
    assert.deepEqual(good, { value: 1, passed: true, reason: 'The output is JSON and matches the schema.' });
    const bad = await evaluator.evaluate(withText(input, '{"city":"Paris","temperatureC":"21"}'), {});
    assert.equal(bad?.value, 0);
    assert.match(bad?.reason ?? '', /does not match the schema: \/temperatureC must be number/);
    const missing = await evaluator.evaluate(withText(input, '{"city":"Paris"}'), {});
    assert.match(missing?.reason ?? '', /\(root\) must have required property 'temperatureC'/);
  });

  it('accepts 2020-12 schemas', async () => {
    const evaluator = createJsonEvaluator(
      config('json', {
        applies: 'always',
        schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'string' }] },
      }),
    );
    const input = inputsOf(chain)[0];
    assert.equal((await evaluator.evaluate(withText(input, '["a", 1]'), {}))?.value, 1);
    assert.equal((await evaluator.evaluate(withText(input, '[1]'), {}))?.value, 0);
  });
});

describe('regex and contains evaluators', () => {
  const [first] = inputsOf(chain);

  it('regex: 1 on a match, 0 without; mustMatch false inverts', async () => {
    const sea = createRegexEvaluator(config('regex', { pattern: '\\bSEA\\b', flags: 'i' }));
    assert.deepEqual(await sea.evaluate(first, {}), {
      value: 1,
      passed: true,
      reason: 'Matches /\\bSEA\\b/i ("sea" at 4).',
    });
    assert.equal((await sea.evaluate(withText(first, 'The ocean.'), {}))?.value, 0);
    const noApology = createRegexEvaluator(config('regex', { pattern: 'sorry|apolog', flags: 'i', mustMatch: false }));
    assert.equal((await noApology.evaluate(first, {}))?.value, 1);
    const sorry = await noApology.evaluate(withText(first, 'Sorry, I cannot.'), {});
    assert.equal(sorry?.value, 0);
    assert.equal(sorry?.passed, false);
  });

  it('contains: all / any, case-insensitive by default, naming what is missing', async () => {
    const all = createContainsEvaluator(config('contains', { values: ['sea', 'SHORE', 'moon'] }));
    assert.deepEqual(await all.evaluate(first, {}), { value: 0, passed: false, reason: 'Missing "moon".' });
    const any = createContainsEvaluator(config('contains', { values: ['sea', 'moon'], match: 'any' }));
    assert.equal((await any.evaluate(first, {}))?.value, 1);
    const exact = createContainsEvaluator(config('contains', { values: ['SHORE'], caseSensitive: true }));
    assert.equal((await exact.evaluate(first, {}))?.value, 0);
  });
});
