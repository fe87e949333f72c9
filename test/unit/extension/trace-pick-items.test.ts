// The rows "Replay Trace" offers when run without a trace: only traces with LLM calls, in the
// source's order, each remembering the source it was listed from.
import assert from 'node:assert/strict';
import type { TraceSummary } from '../../../src/core/model/trace';
import { tracePickItems } from '../../../src/extension/sources/trace-pick-items';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function summary(id: string, over: Partial<TraceSummary> = {}): TraceSummary {
  return {
    id,
    name: `trace ${id}`,
    startTime: NOW - 2 * 3600_000,
    durationMs: 1000,
    spanCount: 3,
    llmSpanCount: 2,
    models: ['gpt-4o-mini'],
    inputTokens: 10,
    outputTokens: 5,
    promptNames: [],
    updatedAt: NOW,
    ...over,
  };
}

describe('Replay Trace: the trace rows', () => {
  it('keeps traces with LLM calls, in order, with when, models, cost and id', () => {
    const items = tracePickItems(
      [
        summary('b', { costUsd: 0.00035, models: ['gpt-4o-mini', 'claude-haiku-4-5'] }),
        summary('none', { llmSpanCount: 0 }),
        summary('a', { name: '' }),
      ],
      'langfuse:prod',
      NOW,
    );
    assert.deepEqual(
      items.map((i) => i.ref),
      [
        { id: 'b', sourceId: 'langfuse:prod' },
        { id: 'a', sourceId: 'langfuse:prod' },
      ],
    );
    assert.equal(items[0].label, 'trace b');
    assert.equal(items[0].description, '2 h ago · gpt-4o-mini, claude-haiku-4-5 · $0.00035');
    assert.equal(items[0].detail, '2 LLM calls · b');
    assert.equal(items[1].label, 'a', 'a trace without a name shows its id');
    assert.equal(items[1].description, '2 h ago · gpt-4o-mini', 'no cost known: none shown');
  });

  it('store traces carry no source id', () => {
    assert.deepEqual(
      tracePickItems([summary('x')], undefined, NOW).map((i) => i.ref),
      [{ id: 'x' }],
    );
  });
});
