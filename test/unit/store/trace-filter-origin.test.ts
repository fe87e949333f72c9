import assert from 'node:assert/strict';
import type { TraceSummary } from '../../../src/core/model/trace';
import { matchesTraceFilter } from '../../../src/core/store/trace-filter';

function summary(id: string, replayOf?: TraceSummary['replayOf']): TraceSummary {
  return {
    id,
    name: 'n',
    startTime: 0,
    durationMs: 1,
    spanCount: 1,
    llmSpanCount: 1,
    models: [],
    inputTokens: 0,
    outputTokens: 0,
    promptNames: [],
    updatedAt: 0,
    replayOf,
  };
}

describe('trace filter: origin', () => {
  const recorded = summary('a');
  const replay = summary('b', { originalTraceId: 'a', replayId: 'job' });

  it('keeps recorded traces, replays, or both', () => {
    assert.deepEqual(
      [recorded, replay].filter((s) => matchesTraceFilter(s, { origin: 'recorded' })).map((s) => s.id),
      ['a'],
    );
    assert.deepEqual(
      [recorded, replay].filter((s) => matchesTraceFilter(s, { origin: 'replay' })).map((s) => s.id),
      ['b'],
    );
    assert.deepEqual(
      [recorded, replay].filter((s) => matchesTraceFilter(s, { origin: 'any' })).map((s) => s.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      [recorded, replay].filter((s) => matchesTraceFilter(s, {})).map((s) => s.id),
      ['a', 'b'],
    );
  });
});
