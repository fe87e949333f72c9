import assert from 'node:assert/strict';
import { NoReferenceError } from '../../../src/core/eval/eval-errors';
import { compareToolCalls, createToolCallsMatchEvaluator } from '../../../src/core/eval/tool-calls-match-evaluator';
import type { ToolCallPart } from '../../../src/core/model/trace';
import { config, inputsOf } from './eval-inputs';
import { fixtureTrace, replayOf } from './eval-test-traces';

const call = (name: string, args: unknown): ToolCallPart => ({ type: 'tool_call', name, arguments: args });

describe('tool-calls-match evaluator', () => {
  for (const name of ['traceloop-openai-agent', 'openinference-anthropic-agent', 'vercel-ai-openai-agent']) {
    it(`gives the original 1 against itself (${name})`, async () => {
      const trace = fixtureTrace(name);
      const inputs = inputsOf(trace);
      assert.ok(
        inputs.some((i) => i.output.toolCalls.length > 0),
        'the fixture has a tool call',
      );
      const evaluator = createToolCallsMatchEvaluator(config('tool-calls-match'));
      for (const input of inputs) assert.equal((await evaluator.evaluate(input, {}))?.value, 1);
    });
  }

  it('scores the replay: same call 1, other arguments partial, other tool 0', async () => {
    const agent = fixtureTrace('traceloop-openai-agent');
    const evaluator = createToolCallsMatchEvaluator(config('tool-calls-match'));
    const score = async (toolCalls: ToolCallPart[]): Promise<{ value: number; reason?: string }> => {
      const [step] = inputsOf(replayOf(agent, { outputs: { 0: { toolCalls } } }), agent);
      const result = await evaluator.evaluate(step, {});
      assert.ok(result);
      return result;
    };
    // Recorded: get_weather({"city":"Paris"}); the arguments may come back as a JSON string.
    assert.deepEqual(await score([call('get_weather', '{ "city": "Paris" }')]), {
      value: 1,
      reason: '1 of 1 calls match exactly.',
    });
    assert.deepEqual(await score([call('get_weather', { city: 'Lyon' })]), {
      value: 0.5,
      reason: '0 of 1 calls match exactly; other arguments for get_weather.',
    });
    assert.deepEqual(await score([call('search', { q: 'Paris' })]), {
      value: 0,
      reason: '0 of 1 calls match exactly; missing get_weather; extra search.',
    });
    assert.equal((await score([])).value, 0);
    assert.equal((await score([call('get_weather', { city: 'Paris' }), call('get_time', {})])).value, 0.5);
  });

  it("scores the trace's final output on the tool calls of the whole run", async () => {
    const agent = fixtureTrace('traceloop-openai-agent');
    const evaluator = createToolCallsMatchEvaluator(config('tool-calls-match'));
    const finalOf = (trace: typeof agent) => {
      const input = inputsOf(trace, agent).find((i) => i.scope === 'final');
      assert.ok(input, 'a final output');
      return input;
    };
    // The replay asked for no tool: its final answer has no calls, like the original's, yet the run differs.
    const dropped = await evaluator.evaluate(finalOf(replayOf(agent, { outputs: { 0: { toolCalls: [] } } })), {});
    assert.deepEqual(dropped, {
      value: 0,
      reason: 'The whole trace: 0 of 1 calls match exactly; missing get_weather.',
    });
    const same = await evaluator.evaluate(
      finalOf(replayOf(agent, { outputs: { 0: { toolCalls: [call('get_weather', { city: 'Paris' })] } } })),
      {},
    );
    assert.equal(same?.value, 1);
  });

  it('pairs calls regardless of order by default, by position when asked', () => {
    const recorded = [call('a', { x: 1, y: 2 }), call('b', {})];
    const swapped = [call('b', {}), call('a', { y: 2, x: 1 })];
    assert.equal(compareToolCalls(swapped, recorded).score, 1);
    const ordered = compareToolCalls(swapped, recorded, { ignoreOrder: false });
    assert.equal(ordered.score, 0);
    assert.deepEqual(
      [ordered.missing, ordered.extra],
      [
        ['a', 'b'],
        ['b', 'a'],
      ],
    );
  });

  it('takes the same-tool credit from the options, and no calls on either side is a match', () => {
    assert.equal(compareToolCalls([call('a', { x: 2 })], [call('a', { x: 1 })], { sameNameCredit: 0.25 }).score, 0.25);
    assert.equal(compareToolCalls([], []).score, 1);
  });

  it('throws NoReferenceError without a reference', async () => {
    const input = { ...inputsOf(fixtureTrace('traceloop-openai-agent'))[0], reference: undefined };
    await assert.rejects(
      createToolCallsMatchEvaluator(config('tool-calls-match')).evaluate(input, {}),
      NoReferenceError,
    );
  });
});
