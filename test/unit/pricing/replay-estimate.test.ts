// The cost estimate before a replay (src/core/pricing/replay-estimate.ts): recorded tokens priced for
// the target, a range with half to twice the output, samples, llm-judge calls, unpriced models named.
import assert from 'node:assert/strict';
import type { EvaluatorConfig } from '../../../src/core/eval/evaluator-types';
import type { Span, Trace, Usage } from '../../../src/core/model/trace';
import { estimateBreakdown, estimateLine } from '../../../src/core/pricing/estimate-text';
import { priceLlmCall } from '../../../src/core/pricing/llm-pricing';
import { estimateReplayCost } from '../../../src/core/pricing/replay-estimate';

const USAGE: Usage = { inputTokens: 1000, outputTokens: 200, inputIncludesCache: true };

function llmSpan(id: string, start: number, opts: { model?: string; usage?: Usage; input?: boolean } = {}): Span {
  return {
    id,
    traceId: 't1',
    name: `chat ${id}`,
    kind: 'llm',
    startTime: start,
    endTime: start + 1,
    startTimeUnixNano: String(start * 1e6),
    endTimeUnixNano: String((start + 1) * 1e6),
    status: { code: 'ok' },
    attributes: {},
    events: [],
    conventions: ['gen_ai'],
    llm: {
      provider: 'openai',
      api: 'chat.completions',
      requestModel: opts.model ?? 'gpt-4o-mini',
      messages:
        opts.input === false
          ? []
          : [{ role: 'user', parts: [{ type: 'text', text: 'What is the capital of France?' }] }],
      parameters: {},
      output: { text: 'Paris.', toolCalls: [] },
      ...(opts.usage !== undefined ? { usage: opts.usage } : { usage: USAGE }),
    },
  } as Span;
}

function trace(id: string, spans: Span[]): Trace {
  return { id, name: id, startTime: 0, endTime: 10, spans: spans.map((s) => ({ ...s, traceId: id })) };
}

function price(model: string, usage: Usage): number {
  const cost = priceLlmCall({ provider: 'openai', model, usage });
  assert.ok(cost.costUsd !== null, `test price of ${model}`);
  return cost.costUsd;
}

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);

describe('replay cost estimate', () => {
  it('prices the recorded tokens for the target model, as a range of half to twice the output', () => {
    const traces = [trace('a', [llmSpan('s1', 0), llmSpan('s2', 2)])];
    const e = estimateReplayCost(traces, { model: 'openai:gpt-4o', configs: {} });
    assert.equal(e.calls, 2);
    assert.equal(e.unpricedCalls, 0);
    close(e.usd.expected, 2 * price('gpt-4o', USAGE));
    close(e.usd.low, 2 * price('gpt-4o', { ...USAGE, outputTokens: 100 }));
    close(e.usd.high, 2 * price('gpt-4o', { ...USAGE, outputTokens: 400 }));
    assert.ok(e.usd.low < e.usd.expected && e.usd.expected < e.usd.high);
    assert.deepEqual(
      e.models.map((m) => [m.role, m.model, m.calls]),
      [['replay', 'openai:gpt-4o', 2]],
    );
    assert.equal(e.traces[0].calls, 2);
    assert.match(estimateLine(e), /^Estimated cost: \$\S+ – \$\S+ \(expected \$\S+\) for 2 calls/);
  });

  it('keeps the recorded model without --model, and never sends spans that recorded no input', () => {
    const traces = [trace('a', [llmSpan('s1', 0), llmSpan('s2', 2, { input: false })])];
    const e = estimateReplayCost(traces, { configs: {} });
    assert.equal(e.calls, 1);
    assert.equal(e.models[0].model, 'openai:gpt-4o-mini');
    close(e.usd.expected, price('gpt-4o-mini', USAGE));
  });

  it('names unpriced models with the reason and counts them apart, never as $0', () => {
    const traces = [trace('a', [llmSpan('s1', 0), llmSpan('s2', 2, { usage: undefined as unknown as Usage })])];
    delete traces[0].spans[1].llm!.usage;
    const unknownModel = estimateReplayCost(traces, { model: 'openai:no-such-model-9', configs: {} });
    assert.equal(unknownModel.unpricedCalls, 2);
    assert.equal(unknownModel.usd.expected, 0);
    assert.equal(unknownModel.unpriced.length, 1);
    assert.match(unknownModel.unpriced[0].reason, /no price data for model "no-such-model-9"/);
    assert.match(estimateLine(unknownModel), /Estimated cost: unknown for 2 calls.*2 calls unpriced/);

    const noUsage = estimateReplayCost(traces, { configs: {} });
    assert.equal(noUsage.calls, 2);
    assert.equal(noUsage.unpricedCalls, 1, 'the span without usage');
    assert.match(noUsage.unpriced[0].reason, /no token usage recorded/);
    assert.match(estimateBreakdown(noUsage), /1 unpriced: no token usage recorded/);
    assert.match(estimateLine(noUsage), /for 2 calls .*; 1 call unpriced, not counted/);

    const unresolvable = estimateReplayCost(traces, { model: 'nosuchprovider:x', configs: {} });
    assert.equal(unresolvable.unpricedCalls, 2);
    assert.match(unresolvable.unpriced[0].reason, /nosuchprovider/);
  });

  it('multiplies by the samples: replays with the target, A/A baseline replays at the recorded model', () => {
    const traces = [trace('a', [llmSpan('s1', 0)]), trace('b', [llmSpan('s1', 0), llmSpan('s2', 2)])];
    const e = estimateReplayCost(traces, {
      model: 'openai:gpt-4o',
      configs: {},
      samples: (t) => (t.id === 'a' ? { replay: 3, baseline: 2 } : { replay: 1 }),
    });
    assert.equal(e.calls, 3 + 2 + 2);
    const replay = e.models.find((m) => m.role === 'replay')!;
    const baseline = e.models.find((m) => m.role === 'baseline')!;
    assert.equal(replay.model, 'openai:gpt-4o');
    assert.equal(replay.calls, 5);
    assert.equal(baseline.model, 'openai:gpt-4o-mini');
    assert.equal(baseline.calls, 2);
    close(e.usd.expected, 5 * price('gpt-4o', USAGE) + 2 * price('gpt-4o-mini', USAGE));
    close(e.traces[0].usd.expected, 3 * price('gpt-4o', USAGE) + 2 * price('gpt-4o-mini', USAGE));
  });

  it('skips the spans a replay from a span reuses', () => {
    const traces = [trace('a', [llmSpan('s1', 0), llmSpan('s2', 2), llmSpan('s3', 4)])];
    assert.equal(estimateReplayCost(traces, { configs: {}, fromSpanId: 's2' }).calls, 2);
  });

  it('adds llm-judge calls: one per scored output on each side, sized from the judge prompt', () => {
    const traces = [trace('a', [llmSpan('s1', 0), llmSpan('s2', 2)])];
    const judge = (id: string, scope: 'final' | 'all', model: string): EvaluatorConfig => ({
      id,
      type: 'llm-judge',
      enabled: true,
      scope,
      options: { model, rubric: 'Is the answer correct?', maxTokens: 300 },
    });
    const evaluators: EvaluatorConfig[] = [
      judge('final-judge', 'final', 'openai:gpt-4o-mini'),
      judge('every-span', 'all', 'openai:gpt-4o-mini'),
      { ...judge('off', 'final', 'openai:gpt-4o-mini'), enabled: false },
      { id: 'sim', type: 'similarity', enabled: true, scope: 'all', options: {} },
    ];
    const e = estimateReplayCost(traces, { configs: {}, evaluators, samples: { replay: 2 } });
    // final: 1 target x 2 sides x 2 jobs; all: (2 spans + final) x 2 sides x 2 jobs.
    assert.equal(e.judgeCalls, 4 + 12);
    const final = e.models.find((m) => m.model.startsWith('final-judge'))!;
    assert.equal(final.role, 'judge');
    assert.equal(final.calls, 4);
    assert.ok(final.usd.expected > 0 && final.usd.low < final.usd.expected && final.usd.expected < final.usd.high);
    // The high end is the judge's maxTokens of output.
    const perCallHigh = final.usd.high / 4;
    const perCallExpected = final.usd.expected / 4;
    close(
      perCallHigh - perCallExpected,
      price('gpt-4o-mini', { inputTokens: 0, outputTokens: 300, inputIncludesCache: true }) -
        price('gpt-4o-mini', { inputTokens: 0, outputTokens: 100, inputIncludesCache: true }),
    );
    assert.match(estimateLine(e), /for 4 calls and 16 judge calls/);

    const unpricedJudge = estimateReplayCost(traces, {
      configs: {},
      evaluators: [judge('j', 'final', 'nosuchprovider:judge')],
    });
    assert.equal(unpricedJudge.unpricedCalls, 2);
    assert.equal(unpricedJudge.unpriced[0].role, 'judge');
    assert.match(estimateLine(unpricedJudge), /2 calls unpriced, not counted: 2 judge of j \(nosuchprovider:judge\)/);
  });
});
