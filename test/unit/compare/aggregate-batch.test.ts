// Bootstrap CIs on known data, and the batch aggregate / regression gate over comparisons built
// from real fixture traces.
import { strict as assert } from 'node:assert';
import { aggregateBatch, InvalidThresholdError, regressions } from '../../../src/core/compare/aggregate-batch';
import { bootstrapMeanCi, seededRandom } from '../../../src/core/compare/bootstrap';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Comparison } from '../../../src/core/compare/comparison-types';
import type { Score } from '../../../src/core/eval/evaluation-types';
import { llmSpans, loadFixture, makeReplay, replayIdOf, score } from './compare-test-helpers';

describe('bootstrapMeanCi', () => {
  it('collapses to the value for constant deltas', () => {
    assert.deepEqual(bootstrapMeanCi([0.25, 0.25, 0.25, 0.25]), { low: 0.25, high: 0.25, level: 0.95 });
  });

  it('includes 0 for deltas symmetric around 0', () => {
    const ci = bootstrapMeanCi([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, -0.25, 0.25, 0.05, -0.05])!;
    assert.ok(ci.low < 0 && ci.high > 0, JSON.stringify(ci));
  });

  it('excludes 0 for a clear shift and brackets the sample mean', () => {
    const values = [-0.5, -0.4, -0.45, -0.55, -0.3, -0.6, -0.35, -0.5];
    const m = values.reduce((a, b) => a + b) / values.length;
    const ci = bootstrapMeanCi(values)!;
    assert.ok(ci.high < 0);
    assert.ok(ci.low <= m && m <= ci.high);
  });

  it('is reproducible with a seed, and the seed matters', () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 0.3);
    assert.deepEqual(bootstrapMeanCi(values, { seed: 7 }), bootstrapMeanCi(values, { seed: 7 }));
    assert.notDeepEqual(bootstrapMeanCi(values, { seed: 7 }), bootstrapMeanCi(values, { seed: 8 }));
  });

  it('is close to the normal approximation on a larger sample', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 400 }, () => random());
    const m = values.reduce((a, b) => a + b) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
    const half = (1.96 * sd) / Math.sqrt(values.length);
    const ci = bootstrapMeanCi(values, { resamples: 4000 })!;
    assert.ok(Math.abs(ci.low - (m - half)) < half * 0.15, `${ci.low} vs ${m - half}`);
    assert.ok(Math.abs(ci.high - (m + half)) < half * 0.15, `${ci.high} vs ${m + half}`);
  });

  it('gives null for no data', () => {
    assert.equal(bootstrapMeanCi([]), null);
  });
});

describe('aggregateBatch', () => {
  const original = loadFixture('traceloop-openai-agent');
  const [, second] = llmSpans(original);

  /** One comparison per entry: similarity (trace), json (span) and noise (trace) scores. */
  function batch(
    entries: { similarity: [number, number]; json?: [number, number]; noise: [number, number]; cost: number | null }[],
  ): Comparison[] {
    return entries.map((e, i) => {
      const { replay, job } = makeReplay(original, { jobId: `job-${i}`, edits: { [second.id]: { costUsd: e.cost } } });
      const originalScores: Score[] = [
        score('similarity', original.id, e.similarity[0]),
        score('noise', original.id, e.noise[0]),
      ];
      const replayScores: Score[] = [
        score('similarity', replay.id, e.similarity[1]),
        score('noise', replay.id, e.noise[1]),
      ];
      if (e.json) {
        originalScores.push(score('json', original.id, e.json[0], second.id));
        replayScores.push(score('json', replay.id, e.json[1], replayIdOf(second.id)));
      }
      return buildComparison({
        original,
        replay,
        job,
        evaluation: { evaluatedAt: 'x', original: originalScores, replay: replayScores },
      });
    });
  }

  const noise: [number, number][] = [
    [0.5, 0.6],
    [0.5, 0.4],
    [0.5, 0.55],
    [0.5, 0.45],
    [0.5, 0.7],
    [0.5, 0.3],
    [0.5, 0.5],
    [0.5, 0.5],
  ];
  const comparisons = batch(
    noise.map((n, i) => ({
      similarity: [1, 0.8] as [number, number],
      json: [0, i % 2 ? 1 : 0] as [number, number],
      noise: n,
      cost: i === 0 ? null : 0.0003,
    })),
  );
  const agg = aggregateBatch(comparisons, { seed: 3 });

  it('pairs deltas per evaluator with mean, CI and win / loss / tie counts', () => {
    assert.deepEqual(
      agg.evaluators.map((e) => e.name),
      ['json', 'noise', 'similarity'],
    );
    const sim = agg.evaluators.find((e) => e.name === 'similarity')!;
    assert.equal(sim.n, 8);
    assert.ok(Math.abs(sim.meanDelta! + 0.2) < 1e-12);
    assert.ok(Math.abs(sim.ci!.low + 0.2) < 1e-12 && Math.abs(sim.ci!.high + 0.2) < 1e-12);
    assert.deepEqual([sim.wins, sim.losses, sim.ties, sim.direction], [0, 8, 0, 'worse']);
    const n = agg.evaluators.find((e) => e.name === 'noise')!;
    assert.deepEqual([n.wins, n.losses, n.ties], [3, 3, 2]);
    assert.ok(n.ci!.low < 0 && n.ci!.high > 0);
  });

  it('uses the mean of span scores for an evaluator with no trace-level score', () => {
    const json = agg.evaluators.find((e) => e.name === 'json')!;
    assert.equal(json.n, 8);
    assert.equal(json.meanDelta, 0.5);
    assert.deepEqual([json.wins, json.losses, json.ties], [4, 0, 4]);
  });

  it('aggregates metrics and leaves unknown sides out as unpaired', () => {
    assert.equal(agg.metrics.costUsd.n, 7);
    assert.equal(agg.metrics.costUsd.unpaired, 1);
    assert.ok(Math.abs(agg.metrics.costUsd.meanDelta! - 0.0002) < 1e-12);
    assert.equal(agg.metrics.costUsd.direction, 'worse');
    assert.equal(agg.metrics.totalTokens.direction, 'same');
    assert.equal(agg.count, 8);
    assert.equal(agg.spanCounts.replayed, 16);
  });

  it('counts errored scores as unpaired', () => {
    const [c] = batch([{ similarity: [1, 0.5], noise: [0.5, 0.5], cost: 0.0001 }]);
    c.scores[1].replay = { value: null, error: 'boom' };
    const a = aggregateBatch([c]);
    const sim = a.evaluators.find((e) => e.name === 'similarity')!;
    assert.deepEqual([sim.n, sim.unpaired, sim.meanDelta, sim.ci], [0, 1, null, null]);
  });

  it('is reproducible for a seed', () => {
    assert.deepEqual(aggregateBatch(comparisons, { seed: 3 }), agg);
  });

  it('regressions: mean delta below -threshold with the CI excluding 0', () => {
    assert.deepEqual(
      regressions(agg, 0.1).map((r) => r.evaluatorId),
      ['similarity'],
    );
    assert.deepEqual(regressions(agg, 0.2), [], 'a mean delta of exactly -threshold does not regress');
    // Noise (mean delta 0, CI around it) never regresses, even at threshold 0.
    assert.deepEqual(
      regressions(agg, 0).map((r) => r.evaluatorId),
      ['similarity'],
    );
    const [r] = regressions(agg, 0.1);
    assert.equal(r.n, 8);
    assert.ok(r.ci.high < 0);
    assert.throws(() => regressions(agg, -1), InvalidThresholdError);
  });
});
