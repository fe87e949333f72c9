// What "Open in Diff Editor" shows (issue 12, item 9): the whole output of an LLM call as JSON,
// tool calls included (a changed tool call is the real change), the request with its model and
// changed parameters, and a title that names the call by step and model.
import assert from 'node:assert/strict';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import { toComparisonJson } from '../../../src/core/compare/render-json';
import type { Trace } from '../../../src/core/model/trace';
import { traceShowParams } from '../../../src/core/report/panel-data';
import { diffArgsOf, exactDiffTexts, type RecordedCall } from '../../../src/extension/panels/diff-args';
import { llmSpans, loadFixture, makeReplay, replayIdOf } from '../compare/compare-test-helpers';

/** A span as the trace panel carries it (what the host reads to diff the calls exactly). */
function recorded(trace: Trace, spanId: string): RecordedCall {
  const span = traceShowParams(trace, []).spans.find((s) => s.spanId === spanId);
  assert.ok(span, `span ${spanId} in the trace panel data`);
  return span;
}

describe('diff editor texts', () => {
  it('diffs the whole output as JSON: a changed tool call shows although the text is the same', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, {
      edits: {
        [first.id]: {
          model: 'gpt-4.1-mini',
          output: {
            toolCalls: [
              { type: 'tool_call', name: 'get_forecast', arguments: '{"city":"Lyon","days":2}', id: 'call_x' },
            ],
          },
        },
      },
    });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const out = diffArgsOf(c, first.id, 'output');
    assert.ok(out, 'the first call has an output diff');
    assert.equal(out.language, 'json');
    assert.deepEqual(JSON.parse(out.original), {
      text: '',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      finishReason: 'tool_call',
    });
    // Arguments recorded as a JSON string are parsed, so the two sides line up key by key.
    assert.deepEqual(JSON.parse(out.replay), {
      text: '',
      toolCalls: [{ name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } }],
      finishReason: 'tool_call',
    });
    assert.notEqual(out.original, out.replay);
    assert.equal(out.title, `#1 gpt-4o-mini-2024-07-18 · output: original ↔ replay`);
    assert.equal(out.spanName, '#1 gpt-4o-mini-2024-07-18');
  });

  it('from the recorded calls, keeps text answers exactly (a word diff loses spacing), and names the second call #2', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [, second] = llmSpans(original);
    const { replay, job } = makeReplay(original, {
      edits: { [second.id]: { output: { text: 'Rainy in  Paris.\n\nTake an umbrella.' } } },
    });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const rebuilt = diffArgsOf(c, second.id, 'output')!;
    assert.equal(rebuilt.replaySpanId, replayIdOf(second.id));
    const out = exactDiffTexts(rebuilt, recorded(original, second.id), recorded(replay, replayIdOf(second.id)));
    assert.deepEqual(JSON.parse(out.original), { text: second.llm!.output.text, toolCalls: [], finishReason: 'stop' });
    assert.equal((JSON.parse(out.replay) as { text: string }).text, 'Rainy in  Paris.\n\nTake an umbrella.');
    assert.match(out.title, /^#2 /);
  });

  it('from the recorded calls, an input lists the model, the changed parameters and the tools, then the conversation', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, {
      edits: { [first.id]: { provider: 'openai', model: 'gpt-4.1-mini', parameters: { temperature: 0.5 } } },
    });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const input = exactDiffTexts(
      diffArgsOf(c, first.id, 'input')!,
      recorded(original, first.id),
      recorded(replay, replayIdOf(first.id)),
    );
    assert.match(input.original, /^model: .*gpt-4o-mini\ntemperature: \(not set\)\n/);
    assert.match(input.replay, /^model: openai:gpt-4.1-mini\ntemperature: 0.5\n/);
    assert.match(input.original, /\ntools: get_weather\n/);
    assert.ok(
      input.original.endsWith(input.replay.slice(input.replay.indexOf('\n\n'))),
      'the same conversation on both sides',
    );
  });

  it('a tool call made on one side only is absent from the other side', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, {
      edits: { [first.id]: { output: { text: 'I cannot look that up.', toolCalls: [], finishReason: 'stop' } } },
    });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const out = diffArgsOf(c, first.id, 'output')!;
    assert.equal((JSON.parse(out.original) as { toolCalls: unknown[] }).toolCalls.length, 1);
    assert.deepEqual(JSON.parse(out.replay), { text: 'I cannot look that up.', toolCalls: [], finishReason: 'stop' });
  });

  it('the input side starts with the model and the changed parameters, then the conversation', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, {
      edits: { [first.id]: { provider: 'openai', model: 'gpt-4.1-mini', parameters: { temperature: 0 } } },
    });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    const input = diffArgsOf(c, first.id, 'input')!;
    assert.equal(input.language, 'plaintext');
    assert.match(input.title, /^#1 .* · input: original ↔ replay$/);
    const [origHead] = input.original.split('\n\n');
    const [replayHead] = input.replay.split('\n\n');
    assert.match(origHead, /^model: .*gpt-4o-mini\ntemperature: \(not set\)$/);
    assert.match(replayHead, /^model: openai:gpt-4.1-mini\ntemperature: 0$/);
    assert.equal(
      input.original.slice(origHead.length),
      input.replay.slice(replayHead.length),
      'same conversation on both sides',
    );
    assert.match(input.original, /\[user\]/);
  });

  it('is undefined for an unknown span and for a span without an output', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, { edits: { [first.id]: { status: 'failed', error: 'boom' } } });
    const c = toComparisonJson(buildComparison({ original, replay, job }));
    assert.equal(diffArgsOf(c, 'nope', 'output'), undefined);
    assert.equal(diffArgsOf(c, first.id, 'output'), undefined);
  });
});
