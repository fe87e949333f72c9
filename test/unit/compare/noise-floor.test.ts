// Repeated samples (issue 18): the two-level bootstrap, the A/A noise floor and the verdicts on
// known synthetic score distributions (seeded noise), the gate that uses them, and the spread of
// the samples on a comparison.
import { strict as assert } from 'node:assert';
import { aggregateBatch, isRegression, regressions, undecided } from '../../../src/core/compare/aggregate-batch';
import { bootstrapGroupedMeanCi, bootstrapMeanCi, seededRandom } from '../../../src/core/compare/bootstrap';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Comparison } from '../../../src/core/compare/comparison-types';
import { noiseFloor, verdictOf } from '../../../src/core/compare/noise-floor';
import { toBatchJson } from '../../../src/core/compare/render-json';
import { renderJunit } from '../../../src/core/compare/render-junit';
import { renderBatchMarkdown, renderComparisonMarkdown } from '../../../src/core/compare/render-markdown';
import { renderBatchText, renderComparisonText } from '../../../src/core/compare/render-text';
import { spreadComparisons, spreadOf, withSampleSpread } from '../../../src/core/compare/sample-spread';
import type { ReplaySample } from '../../../src/core/replay/replay-samples';
import { llmSpans, loadFixture, makeReplay, replayIdOf, score } from './compare-test-helpers';

const original = loadFixture('traceloop-openai-agent');
const [, second] = llmSpans(original);

/** A real comparison (fixture trace and a replay of it) with the trace-level score `quality`
 *  original -> replay, a `similarity` score scored against the original, and a sample identity. */
function comparison(id: string, quality: [number, number], sample?: ReplaySample, similarity = 1): Comparison {
  const { replay, job } = makeReplay(original, { jobId: id });
  if (sample) job.sample = sample;
  return buildComparison({
    original,
    replay,
    job,
    evaluation: {
      evaluatedAt: 'x',
      original: [score('quality', original.id, quality[0]), score('similarity', original.id, 1)],
      replay: [
        score('quality', replay.id, quality[1]),
        score('similarity', replay.id, similarity, undefined),
        score('json', replay.id, 1, replayIdOf(second.id)),
      ],
    },
  });
}

/** `traces` traces, each with N A/B and M A/A samples: original 0.5, an answer scores 0.5 + shift +
 *  noise (uniform in +-spread, seeded), the A/A ones without the shift. */
function sampled(opts: { traces: number; n: number; m: number; shift: number; spread: number; seed: number }) {
  const random = seededRandom(opts.seed);
  const noisy = (shift: number): number => Math.min(1, Math.max(0, 0.5 + shift + (random() * 2 - 1) * opts.spread));
  const out: Comparison[] = [];
  for (let t = 0; t < opts.traces; t++) {
    const group = `trace-${t}`;
    for (let i = 0; i < opts.n; i++)
      out.push(comparison(`${group}-ab-${i}`, [0.5, noisy(opts.shift)], { group, index: i, baseline: false }));
    for (let j = 0; j < opts.m; j++)
      out.push(comparison(`${group}-aa-${j}`, [0.5, noisy(0)], { group, index: j, baseline: true }));
  }
  return out;
}

describe('repeated samples: bootstrap over traces and samples', () => {
  it('groups of one value give exactly the plain bootstrap (a batch without --repeat is unchanged)', () => {
    const values = [0.1, -0.2, 0.3, 0.05, -0.1];
    assert.deepEqual(
      bootstrapGroupedMeanCi(
        values.map((v) => [v]),
        { seed: 9 },
      ),
      bootstrapMeanCi(values, { seed: 9 }),
    );
  });

  it('is seeded: the same groups and seed give the same interval, another seed another one', () => {
    const groups = [
      [0.1, 0.3, -0.1],
      [0.2, 0.25],
      [-0.3, 0.1, 0, 0.4],
    ];
    assert.deepEqual(bootstrapGroupedMeanCi(groups, { seed: 5 }), bootstrapGroupedMeanCi(groups, { seed: 5 }));
    assert.notDeepEqual(bootstrapGroupedMeanCi(groups, { seed: 5 }), bootstrapGroupedMeanCi(groups, { seed: 6 }));
  });

  it('noise floor: centre, its bootstrap interval as the band, the run spread, and null without A/A samples', () => {
    const groups = [
      [0.1, -0.1],
      [0.3, 0.1],
    ];
    const floor = noiseFloor(groups, { seed: 4 })!;
    assert.equal(floor.center, 0.1);
    assert.deepEqual(
      { low: floor.low, high: floor.high, level: floor.level },
      bootstrapGroupedMeanCi(groups, { seed: 4 }),
    );
    assert.ok(floor.low < 0.1 && floor.high > 0.1);
    assert.equal(floor.runSpread.toFixed(6), '0.100000');
    assert.deepEqual([floor.traces, floor.samples], [2, 4]);
    assert.equal(noiseFloor([[], []]), null);
  });

  it('verdict rule: beyond the band and the CI off the centre; inside the band: same; else not enough evidence', () => {
    const noise = { center: 0, low: -0.1, high: 0.1, level: 0.95, runSpread: 0.2, traces: 4, samples: 8 };
    const ci = (low: number, high: number) => ({ low, high, level: 0.95 });
    assert.equal(verdictOf('score', -0.3, ci(-0.35, -0.25), noise), 'worse');
    assert.equal(verdictOf('score', 0.3, ci(0.25, 0.35), noise), 'better');
    assert.equal(verdictOf('score', -0.02, ci(-0.05, 0.01), noise), 'same');
    assert.equal(verdictOf('score', -0.08, ci(-0.12, -0.04), noise), 'not-enough-evidence', 'mean inside the band');
    assert.equal(verdictOf('score', -0.12, ci(-0.2, 0.02), noise), 'not-enough-evidence', 'CI reaches the centre');
    assert.equal(verdictOf('usd', 0.3, ci(0.25, 0.35), noise), 'worse', 'a cost increase is worse');
    assert.equal(verdictOf('tokens', 0.3, ci(0.25, 0.35), noise), 'changed');
    // Without A/A samples: the CI alone, as before.
    assert.equal(verdictOf('score', -0.08, ci(-0.12, -0.04), null), 'worse');
    assert.equal(verdictOf('score', -0.08, ci(-0.12, 0.04), null), 'not-enough-evidence');
    assert.equal(verdictOf('score', 0, ci(0, 0), null), 'same');
  });
});

describe('repeated samples: verdicts on synthetic score distributions', () => {
  it('a delta inside the A/A noise is not enough evidence, and the gate does not fail on it', () => {
    // 12 traces x 3 samples, uniform noise +-0.3; the override shifts the score by -0.04: small next
    // to the model's disagreement with itself.
    const comparisons = sampled({ traces: 12, n: 3, m: 3, shift: -0.04, spread: 0.3, seed: 11 });
    const agg = aggregateBatch(comparisons, { seed: 1 });
    const q = agg.evaluators.find((e) => e.name === 'quality')!;
    assert.equal(q.n, 12, 'n counts traces');
    assert.equal(q.samples, 36);
    assert.equal(q.noise!.traces, 12);
    assert.equal(q.noise!.samples, 36);
    assert.ok(q.meanDelta! < 0, `the sample mean moved down (${q.meanDelta})`);
    assert.ok(q.meanDelta! > q.noise!.low, 'inside the band');
    assert.equal(q.verdict, 'not-enough-evidence');
    assert.deepEqual(regressions(agg, 0), []);
    assert.ok(undecided(agg).some((e) => e.name === 'quality'));
    assert.deepEqual(agg.samples, { repeat: 3, baselineRepeat: 3, traces: 12 });
    assert.equal(agg.count, 72);
    // Tool drift counts traces (a trace drifted when one of its A/B samples did), calls of every A/B sample.
    const single = aggregateBatch(comparisons.slice(0, 1)).toolDrift;
    assert.ok(single.withToolCalls === 1 && single.counts.matched > 0, JSON.stringify(single));
    assert.equal(agg.toolDrift.withToolCalls, single.withToolCalls * 12);
    assert.equal(agg.toolDrift.counts.matched, single.counts.matched * 36);
  });

  it('a clear drop is worse and fails the gate; the verdict is the same for the same seed', () => {
    const comparisons = sampled({ traces: 12, n: 3, m: 3, shift: -0.35, spread: 0.1, seed: 11 });
    const agg = aggregateBatch(comparisons, { seed: 1 });
    const q = agg.evaluators.find((e) => e.name === 'quality')!;
    assert.equal(q.verdict, 'worse');
    assert.ok(q.ci!.high < q.noise!.center && q.meanDelta! < q.noise!.low);
    assert.ok(isRegression(q, 0.1));
    assert.deepEqual(
      regressions(agg, 0.1).map((r) => r.evaluatorId),
      ['quality'],
    );
    assert.deepEqual(regressions(agg, 0.5), [], 'a drop smaller than the threshold does not fail');
    // Reproducible: same comparisons, same seed -> the same numbers.
    const again = aggregateBatch(sampled({ traces: 12, n: 3, m: 3, shift: -0.35, spread: 0.1, seed: 11 }), { seed: 1 });
    assert.deepEqual(toBatchJson(again, 0.1), toBatchJson(agg, 0.1));
  });

  it('A/B samples that land exactly where the A/A ones do are same', () => {
    const values = [0.3, 0.6, 0.45, 0.55, 0.7, 0.4, 0.5, 0.35];
    const out = values.flatMap((v, t) =>
      [false, true].flatMap((baseline) =>
        [v, 1 - v].map((x, i) =>
          comparison(`t${t}-${baseline}-${i}`, [0.5, x], { group: `t${t}`, index: i, baseline }),
        ),
      ),
    );
    assert.equal(aggregateBatch(out, { seed: 2 }).evaluators.find((e) => e.name === 'quality')!.verdict, 'same');
  });

  it('a reference-based score is judged against the A/A centre, not against the original itself', () => {
    // The recorded model agrees with its own recording at ~0.80 today; the replay at ~0.79: no worse.
    const random = seededRandom(3);
    const out: Comparison[] = [];
    for (let t = 0; t < 8; t++)
      for (const baseline of [false, true])
        for (let i = 0; i < 2; i++)
          out.push(
            comparison(
              `t${t}-${baseline}-${i}`,
              [0.5, 0.5],
              { group: `t${t}`, index: i, baseline },
              (baseline ? 0.8 : 0.79) + (random() - 0.5) * 0.2,
            ),
          );
    const s = aggregateBatch(out).evaluators.find((e) => e.name === 'similarity')!;
    assert.ok(s.referenceBased);
    assert.ok(s.ci!.high < 0, 'every replay differs from the original');
    assert.notEqual(s.verdict, 'worse');
  });

  it('without samples the aggregate is unchanged and the verdict comes from the CI alone', () => {
    const plain = [0, 1, 2, 3].map((i) => comparison(`p${i}`, [0.5, 0.2]));
    const agg = aggregateBatch(plain);
    const q = agg.evaluators.find((e) => e.name === 'quality')!;
    assert.equal(agg.samples, undefined);
    assert.equal(q.noise, undefined);
    assert.equal(q.samples, undefined);
    assert.equal(q.verdict, 'worse');
    assert.doesNotMatch(renderBatchText(agg), /A\/A|Verdict/);
  });

  it('text, markdown and JSON show the samples, the A/A band and the verdict', () => {
    const agg = aggregateBatch(sampled({ traces: 6, n: 2, m: 2, shift: -0.35, spread: 0.1, seed: 8 }));
    const text = renderBatchText(agg, { threshold: 0.1 });
    assert.match(text, /^Batch of 24 replays \(6 traces x 2 samples, \+ 2 A\/A samples each \(no overrides\)\)/m);
    assert.match(text, /A\/A noise +Verdict/);
    assert.match(text, /^quality .*\[[-+]\d\.\d+, [-+]\d\.\d+\] +REGRESSION \(worse\)$/m);
    const md = renderBatchMarkdown(agg, { threshold: 0.1 });
    assert.match(md, /\| A\/A noise band \| Verdict \|/);
    assert.match(md, /\*\*regression\*\* \(worse\)/);
    assert.match(md, /Regression gate: verdict worse/);
    const json = toBatchJson(agg, 0.1);
    const q = json.evaluators.find((e) => e.name === 'quality')!;
    assert.equal(q.verdict, 'worse');
    assert.deepEqual(Object.keys(q.noise!).sort(), [
      'center',
      'high',
      'level',
      'low',
      'runSpread',
      'samples',
      'traces',
    ]);
    assert.deepEqual(json.samples, { repeat: 2, baselineRepeat: 2, traces: 6 });
  });
});

describe('repeated samples: spread on the comparison', () => {
  it('min / median / max of the replay side per score and per LLM span, on the first sample', () => {
    assert.deepEqual(spreadOf([0.3, 0.9, 0.5, 0.1]), { min: 0.1, median: 0.4, max: 0.9, n: 4 });
    assert.equal(spreadOf([]), undefined);
    const samples = [0.2, 0.8, 0.5].map((v, i) =>
      comparison(`s${i}`, [0.5, v], { group: 'g', index: i, baseline: false }),
    );
    const c = withSampleSpread(samples);
    assert.equal(c.replayId, 's0');
    assert.equal(c.samples, 3);
    assert.deepEqual(c.scores.find((s) => s.evaluatorId === 'quality')!.spread, {
      min: 0.2,
      median: 0.5,
      max: 0.8,
      n: 3,
    });
    const row = c.spans.find((r) => r.original?.spanId === second.id)!;
    assert.equal(row.spread?.outputTokens?.n, 3);
    assert.deepEqual(
      row.scores.find((s) => s.evaluatorId === 'json')!.spread,
      { min: 1, median: 1, max: 1, n: 3 },
      'span scores too',
    );
    // Text and markdown: one compact min–median–max cell per score and span metric.
    const text = renderComparisonText(c);
    assert.match(text, /^Spread over 3 samples /m);
    assert.match(text, /^ +quality \(final output\) +0\.200–0\.500–0\.800$/m);
    assert.match(text, /output tokens +\d+–\d+–\d+$/m);
    const md = renderComparisonMarkdown(c);
    assert.match(md, /### Spread over 3 samples/);
    assert.match(md, /\| quality \(final output\) \| 0\.200–0\.500–0\.800 \|/);
    assert.doesNotMatch(renderComparisonText(samples[1]), /Spread over/, 'a single sample has no spread');
    // One per trace: A/A samples left out, a comparison without a sample kept as it is.
    const aa = comparison('aa', [0.5, 0.5], { group: 'g', index: 0, baseline: true });
    const plain = comparison('plain', [0.5, 0.5]);
    assert.deepEqual(
      spreadComparisons([plain, ...samples, aa]).map((x) => [x.replayId, x.samples]),
      [
        ['plain', undefined],
        ['s0', 3],
      ],
    );
  });
});

describe('repeated samples in JUnit (batch --junit)', () => {
  const attr = (xml: string, name: string): string | undefined =>
    new RegExp(`<property name="${name.replace(/\./g, '\\.')}" value="([^"]*)"/>`).exec(xml)?.[1];

  it('a worse verdict fails its testcase with the A/A noise in the message; an undecided one passes and says so', () => {
    const worse = aggregateBatch(sampled({ traces: 12, n: 3, m: 3, shift: -0.35, spread: 0.1, seed: 11 }), {
      seed: 1,
    });
    const xml = renderJunit(worse, { threshold: 0.1 });
    const quality = /<testcase [^>]*name="quality"[^>]*>([\s\S]*?)<\/testcase>/.exec(xml)![1];
    assert.match(
      quality,
      /<failure message="quality regressed: worse than the A\/A noise \[[-+]\d\.\d+, [-+]\d\.\d+\] allows, by -0\.\d+ from the A\/A centre \(&lt; -0\.1\)" type="regression">/,
    );
    assert.match(quality, /A\/A noise \[[^\]]+\] \(36 samples\), verdict worse<\/system-out>/);
    assert.equal(attr(xml, 'samples.repeat'), '3');
    assert.equal(attr(xml, 'samples.baselineRepeat'), '3');

    const inside = aggregateBatch(sampled({ traces: 12, n: 3, m: 3, shift: -0.04, spread: 0.3, seed: 11 }), {
      seed: 1,
    });
    const quiet = renderJunit(inside, { threshold: 0 });
    assert.match(quiet, /failures="0"/);
    assert.match(quiet, /verdict not enough evidence<\/system-out>/);
  });

  it('the suite carries the tool-call drift: counts as properties, the sentence in its system-out', () => {
    const agg = aggregateBatch(sampled({ traces: 2, n: 2, m: 1, shift: 0, spread: 0.1, seed: 3 }), { seed: 1 });
    const xml = renderJunit(agg);
    assert.equal(attr(xml, 'toolDrift.tracesWithToolCalls'), String(agg.toolDrift.withToolCalls));
    assert.equal(attr(xml, 'toolDrift.drifted'), String(agg.toolDrift.drifted));
    assert.equal(attr(xml, 'toolDrift.calls.matched'), String(agg.toolDrift.counts.matched));
    assert.ok(agg.toolDrift.withToolCalls > 0);
    assert.match(
      xml,
      /\n {4}<system-out>tool calls drifted in \d+ of 2 traces with tool calls \(\d+%\); calls: \d+ matched/,
    );
  });
});
