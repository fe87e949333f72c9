// The replayed trace of a very large original (#13): 150,000 spans, a chain 10,000 deep among them,
// build without overflowing the stack, keep the tree and end each parent no earlier than its child.
import assert from 'node:assert/strict';
import type { Span, Trace } from '../../../src/core/model/trace';
import { buildReplayTrace } from '../../../src/core/replay/replay-trace-builder';
import type { ReplayJob } from '../../../src/core/replay/replay-types';

function span(i: number, parent: number | undefined, end: number): Span {
  const s: Span = {
    id: i.toString(16).padStart(16, '0'),
    traceId: 'a'.repeat(32),
    name: `s${i}`,
    kind: 'chain',
    startTime: 1000 + i,
    endTime: end,
    startTimeUnixNano: `${1000 + i}000000`,
    endTimeUnixNano: `${end}000000`,
    status: { code: 'unset' },
    attributes: {},
    events: [],
    conventions: [],
  };
  if (parent !== undefined) s.parentId = parent.toString(16).padStart(16, '0');
  return s;
}

describe('buildReplayTrace on a very large trace', () => {
  it('builds 150,000 spans with a 10,000-deep chain', () => {
    const spans: Span[] = [];
    for (let i = 0; i < 150_000; i++)
      spans.push(span(i, i === 0 ? undefined : i < 10_000 ? i - 1 : 0, i === 9_999 ? 500_000 : 200_000));
    const original: Trace = { id: 'a'.repeat(32), name: 'big', startTime: 1000, endTime: 500_000, spans };
    const job: ReplayJob = {
      id: 'job-large',
      traceId: original.id,
      status: 'COMPLETED',
      overrides: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      providerMs: 0,
      spans: [],
    };
    const replay = buildReplayTrace(original, job, new Map());
    assert.equal(replay.spans.length, 150_000);
    const anchor = Date.parse(job.startedAt!);
    assert.equal(replay.startTime, anchor);
    assert.equal(replay.endTime, anchor + 500_000 - 1000);
    // The deepest chain span ends last; every ancestor up to the root is stretched to it.
    assert.equal(replay.spans[0].endTime, replay.endTime);
    assert.equal(replay.spans[5_000].endTime, replay.endTime);
    assert.equal(replay.spans[9_999].parentId, replay.spans[9_998].id);
  });
});
