// The webview's data shaping: how directions, unknown values, statuses and diffs are shown.
import assert from 'node:assert/strict';
import type { MetricDelta } from '../../../src/core/compare/comparison-types';
import type { PairedStatJson, SpanJson } from '../../../src/core/compare/render-json';
import { formatCostChange } from '../../../src/extension/replay/replay-format';
import {
  changeView,
  diffLines,
  diffSegments,
  diffSummary,
  initialRowIndex,
  jobStatusView,
  kindIcon,
  metricCard,
  pairedStatView,
  rowSpanId,
  shortReason,
  spanStatusView,
  trendView,
  valueView,
} from '../../../webview/view-model';

const metric = (m: Partial<MetricDelta>): MetricDelta => ({
  original: 10,
  replay: 5,
  delta: -5,
  relativeDelta: -0.5,
  direction: 'better',
  lowerIsBetter: true,
  unit: 'usd',
  ...m,
});

describe('webview view model: trends', () => {
  it('the arrow follows the sign of the change, the colour class the direction', () => {
    const cheaper = trendView(metric({}));
    assert.deepEqual([cheaper.icon, cheaper.className, cheaper.label], ['arrow-down', 'trend-better', 'better']);
    assert.match(cheaper.text, /^-\$5\.00 \(-50\.0%\)$/);
    const slower = trendView(
      metric({ original: 100, replay: 150, delta: 50, relativeDelta: 0.5, direction: 'worse', unit: 'ms' }),
    );
    assert.deepEqual([slower.icon, slower.className], ['arrow-up', 'trend-worse']);
    const higherScore = trendView(
      metric({
        original: 0.5,
        replay: 0.9,
        delta: 0.4,
        relativeDelta: 0.8,
        direction: 'better',
        lowerIsBetter: false,
        unit: 'score',
      }),
    );
    assert.deepEqual([higherScore.icon, higherScore.className], ['arrow-up', 'trend-better']);
  });

  it('an unchanged value is a dash without a percentage', () => {
    const same = trendView(
      metric({ original: 5, replay: 5, delta: 0, relativeDelta: 0, direction: 'same', unit: 'tokens' }),
    );
    assert.deepEqual([same.icon, same.className, same.text], ['dash', 'trend-same', '0']);
  });

  it('an unknown side is "unknown" with the reasons in the tooltip, never 0', () => {
    const t = trendView(
      metric({
        replay: null,
        delta: null,
        relativeDelta: null,
        direction: 'unknown',
        replayReason: 'no price data for model "mystery"',
      }),
    );
    assert.deepEqual([t.icon, t.className, t.text], ['question', 'trend-unknown', 'unknown']);
    assert.equal(t.tooltip, 'replay: no price data for model "mystery"');
    const card = metricCard(
      'costUsd',
      metric({ replay: null, delta: null, relativeDelta: null, direction: 'unknown', replayReason: 'no price data' }),
    );
    assert.deepEqual(card.replay, { text: 'unknown', unknown: true, tooltip: 'no price data', why: 'no price data' });
    assert.equal(card.original.text, '$10.00');
    assert.equal(t.why, 'no price data for model "mystery"');
    assert.equal(card.label, 'Cost');
    assert.notEqual(card.trend.text, '0');
  });

  it('a value of 0 is shown as 0; null as unknown', () => {
    assert.deepEqual(valueView(0, 'usd'), { text: '$0', unknown: false });
    assert.equal(valueView(null, 'tokens').text, 'unknown');
  });

  it('batch rows: mean delta and CI, unknown when nothing paired', () => {
    const stat: PairedStatJson = {
      name: 'similarity',
      unit: 'score',
      lowerIsBetter: false,
      n: 3,
      unpaired: 0,
      meanOriginal: 0.8,
      meanReplay: 0.7,
      meanDelta: -0.1,
      ci: { low: -0.2, high: 0.05, level: 0.95 },
      wins: 1,
      losses: 2,
      ties: 0,
      direction: 'worse',
    };
    const v = pairedStatView(stat);
    assert.equal(v.mean, '-0.100');
    assert.equal(v.ci, '[-0.200, +0.050] @ 95%');
    assert.equal(v.trend.className, 'trend-worse');
    const none = pairedStatView({
      ...stat,
      n: 0,
      unpaired: 2,
      meanOriginal: null,
      meanReplay: null,
      meanDelta: null,
      ci: null,
      direction: 'unknown',
    });
    assert.deepEqual([none.mean, none.ci, none.trend.text], ['unknown', 'unknown', 'unknown']);
    assert.match(none.trend.tooltip!, /2 unpaired/);
  });
});

describe('webview view model: values and deltas agree, unknown says why', () => {
  it('"29 ms → 26 ms" goes with "-3 ms" on a card, never "-2.5 ms"', () => {
    const card = metricCard(
      'durationMs',
      metric({ original: 28.6, replay: 26.1, delta: -2.5, relativeDelta: -2.5 / 28.6, unit: 'ms' }),
    );
    assert.deepEqual([card.original.text, card.replay.text], ['29 ms', '26 ms']);
    assert.match(card.trend.text, /^-3 ms \(/);
  });

  it('a tiny cost change keeps the digits that show it on both values and the delta', () => {
    const v = changeView(
      metric({ original: 0.0000765, replay: 0.0000771, delta: 0.0000006, relativeDelta: 0.0078, direction: 'worse' }),
    );
    assert.deepEqual([v.original.text, v.replay.text], ['$0.0000765', '$0.0000771']);
    assert.match(v.trend.text, /^\+\$0\.0000006 /);
  });

  it('the replay toast writes a cost change exactly as the Cost card does', () => {
    const sides = [
      [0.0000765, 0.0000771],
      [0.0123, 0.0119],
      [0.5, 0.5],
      [1.2345, 0.98765],
    ] as const;
    for (const [original, replay] of sides) {
      const card = metricCard(
        'costUsd',
        metric({
          original,
          replay,
          delta: replay - original,
          relativeDelta: (replay - original) / original,
          direction: replay > original ? 'worse' : replay < original ? 'better' : 'same',
        }),
      );
      const toast = formatCostChange(original, replay);
      if (card.trend.label === 'same') assert.equal(toast, 'same cost');
      else assert.equal(`cost ${card.trend.text.replace(/ \(.*\)$/, '')} vs recorded`, toast);
    }
  });

  it('token counts that differ are painted as a change, not better or worse', () => {
    const t = trendView(
      metric({ original: 21, replay: 29, delta: 8, relativeDelta: 8 / 21, direction: 'changed', unit: 'tokens' }),
    );
    assert.deepEqual([t.className, t.label, t.icon], ['trend-changed', 'changed', 'arrow-up']);
  });

  it('unknown values carry a short inline reason besides the full tooltip', () => {
    const reason =
      'replay #2 gpt-4o-mini: no price data for model "mystery"; replay #3 gpt-4o-mini: no price data for model "mystery"';
    const card = metricCard(
      'costUsd',
      metric({ replay: null, delta: null, relativeDelta: null, direction: 'unknown', replayReason: reason }),
    );
    assert.equal(card.replay.why, 'no price data for model "mystery" (+1 more)');
    assert.equal(card.replay.tooltip, reason);
    assert.equal(card.trend.why, 'no price data for model "mystery" (+1 more)');
    assert.equal(shortReason('x'.repeat(200)).length, 64);
  });

  it('batch rows: means and delta in one precision; reference-based evaluators show the replay mean and its CI', () => {
    const stat: PairedStatJson = {
      name: 'similarity',
      unit: 'score',
      lowerIsBetter: false,
      n: 2,
      unpaired: 0,
      meanOriginal: 1,
      meanReplay: 0.65,
      meanDelta: -0.35,
      ci: { low: -0.35, high: -0.35, level: 0.95 },
      wins: 0,
      losses: 2,
      ties: 0,
      direction: 'worse',
      referenceBased: true,
      replayCi: { low: 0.6, high: 0.7, level: 0.95 },
    };
    const v = pairedStatView(stat);
    assert.deepEqual([v.referenceBased, v.replay.text, v.replayCi], [true, '0.650', '[0.600, 0.700] @ 95%']);
    const tokens = pairedStatView({
      ...stat,
      name: 'outputTokens',
      unit: 'tokens',
      referenceBased: undefined,
      replayCi: undefined,
      meanOriginal: 20,
      meanReplay: 25.5,
      meanDelta: 5.5,
      ci: { low: 2, high: 9, level: 0.95 },
      wins: 0,
      losses: 0,
      ties: 1,
      changed: 3,
      direction: 'changed',
    });
    assert.deepEqual(
      [tokens.original.text, tokens.replay.text, tokens.mean, tokens.counts],
      ['20.0', '25.5', '+5.5', '3 changed, 1 same'],
    );
  });
});

describe('webview view model: statuses and icons', () => {
  it('marks replayed, reused, failed, cached, missing and extra spans apart', () => {
    const views = ['replayed', 'reused', 'failed', 'cancelled', 'missing', 'extra'].map((status) =>
      spanStatusView({ status }),
    );
    assert.equal(new Set(views.map((v) => v.icon)).size, 6);
    assert.equal(spanStatusView({ status: 'replayed', cached: true }).label, 'replayed (cached)');
    assert.equal(jobStatusView('RUNNING').icon, 'loading');
    assert.equal(jobStatusView('WEIRD').label, 'weird');
    assert.equal(kindIcon('llm'), 'sparkle');
    assert.equal(kindIcon('nonsense'), 'symbol-misc');
  });
});

describe('webview view model: diffs', () => {
  it('merges adjacent chunks of the same op and drops empty ones', () => {
    const segs = diffSegments({
      chunks: [
        { op: 'equal', text: 'It is ' },
        { op: 'equal', text: '' },
        { op: 'delete', text: 'sunny' },
        { op: 'delete', text: ' today' },
        { op: 'insert', text: 'rainy' },
      ],
    });
    assert.deepEqual(segs, [
      { op: 'equal', text: 'It is ' },
      { op: 'delete', text: 'sunny today' },
      { op: 'insert', text: 'rainy' },
    ]);
  });

  it('shows a JSON diff as marked lines', () => {
    const lines = diffLines({
      chunks: [
        { op: 'equal', text: '{\n  "city": "Paris",\n' },
        { op: 'insert', text: '  "unit": "c"\n' },
        { op: 'equal', text: '}' },
      ],
    });
    assert.deepEqual(
      lines.map((l) => `${l.mark}${l.text}`),
      [' {', '   "city": "Paris",', '+  "unit": "c"', ' }'],
    );
  });

  it('summarizes a diff for screen readers', () => {
    assert.equal(
      diffSummary({
        format: 'words',
        changed: true,
        chunks: [
          { op: 'delete', text: 'sunny day' },
          { op: 'insert', text: 'rain' },
        ],
      }),
      '1 word inserted, 2 words deleted',
    );
    assert.equal(diffSummary({ format: 'json', changed: false, chunks: [{ op: 'equal', text: '{}' }] }), 'no change');
  });

  it('opens on the first changed LLM span, else the first LLM span, else the first row', () => {
    const row = (llm?: { changed: boolean }): SpanJson => ({
      status: 'reused',
      depth: 0,
      original: null,
      replay: null,
      warnings: [],
      scores: [],
      llm: llm
        ? ({ input: { changed: false }, output: { changed: llm.changed } } as unknown as SpanJson['llm'])
        : undefined,
    });
    assert.equal(initialRowIndex([row(), row({ changed: false }), row({ changed: true })]), 2);
    assert.equal(initialRowIndex([row(), row({ changed: false })]), 1);
    assert.equal(initialRowIndex([row(), row()]), 0);
    assert.equal(rowSpanId({ original: null, replay: { spanId: 'r1' } as SpanJson['replay'] }), 'r1');
  });
});
