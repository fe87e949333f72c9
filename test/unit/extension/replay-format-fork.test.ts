// The Replays view's texts for a replay from a span: the calls kept before the fork are counted, and
// the overrides name the fork span and a tool policy other than recorded.
import assert from 'node:assert/strict';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { describeOverrides, spanSummary } from '../../../src/extension/replay/replay-format';

const job: ReplayJob = {
  id: 'job-1',
  traceId: 't'.repeat(32),
  status: 'COMPLETED',
  overrides: { mode: 'chained', fromSpanId: 'b'.repeat(16), toolPolicy: 'strict' },
  createdAt: '2026-01-01T00:00:00Z',
  providerMs: 0,
  spans: [
    { originalSpanId: 'r', replaySpanId: 'r2', kind: 'chain', status: 'reused', warnings: [] },
    { originalSpanId: 'a', replaySpanId: 'a2', kind: 'llm', status: 'reused', warnings: [] },
    { originalSpanId: 'b', replaySpanId: 'b2', kind: 'llm', status: 'replayed', warnings: [], forkPoint: true },
  ],
};

describe('Replays view texts of a replay from a span', () => {
  it('counts the LLM calls kept as recorded before the fork', () => {
    assert.equal(spanSummary(job), '1 call replayed, 1 kept as recorded (before the fork)');
    assert.equal(spanSummary({ ...job, spans: job.spans.slice(2) }), '1 call replayed');
  });

  it('names the fork span and the strict tool policy', () => {
    assert.equal(describeOverrides(job), `recorded model · chained · from span ${'b'.repeat(16)} · strict tools`);
  });
});
