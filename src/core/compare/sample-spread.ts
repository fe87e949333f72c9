// The spread of repeated samples (`--repeat N`): min / median / max of the replay side over the N
// A/B samples of one trace, per span metric and per score, put on the first sample's comparison so
// the renderers show one comparison with a "min–median–max" cell (and the panels a strip).
import type { Comparison, MetricUnit, ScoreComparison, SpanRow, SpanSpreadMetric } from './comparison-types';
import { formatValue, spanLabel } from './format-values';

export interface SampleSpread {
  min: number;
  median: number;
  max: number;
  /** Samples that had a value. */
  n: number;
}

export const SPAN_SPREAD_METRICS: readonly SpanSpreadMetric[] = ['llmDurationMs', 'outputTokens', 'costUsd'];

/** Which sample the tables beside a spread show: "sample 2" (compare of the second A/B sample), else
 *  "the first sample" (replay --repeat shows the first). */
export function shownSampleText(c: { sample?: { index: number; baseline: boolean } }): string {
  return c.sample && !c.sample.baseline ? `sample ${c.sample.index + 1}` : 'the first sample';
}

/** Undefined for no value. The median of an even count is the mean of the two middle values. */
export function spreadOf(values: readonly number[]): SampleSpread | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (!n) return undefined;
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[n - 1], n };
}

const scoreKey = (s: ScoreComparison): string => `${s.evaluatorId}\u0000${s.originalSpanId ?? ''}`;
const rowKey = (r: SpanRow): string | undefined => r.original?.spanId;

/** The first comparison of `samples` (the A/B samples of one trace, in order) with the spread of all
 *  of them on each span row (matched by original span) and each score (by evaluator and span). One
 *  sample gives it back unchanged. */
export function withSampleSpread(samples: readonly Comparison[]): Comparison {
  const first = samples[0];
  if (samples.length < 2) return first;
  const rowsOf = samples.map((c) => new Map(c.spans.flatMap((r) => (rowKey(r) ? [[rowKey(r)!, r] as const] : []))));
  const scoresOf = samples.map(
    (c) => new Map([...c.scores, ...c.spans.flatMap((r) => r.scores)].map((s) => [scoreKey(s), s] as const)),
  );
  const scoreSpread = (s: ScoreComparison): ScoreComparison => {
    const values = scoresOf.flatMap((m) => {
      const v = m.get(scoreKey(s))?.replay?.value;
      return v === null || v === undefined ? [] : [v];
    });
    const spread = spreadOf(values);
    return spread ? { ...s, spread } : s;
  };
  const spans = first.spans.map((row) => {
    const key = rowKey(row);
    const out: SpanRow = { ...row, scores: row.scores.map(scoreSpread) };
    if (!key || !row.llm) return out;
    const spread: SpanRow['spread'] = {};
    for (const metric of SPAN_SPREAD_METRICS) {
      const values = rowsOf.flatMap((m) => {
        const v = m.get(key)?.llm?.metrics[metric].replay;
        return v === null || v === undefined ? [] : [v];
      });
      const s = spreadOf(values);
      if (s) spread[metric] = s;
    }
    return Object.keys(spread).length ? { ...out, spread } : out;
  });
  return { ...first, spans, scores: first.scores.map(scoreSpread), samples: samples.length };
}

/** "0.410–0.520–0.700": one compact cell, values formatted by `format`. */
export function spreadText(spread: SampleSpread, format: (v: number) => string): string {
  return `${format(spread.min)}–${format(spread.median)}–${format(spread.max)}`;
}

/** The comparisons to show one per trace: a comparison without a sample as it is; for repeated
 *  samples, the trace's A/B samples as one (withSampleSpread); A/A samples are left out (they feed the
 *  noise floor of the aggregate). Order: first appearance. */
export function spreadComparisons(comparisons: readonly Comparison[]): Comparison[] {
  const groups = new Map<string, Comparison[]>();
  const out: (Comparison | string)[] = [];
  for (const c of comparisons) {
    if (!c.sample) {
      out.push(c);
      continue;
    }
    if (c.sample.baseline) continue;
    const g = groups.get(c.sample.group);
    if (g) g.push(c);
    else {
      groups.set(c.sample.group, [c]);
      out.push(c.sample.group);
    }
  }
  return out.map((x) => (typeof x === 'string' ? withSampleSpread(groups.get(x)!) : x));
}

const SPAN_SPREAD_LABELS: Record<SpanSpreadMetric, string> = {
  llmDurationMs: 'LLM time',
  outputTokens: 'output tokens',
  costUsd: 'cost',
};
const SPAN_SPREAD_UNITS: Record<SpanSpreadMetric, MetricUnit> = {
  llmDurationMs: 'ms',
  outputTokens: 'tokens',
  costUsd: 'usd',
};

export interface SpreadLine {
  /** "quality (final output)", "quality, chat #1", "chat #1 LLM time". */
  label: string;
  /** One compact "min–median–max" cell. */
  text: string;
  spread: SampleSpread;
  unit: MetricUnit;
}

/** Every spread of a comparison, trace scores first, then span by span its scores and metrics;
 *  empty without repeated samples. Labels are trace content: renderers escape them. */
export function spreadLines(c: Comparison): SpreadLine[] {
  const out: SpreadLine[] = [];
  const line = (label: string, spread: SampleSpread, unit: MetricUnit): void => {
    out.push({ label, spread, unit, text: spreadText(spread, (v) => formatValue(v, unit)) });
  };
  for (const s of c.scores) if (s.spread) line(`${s.evaluatorId} (final output)`, s.spread, 'score');
  for (const row of c.spans) {
    const name = spanLabel(row.original ?? row.replay!);
    for (const s of row.scores) if (s.spread) line(`${s.evaluatorId}, ${name}`, s.spread, 'score');
    for (const metric of SPAN_SPREAD_METRICS) {
      const spread = row.spread?.[metric];
      if (spread) line(`${name} ${SPAN_SPREAD_LABELS[metric]}`, spread, SPAN_SPREAD_UNITS[metric]);
    }
  }
  return out;
}
