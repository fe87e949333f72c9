// What the trace detail and comparison panels receive, shaped from real traces and jobs.
import assert from 'node:assert/strict';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import { toComparisonJson } from '../../../src/core/compare/render-json';
import { comparisonShowParams, replayHistory, traceShowParams } from '../../../src/core/report/panel-data';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { loadFixture, makeReplay } from '../compare/compare-test-helpers';

describe('panel data', () => {
  const original = loadFixture('traceloop-openai-agent');
  const a = makeReplay(original, { jobId: 'job-a' });
  const b = makeReplay(original, { jobId: 'job-b' });
  const older: ReplayJob = {
    ...a.job,
    createdAt: '2026-01-01T00:00:00.000Z',
    overrides: { model: 'openai:gpt-4o', template: { kind: 'file', path: 'prompts/agent.prompt' } },
  };
  const newer: ReplayJob = { ...b.job, createdAt: '2026-01-02T00:00:00.000Z', status: 'FAILED', error: 'HTTP 500' };
  const other: ReplayJob = { ...b.job, id: 'job-other', traceId: 'f'.repeat(32) };

  it('history: newest first, this trace only, model / template / error kept', () => {
    assert.deepEqual(
      replayHistory([older, newer]).map((h) => h.jobId),
      ['job-b', 'job-a'],
    );
    const params = comparisonShowParams(toComparisonJson(buildComparison({ original, replay: a.replay, job: older })), [
      older,
      other,
      newer,
    ]);
    assert.deepEqual(params.history, [
      { jobId: 'job-b', createdAt: newer.createdAt, status: 'FAILED', model: 'openai:gpt-4.1-mini', error: 'HTTP 500' },
      {
        jobId: 'job-a',
        createdAt: older.createdAt,
        status: 'COMPLETED',
        model: 'openai:gpt-4o',
        template: { kind: 'file', path: 'prompts/agent.prompt' },
      },
    ]);
    assert.deepEqual(params.template, { kind: 'file', path: 'prompts/agent.prompt' });
  });

  it('trace detail: spans depth first with kinds, durations, LLM details and totals', () => {
    const t = traceShowParams(original, [older, newer, other]);
    assert.equal(t.spans.length, original.spans.length);
    assert.deepEqual(
      t.spans.map((s) => [s.kind, s.depth]),
      [
        ['chain', 0],
        ['llm', 1],
        ['tool', 1],
        ['llm', 1],
      ],
    );
    const llm = t.spans.filter((s) => s.kind === 'llm');
    assert.ok(llm.every((s) => s.messages && s.messages.length > 0 && s.parameters && s.output && s.model));
    assert.equal(llm[0].output!.toolCalls[0].name, 'get_weather');
    assert.ok(
      llm.every((s) => typeof s.costUsd === 'number' && s.costUsd > 0),
      'recorded gpt-4o-mini calls are priced',
    );
    assert.equal(t.totals.llmSpans, 2);
    assert.equal(t.totals.inputTokens, 69);
    assert.equal(t.totals.outputTokens, 21);
    assert.ok(Math.abs(t.totals.costUsd! - llm.reduce((n, s) => n + s.costUsd!, 0)) < 1e-12);
    assert.deepEqual(
      t.history.map((h) => h.jobId),
      ['job-b', 'job-a'],
    );
    assert.equal(t.spans.find((s) => s.kind === 'tool')!.io !== undefined, true);
    // Parameters as the user writes them, like the comparison (max_tokens, not maxTokens).
    const withMax = structuredClone(original);
    const span = withMax.spans.find((s) => s.kind === 'llm')!;
    span.llm!.parameters = { ...span.llm!.parameters, maxTokens: 64, topP: 0.9, extra: { reasoning_effort: 'low' } };
    const shown = traceShowParams(withMax, []).spans.find((s) => s.spanId === span.id)!.parameters!;
    assert.equal(shown.max_tokens, 64);
    assert.equal(shown.top_p, 0.9);
    assert.equal(shown['extra.reasoning_effort'], 'low');
    assert.ok(!('maxTokens' in shown) && !('topP' in shown));
  });

  it('an unpriced call makes the total cost unknown with the reason, never 0', () => {
    const copy = structuredClone(original);
    for (const s of copy.spans) if (s.llm) s.llm.responseModel = s.llm.requestModel = 'mystery-model-x';
    const t = traceShowParams(copy, []);
    assert.equal(t.totals.costUsd, null);
    assert.match(t.totals.costReason!, /chat/);
  });
});
