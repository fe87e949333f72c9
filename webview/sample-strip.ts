// Small inline SVG strips for repeated samples (issue 18): the spread of N samples (a min..max bar
// with a median tick) beside a score or span metric of a comparison, and a batch verdict strip (the
// A/A noise band in grey, the A/B interval over it, the mean as a tick, zero as a dashed line). They
// draw with theme colours (CSS classes in media/webview.css), carry their numbers as a tooltip and
// an aria-label, and never replace the numbers in the table.
import { formatValue, spanLabel, type FormattedChange } from '../src/core/compare/format-values';
import type { MetricUnit } from '../src/core/compare/comparison-types';
import type { ComparisonJson, PairedStatJson } from '../src/core/compare/render-json';
import { shownSampleText, type SampleSpread } from '../src/core/compare/sample-spread';
import { VERDICT_LABELS } from '../src/core/compare/noise-floor';
import { noiseText } from '../src/core/compare/stat-texts';
import { el, section, type Child } from './dom';
import { renderTable } from './table';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 96;
const HEIGHT = 12;
const PAD = 3;

function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** x of `v` on a domain [lo, hi] mapped into the strip (a zero-width domain: the middle). */
function scale(lo: number, hi: number): (v: number) => number {
  const span = hi - lo;
  return (v) => (span > 0 ? PAD + ((v - lo) / span) * (WIDTH - 2 * PAD) : WIDTH / 2);
}

function svg(className: string, label: string, ...children: SVGElement[]): SVGElement {
  const root = svgEl('svg', {
    class: `sample-strip ${className}`,
    width: WIDTH,
    height: HEIGHT,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': label,
  });
  const title = svgEl('title', {});
  title.textContent = label;
  root.appendChild(title);
  for (const c of children) root.appendChild(c);
  return root;
}

/** "min 0.310 · median 0.520 · max 0.700 over 5 samples". */
export function spreadLabel(spread: SampleSpread, unit: MetricUnit): string {
  const f = (v: number): string => formatValue(v, unit);
  return `min ${f(spread.min)} · median ${f(spread.median)} · max ${f(spread.max)} over ${spread.n} samples`;
}

/** The min..max bar with a median tick; `domain` (default: the spread itself, 0..1 for a score). */
export function spreadStrip(spread: SampleSpread, unit: MetricUnit, domain?: [number, number]): HTMLElement {
  const [lo, hi] = domain ?? (unit === 'score' ? [0, 1] : [spread.min, spread.max]);
  const x = scale(lo, hi);
  const label = spreadLabel(spread, unit);
  return el(
    'span',
    {
      className: 'sample-spread',
      attrs: { 'data-min': spread.min, 'data-median': spread.median, 'data-max': spread.max },
    },
    svg(
      'spread-strip',
      label,
      svgEl('line', { class: 'strip-axis', x1: PAD, x2: WIDTH - PAD, y1: HEIGHT / 2, y2: HEIGHT / 2 }),
      svgEl('rect', {
        class: 'strip-range',
        x: x(spread.min),
        y: 3,
        width: Math.max(1.5, x(spread.max) - x(spread.min)),
        height: HEIGHT - 6,
        rx: 1,
      }),
      svgEl('line', { class: 'strip-median', x1: x(spread.median), x2: x(spread.median), y1: 1, y2: HEIGHT - 1 }),
    ),
    ' ',
    el(
      'span',
      { className: 'spread-text muted' },
      `${formatValue(spread.min, unit)}–${formatValue(spread.median, unit)}–${formatValue(spread.max, unit)}`,
    ),
  );
}

/** A batch stat with A/A samples: the noise band, the A/B interval and mean, zero; then the verdict
 *  in words. `f` formats deltas in the row's precision. */
export function verdictStrip(s: PairedStatJson, f: Pick<FormattedChange, 'signed'>): HTMLElement {
  // The band in words under the strip, as the CLI's "A/A noise" column shows it: the verdict can be
  // read without hovering (a reference-based score shows the A/A level on its own scale).
  const band = s.noise
    ? el(
        'span',
        { className: 'verdict-noise muted' },
        `A/A noise ${noiseText({ ...s, unit: s.unit as MetricUnit }, s.referenceBased === true)}`,
      )
    : null;
  const verdict = s.verdict ?? 'not-enough-evidence';
  const words = el('span', { className: `verdict-word verdict-${verdict}` }, VERDICT_LABELS[verdict]);
  const noise = s.noise;
  if (!noise || !s.ci || s.meanDelta === null) return el('span', { className: 'verdict-cell' }, words, band);
  const lo = Math.min(0, noise.low, s.ci.low);
  const hi = Math.max(0, noise.high, s.ci.high);
  const pad = (hi - lo) * 0.05 || 1e-9;
  const x = scale(lo - pad, hi + pad);
  const label =
    `A/B ${f.signed(s.meanDelta)} [${f.signed(s.ci.low)}, ${f.signed(s.ci.high)}]; ` +
    `A/A noise band [${f.signed(noise.low)}, ${f.signed(noise.high)}] (${noise.samples} samples); ${VERDICT_LABELS[verdict]}`;
  return el(
    'span',
    { className: 'verdict-cell', attrs: { 'data-verdict': verdict } },
    svg(
      'verdict-strip',
      label,
      svgEl('rect', {
        class: 'strip-noise',
        x: x(noise.low),
        y: 1,
        width: Math.max(1, x(noise.high) - x(noise.low)),
        height: HEIGHT - 2,
      }),
      svgEl('line', { class: 'strip-zero', x1: x(0), x2: x(0), y1: 0, y2: HEIGHT }),
      svgEl('rect', {
        class: `strip-ci strip-${verdict}`,
        x: x(s.ci.low),
        y: 4,
        width: Math.max(1.5, x(s.ci.high) - x(s.ci.low)),
        height: HEIGHT - 8,
      }),
      svgEl('line', { class: 'strip-median', x1: x(s.meanDelta), x2: x(s.meanDelta), y1: 2, y2: HEIGHT - 2 }),
    ),
    ' ',
    words,
    band,
  );
}

const SPAN_METRICS: { key: 'llmDurationMs' | 'outputTokens' | 'costUsd'; label: string; unit: MetricUnit }[] = [
  { key: 'llmDurationMs', label: 'LLM time', unit: 'ms' },
  { key: 'outputTokens', label: 'Output tokens', unit: 'tokens' },
  { key: 'costUsd', label: 'Cost', unit: 'usd' },
];

/** A comparison of repeated samples: per LLM span, the spread of its time, output tokens and cost
 *  over the samples (the scores carry theirs in the score tables). Null without samples. */
export function renderSampleSpread(c: ComparisonJson): HTMLElement | null {
  const rows: Child[][] = [];
  for (const r of c.spans) {
    if (!r.spread) continue;
    const ref = r.original ?? r.replay;
    const cells: Child[] = [ref ? spanLabel(ref) : 'span'];
    for (const m of SPAN_METRICS) {
      const s = r.spread[m.key];
      cells.push(s ? spreadStrip(s, m.unit) : el('span', { className: 'muted' }, '—'));
    }
    rows.push(cells);
  }
  if (!rows.length) return null;
  return section(
    `Spread over ${c.samples ?? 'the'} samples`,
    'sample-spread',
    el(
      'p',
      { className: 'muted' },
      `The replay side of each sample: the bar runs from the lowest to the highest value, the tick is the median. The rest of the page shows ${shownSampleText(c)}.`,
    ),
    renderTable(['LLM span', ...SPAN_METRICS.map((m) => m.label)], rows, {
      label: 'Spread over the samples',
      className: 'spread-table',
      columns: ['28%', '24%', '24%', '24%'],
    }),
  );
}
