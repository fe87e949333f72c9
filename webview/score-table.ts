// The evaluator scores of a comparison: trace-level ones, then the ones about single spans.
import type { ComparisonJson, ScoreJson } from '../src/core/compare/render-json';
import { el, type Child } from './dom';
import { trendMark, valueText } from './common-views';
import { renderTable } from './table';
import { trendView, valueView } from './view-model';

function sideCell(value: number | null, reason?: string, error?: string): HTMLElement {
  const v = valueView(value, 'score', error ? `error: ${error}` : reason);
  const cell = valueText(v);
  // A reason on a known score (a judge's explanation) is still worth a tooltip.
  if (!v.unknown && reason) cell.title = reason;
  return cell;
}

export function scoreRow(s: ScoreJson, target: string): Child[] {
  const trend = trendView({ ...s, unit: 'score', originalReason: s.originalError ?? s.originalReason, replayReason: s.replayError ?? s.replayReason });
  if (s.versionMismatch) trend.tooltip = `evaluator versions differ; ${trend.tooltip ?? 'delta not trusted'}`;
  return [
    el('span', { title: `${s.type} ${s.version}` }, s.evaluator),
    target,
    sideCell(s.original, s.originalReason, s.originalError),
    sideCell(s.replay, s.replayReason, s.replayError),
    trendMark(trend),
  ];
}

export function renderScores(c: ComparisonJson): HTMLElement {
  const rows: Child[][] = c.scores.map(s => scoreRow(s, 'final output'));
  for (const r of c.spans) for (const s of r.scores) rows.push(scoreRow(s, r.original?.name ?? r.replay?.name ?? 'span'));
  const parts: Child[] = [];
  if (rows.length) parts.push(renderTable(['Evaluator', 'Target', 'Original', 'Replay', 'Delta'], rows, { label: 'Scores', className: 'scores-table', columns: ['22%', '22%', '16%', '16%', '24%'] }));
  else parts.push(el('p', { className: 'muted' }, 'No scores: no evaluator ran on this replay.'));
  if (c.skippedEvaluators.length) {
    parts.push(el('ul', { className: 'skipped' }, ...c.skippedEvaluators.map(s => el('li', null, el('code', null, s.evaluatorId), ` skipped: ${s.reason}`))));
  }
  return el('div', { className: 'scores' }, ...parts);
}
