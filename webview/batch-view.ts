// A batch (many traces replayed with the same overrides): per evaluator and per metric, the mean
// paired delta with its bootstrap confidence interval and the win / loss / tie counts.
import { METRIC_LABELS } from '../src/core/compare/format-values';
import type { MetricName } from '../src/core/compare/comparison-types';
import type { PairedStatJson } from '../src/core/compare/render-json';
import type { BatchShowParams } from '../src/protocol';
import { trendMark, valueText } from './common-views';
import { el, icon, section, type Child } from './dom';
import { renderTable } from './table';
import { pairedStatView, valueView } from './view-model';
import type { MetricUnit } from '../src/core/compare/comparison-types';

function statRow(label: string, s: PairedStatJson): Child[] {
  const v = pairedStatView(s);
  const unit = s.unit as MetricUnit;
  return [
    el('span', null, label, s.regression ? el('span', { className: 'regression', title: 'regresses under the threshold' }, icon('warning', 'regression')) : null),
    `${s.n}${s.unpaired ? ` (+${s.unpaired} unpaired)` : ''}`,
    valueText(valueView(s.meanOriginal, unit, 'no paired values')),
    valueText(valueView(s.meanReplay, unit, 'no paired values')),
    trendMark({ ...v.trend, text: v.mean }),
    el('span', { className: v.ci === 'unknown' ? 'value unknown' : 'value' }, v.ci),
    el('span', { className: 'wlt', attrs: { 'aria-label': `${s.wins} wins, ${s.losses} losses, ${s.ties} ties` } }, el('span', { className: 'trend-better' }, String(s.wins)), ' / ', el('span', { className: 'trend-worse' }, String(s.losses)), ' / ', String(s.ties)),
  ];
}

const HEAD = ['Name', 'Pairs', 'Mean original', 'Mean replay', 'Mean delta', 'Confidence interval', 'Win / loss / tie'];

export function renderBatch(p: BatchShowParams): HTMLElement {
  const b = p.batch;
  const evaluators = b.evaluators.length
    ? renderTable(HEAD, b.evaluators.map(s => statRow(s.name, s)), { label: 'Evaluators', className: 'batch-table' })
    : el('p', { className: 'muted' }, 'No evaluator scored these replays.');
  const metrics = renderTable(HEAD, (Object.keys(b.metrics) as MetricName[]).map(n => statRow(METRIC_LABELS[n] ?? n, b.metrics[n])), { label: 'Metrics', className: 'batch-table' });
  const gate = b.threshold !== undefined
    ? el('p', { className: b.regressions.length ? 'gate gate-fail' : 'gate gate-pass' }, icon(b.regressions.length ? 'error' : 'pass'), b.regressions.length ? `Regression beyond ${b.threshold}: ${b.regressions.join(', ')}` : `No evaluator regresses beyond ${b.threshold}.`)
    : null;
  return el(
    'main',
    { className: 'batch' },
    el('header', { className: 'panel-header' }, el('h1', null, p.title ?? 'Batch replay'), el('p', null, `${b.count} replays, ${b.incomplete} incomplete · bootstrap ${b.bootstrap.resamples} resamples, ${Math.round(b.bootstrap.level * 100)}% intervals, seed ${b.bootstrap.seed}`), gate),
    section('Evaluators', 'evaluators', evaluators),
    section('Metrics', 'metrics', metrics),
  );
}
