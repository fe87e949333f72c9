// The rows and the status line the comparison panel (webview/platform-scores.ts, shared with the
// HTML report) shows for the scores Langfuse attached: original and written-back replay side by
// side per score name and target, spans named, values as text.
import assert from 'node:assert/strict';
import type { ComparisonJson, SpanJson } from '../../../src/core/compare/render-json';
import type { SpanRef } from '../../../src/core/compare/comparison-types';
import { platformScoreRows, platformStatusText, platformValueText } from '../../../webview/platform-scores';

const ref = (spanId: string, name: string): SpanRef => ({
  spanId,
  name,
  kind: 'llm',
  startOffsetMs: 0,
  durationMs: 10,
  statusCode: 'ok',
});
const row = (original: SpanRef, replay: SpanRef): SpanJson => ({
  status: 'replayed',
  depth: 0,
  original,
  replay,
  warnings: [],
  scores: [],
});

function comparison(
  platformScores: ComparisonJson['platformScores'],
): Pick<ComparisonJson, 'platformScores' | 'replayTraceId' | 'spans'> {
  return {
    replayTraceId: 'replay-1',
    spans: [row(ref('obs-plan', 'plan'), ref('rspan-plan', 'plan'))],
    platformScores,
  };
}

describe('platform score rows', () => {
  it('pairs the original and the written-back replay per score and target, in first-seen order', () => {
    const rows = platformScoreRows(
      comparison([
        {
          name: 'helpfulness',
          value: 0.6,
          source: 'langfuse:eval',
          target: { traceId: 'lf-original' },
          comment: 'vague',
        },
        { name: 'helpfulness', value: 0.9, source: 'langfuse:eval', target: { traceId: 'replay-1' } },
        {
          name: 'tone',
          value: 'friendly',
          source: 'langfuse:annotation',
          target: { traceId: 'lf-original', spanId: 'obs-plan' },
        },
        { name: 'tone', value: 'curt', source: 'langfuse:api', target: { traceId: 'replay-1', spanId: 'rspan-plan' } },
        {
          name: 'flagged',
          value: false,
          source: 'langfuse:api',
          target: { traceId: 'lf-original', spanId: 'obs-unknown-123456' },
        },
      ]),
    );
    assert.deepEqual(rows, [
      {
        name: 'helpfulness',
        target: 'trace',
        source: 'langfuse:eval',
        original: { text: '0.6', comment: 'vague' },
        replay: { text: '0.9' },
      },
      {
        name: 'tone',
        target: 'plan',
        source: 'langfuse:annotation, langfuse:api',
        original: { text: 'friendly' },
        replay: { text: 'curt' },
      },
      { name: 'flagged', target: 'observation obs-unknown-', source: 'langfuse:api', original: { text: 'false' } },
    ]);
  });

  it('keeps every value of a score given twice on one side (two annotators)', () => {
    const rows = platformScoreRows(
      comparison([
        { name: 'correct', value: 1, source: 'langfuse:annotation', target: { traceId: 'lf-original' }, comment: 'ok' },
        {
          name: 'correct',
          value: 0,
          source: 'langfuse:annotation',
          target: { traceId: 'lf-original' },
          comment: 'wrong city',
        },
      ]),
    );
    assert.deepEqual(rows[0].original, { text: '1, 0', comment: 'ok\nwrong city' });
  });

  it('writes numbers short, booleans and categories as they are', () => {
    assert.deepEqual(
      [platformValueText(0.123456), platformValueText(3), platformValueText(true), platformValueText('good')],
      ['0.123', '3', 'true', 'good'],
    );
  });

  it('says in one line when the scores were read, that there are none yet, or why they could not be read', () => {
    const platform = 'Langfuse prod (cloud.langfuse.com)';
    assert.equal(
      platformStatusText({ platform, state: 'read', readAt: '2026-03-01T10:00:00.000Z' }, 2),
      'Read from Langfuse prod (cloud.langfuse.com) 2026-03-01 10:00 UTC.',
    );
    assert.match(
      platformStatusText({ platform, state: 'read', readAt: '2026-03-01T10:00:00.000Z' }, 0),
      /has no scores for these traces yet .*evaluators may still be running\.$/,
    );
    assert.equal(
      platformStatusText({ platform, state: 'reading' }, 0),
      'Reading the scores from Langfuse prod (cloud.langfuse.com)…',
    );
    const failed = platformStatusText(
      {
        platform,
        state: 'failed',
        error:
          'Langfuse rejected the keys for https://x: check the public and secret key (project settings -> API keys).',
      },
      0,
    );
    assert.equal(failed.split('\n').length, 1);
    assert.match(failed, /could not be read: Langfuse rejected the keys/);
  });
});
