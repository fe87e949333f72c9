// A batch (many traces replayed with the same overrides): per evaluator and per metric, the mean
// paired delta with its bootstrap confidence interval and the win / loss / tie counts. An evaluator
// scored against the original shows one value (the replay's mean and its interval); token counts
// show how many pairs changed, not wins.
import { formatChange, METRIC_LABELS } from '../src/core/compare/format-values';
import type { MetricUnit } from '../src/core/compare/comparison-types';
import { samplesText } from '../src/core/compare/stat-texts';
import type { MetricName } from '../src/core/compare/comparison-types';
import type { PairedStatJson } from '../src/core/compare/render-json';
import { batchToolDriftText } from '../src/core/compare/tool-drift';
import type { BatchShowParams } from '../src/protocol';
import { trendMark, valueText } from './common-views';
import { el, icon, section, type Child } from './dom';
import { renderTable } from './table';
import { verdictStrip } from './sample-strip';
import { pairedStatView } from './view-model';

const ONE_VALUE =
  "Scored against the original: the mean of the replay's score (and its interval), no original side of 1.000 to compare with.";

/** With A/A samples (--repeat): the noise band, the interval and the verdict as a strip. */
function verdictCell(s: PairedStatJson): Child {
  return verdictStrip(s, formatChange(s.meanOriginal, s.meanReplay, s.unit as MetricUnit));
}

function statRow(label: string, s: PairedStatJson, withVerdict = false): Child[] {
  const cells = statCells(label, s);
  return withVerdict ? [...cells, verdictCell(s)] : cells;
}

function statCells(label: string, s: PairedStatJson): Child[] {
  const v = pairedStatView(s);
  const name = el(
    'span',
    null,
    label,
    s.regression
      ? el('span', { className: 'regression', title: 'regresses under the threshold' }, icon('warning', 'regression'))
      : null,
  );
  const pairs = `${s.n}${s.unpaired ? ` (+${s.unpaired} unpaired)` : ''}`;
  if (v.referenceBased) {
    // One value: the replay's mean score against the original, with the interval of that mean.
    return [
      name,
      pairs,
      el(
        'span',
        { className: 'score-value reference-based', title: ONE_VALUE },
        valueText(v.replay),
        ' ',
        el('span', { className: 'score-note' }, 'replay vs original'),
      ),
      el('span', { className: 'muted', title: ONE_VALUE }, '—'),
      el('span', { className: v.replayCi ? 'value' : 'value unknown' }, v.replayCi ?? 'unknown'),
      el('span', { className: 'wlt muted', title: ONE_VALUE }, '—'),
    ];
  }
  const wlt =
    s.changed !== undefined
      ? el('span', { className: 'wlt', title: 'token counts: a change, neither a win nor a loss' }, v.counts)
      : el(
          'span',
          { className: 'wlt', attrs: { 'aria-label': `${s.wins} wins, ${s.losses} losses, ${s.ties} ties` } },
          el('span', { className: 'trend-better' }, String(s.wins)),
          ' / ',
          el('span', { className: 'trend-worse' }, String(s.losses)),
          ' / ',
          String(s.ties),
        );
  return [
    name,
    pairs,
    el(
      'span',
      { className: 'score-value' },
      valueText(v.original),
      ' ',
      icon('arrow-small-right', 'to'),
      ' ',
      valueText(v.replay),
    ),
    trendMark({ ...v.trend, text: v.mean }),
    el('span', { className: v.ci === 'unknown' ? 'value unknown' : 'value' }, v.ci),
    wlt,
  ];
}

const HEAD = ['Name', 'Pairs', 'Mean original → replay', 'Mean change', 'Confidence interval', 'Win / loss / tie'];
const COLUMNS = ['18%', '10%', '20%', '16%', '20%', '16%'];

/** The share of traces whose tool calls drifted; nothing when no trace called a tool. */
function toolDrift(p: BatchShowParams): HTMLElement | null {
  // Batches shaped before the drift report carry none.
  const d = p.batch.toolDrift as BatchShowParams['batch']['toolDrift'] | undefined;
  const text = d ? batchToolDriftText(d) : undefined;
  if (!d || text === undefined) return null;
  return section(
    'Tool calls',
    'tool-calls',
    el(
      'p',
      { className: 'tool-drift-share', attrs: { 'data-drifted': d.drifted } },
      icon(d.drifted ? 'diff-modified' : 'pass', undefined, d.drifted ? 'drift-changed' : 'drift-matched'),
      `${text[0].toUpperCase()}${text.slice(1)}.`,
    ),
  );
}

const VERDICT_HEAD = [...HEAD, 'A/A noise · verdict'];
const VERDICT_COLUMNS = ['15%', '8%', '18%', '12%', '17%', '12%', '18%'];

/** A batch table keeps a readable width in a narrow editor (a panel beside the side bar) and scrolls
 *  sideways there, rather than squeezing its headers letter by letter and cutting the last column. */
function scrollable(table: HTMLElement): HTMLElement {
  return el('div', { className: 'table-scroll' }, table);
}

export function renderBatch(p: BatchShowParams): HTMLElement {
  const b = p.batch;
  // Batches with A/A samples (--repeat) get a verdict column: noise band, interval and verdict.
  const withVerdict = [...b.evaluators, ...Object.values(b.metrics)].some((s) => s.noise);
  const head = withVerdict ? VERDICT_HEAD : HEAD;
  const columns = withVerdict ? VERDICT_COLUMNS : COLUMNS;
  const evaluators = b.evaluators.length
    ? scrollable(
        renderTable(
          head,
          b.evaluators.map((s) => statRow(s.name, s, withVerdict)),
          { label: 'Evaluators', className: 'batch-table', columns },
        ),
      )
    : el('p', { className: 'muted' }, 'No evaluator scored these replays.');
  const metrics = scrollable(
    renderTable(
      head,
      (Object.keys(b.metrics) as MetricName[]).map((n) => statRow(METRIC_LABELS[n] ?? n, b.metrics[n], withVerdict)),
      { label: 'Metrics', className: 'batch-table', columns },
    ),
  );
  const gate =
    b.threshold !== undefined
      ? el(
          'p',
          { className: b.regressions.length ? 'gate gate-fail' : 'gate gate-pass' },
          icon(b.regressions.length ? 'error' : 'pass'),
          b.regressions.length
            ? `Regression beyond ${b.threshold}: ${b.regressions.join(', ')}`
            : `No evaluator regresses beyond ${b.threshold}.`,
        )
      : null;
  return el(
    'main',
    { className: 'batch' },
    el(
      'header',
      { className: 'panel-header' },
      el('h1', null, p.title ?? 'Batch replay'),
      el(
        'p',
        null,
        `${b.count} replays${b.samples ? ` (${samplesText(b.samples)})` : ''}, ${b.incomplete} incomplete · bootstrap ${b.bootstrap.resamples} resamples, ${Math.round(b.bootstrap.level * 100)}% intervals, seed ${b.bootstrap.seed}`,
      ),
      gate,
    ),
    section('Evaluators', 'evaluators', evaluators),
    section('Metrics', 'metrics', metrics),
    toolDrift(p),
  );
}
