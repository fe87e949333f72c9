import assert from 'node:assert/strict';
import type { TraceSummary } from '../../../src/core/model/trace';
import { TraceIndex } from '../../../src/core/store/trace-index';
import { matchesTraceFilter } from '../../../src/core/store/trace-filter';

function summary(id: string, startTime: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return {
    id,
    name: `trace ${id}`,
    startTime,
    durationMs: 1,
    spanCount: 1,
    llmSpanCount: 0,
    models: [],
    inputTokens: 0,
    outputTokens: 0,
    promptNames: [],
    updatedAt: 0,
    ...extra,
  };
}

const ids = (list: TraceSummary[]): string[] => list.map((s) => s.id);

describe('TraceIndex', () => {
  it('keeps summaries newest first through upserts and removals, ties broken by id', () => {
    const index = new TraceIndex([summary('a', 10), summary('b', 30)]);
    index.upsert(summary('c', 20));
    index.upsert(summary('d', 20));
    assert.deepEqual(ids(index.list()), ['b', 'c', 'd', 'a']);
    index.upsert(summary('a', 40)); // moved by an update
    assert.deepEqual(ids(index.list()), ['a', 'b', 'c', 'd']);
    assert.equal(index.remove('c'), true);
    assert.equal(index.remove('c'), false);
    assert.deepEqual(ids(index.list()), ['a', 'b', 'd']);
    assert.equal(index.size, 3);
  });

  it('sorts a summary without a finite start time as the oldest', () => {
    const index = new TraceIndex([summary('empty', Infinity), summary('x', 5)]);
    assert.deepEqual(ids(index.list()), ['x', 'empty']);
  });

  it('pages with offset and limit, after filtering', () => {
    const index = new TraceIndex(
      Array.from({ length: 10 }, (_, i) => summary(`t${i}`, i, { models: i % 2 ? ['odd'] : ['even'] })),
    );
    assert.deepEqual(ids(index.list({ offset: 2, limit: 3 })), ['t7', 't6', 't5']);
    assert.deepEqual(ids(index.list({ filter: { model: 'odd' }, offset: 1, limit: 2 })), ['t7', 't5']);
    assert.equal(index.count({ model: 'even' }), 5);
    assert.deepEqual(ids(index.list({ limit: 0 })), []);
  });
});

describe('trace filter', () => {
  const s = summary('p', 100, {
    name: 'Checkout',
    models: ['gpt-4o'],
    promptNames: ['Refund Policy'],
    serviceName: 'Shop-API',
  });

  it('matches text against name, model, prompt name and service, ignoring case', () => {
    for (const text of ['checkout', 'GPT-4', 'refund', 'shop-api']) assert.ok(matchesTraceFilter(s, { text }), text);
    assert.ok(!matchesTraceFilter(s, { text: 'claude' }));
  });

  it('matches model and prompt exactly, ignoring case', () => {
    assert.ok(matchesTraceFilter(s, { model: 'GPT-4O', prompt: 'refund policy' }));
    assert.ok(!matchesTraceFilter(s, { model: 'gpt-4' }));
    assert.ok(!matchesTraceFilter(s, { prompt: 'refund' }));
  });

  it('bounds startTime inclusively', () => {
    assert.ok(matchesTraceFilter(s, { since: 100, until: 100 }));
    assert.ok(!matchesTraceFilter(s, { since: 101 }));
    assert.ok(!matchesTraceFilter(s, { until: 99 }));
  });

  it('treats an empty filter as matching everything', () => {
    assert.ok(matchesTraceFilter(s, {}));
    assert.ok(matchesTraceFilter(s, { text: '  ' }));
  });
});
