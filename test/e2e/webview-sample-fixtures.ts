// Pages of repeated samples (issue 18) for webview-render.mjs: a comparison whose scores and LLM
// spans carry the spread of three samples, and a batch of two traces with A/B and A/A samples (a
// clear drop: the verdict strip is red). Built from the real comparisons of webview-fixtures.ts,
// with the replay side's values set per sample.
import path from 'node:path';
import { aggregateBatch } from '../../src/core/compare/aggregate-batch';
import type { Comparison } from '../../src/core/compare/comparison-types';
import { toBatchJson, toComparisonJson } from '../../src/core/compare/render-json';
import { withSampleSpread } from '../../src/core/compare/sample-spread';
import { writeHtmlReport } from '../../src/core/report/html-report';

/** `c` as sample `index` of trace `group` (the two fixture replays are of one recorded trace: each
 *  stands for a trace of its own here), every score's replay side at `value`, every
 *  LLM span's replayed output tokens scaled by `tokens`. */
function asSample(
  c: Comparison,
  group: string,
  index: number,
  baseline: boolean,
  value: number,
  tokens: number,
): Comparison {
  const setScore = (s: Comparison['scores'][number]) => (!s.replay ? s : { ...s, replay: { ...s.replay, value } });
  return {
    ...c,
    replayId: `${c.replayId}-${baseline ? 'aa' : 'ab'}${index}`,
    sample: { group, index, baseline },
    scores: c.scores.map(setScore),
    spans: c.spans.map((r) => {
      const out = r.llm?.metrics.outputTokens;
      return {
        ...r,
        scores: r.scores.map(setScore),
        ...(r.llm && out
          ? {
              llm: {
                ...r.llm,
                metrics: {
                  ...r.llm.metrics,
                  outputTokens: { ...out, replay: out.replay === null ? null : Math.round(out.replay * tokens) },
                },
              },
            }
          : {}),
      };
    }),
  };
}

export async function writeSamplePages(
  outDir: string,
  comparisons: readonly Comparison[],
): Promise<{ comparisonSamples: string; batchSamples: string }> {
  const [a, b] = comparisons;
  const ab = [0.35, 0.6, 0.45].map((v, i) => asSample(b, 'b', i, false, v, [1, 1.4, 0.8][i]));
  const comparisonSamples = await writeHtmlReport(
    path.join(outDir, 'comparison-samples.html'),
    toComparisonJson(withSampleSpread(ab)),
  );
  const sampled = [a, b].flatMap((c, t) => [
    ...[0.2, 0.25, 0.22].map((v, i) => asSample(c, `trace-${t}`, i, false, v + t * 0.02, 1)),
    ...[0.8, 0.85, 0.78].map((v, i) => asSample(c, `trace-${t}`, i, true, v - t * 0.02, 1)),
  ]);
  const batchSamples = await writeHtmlReport(
    path.join(outDir, 'batch-samples.html'),
    toBatchJson(aggregateBatch(sampled), 0.05),
    { title: 'Batch: 3 samples per trace with an A/A baseline' },
  );
  return { comparisonSamples, batchSamples };
}
