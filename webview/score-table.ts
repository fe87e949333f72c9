// The evaluator scores of a comparison: trace-level ones, then the ones about single spans; and,
// apart from ours, the scores the trace's platform (Langfuse) attached to each side.
import type { ComparisonJson, ScoreJson } from '../src/core/compare/render-json';
import type { PlatformScoresStatus } from '../src/protocol';
import { el, icon, type Child } from './dom';
import { button, trendMark, valueText } from './common-views';
import { platformScoreRows, platformStatusText, type PlatformValue } from './platform-scores';
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

function platformCell(v: PlatformValue | undefined): HTMLElement {
  // Comments are untrusted text: a title attribute, never markup.
  return v ? el('span', { className: 'value', title: v.comment }, v.text) : el('span', { className: 'value unknown', title: 'no score on this side' }, '—');
}

/** The platform's scores with their status line. `status` is absent in a static report (the scores
 *  embedded, if any, are shown without a status); `refresh` only inside VS Code. Null when there is
 *  nothing to say. */
export function renderPlatformScores(c: ComparisonJson, status: PlatformScoresStatus | undefined, refresh?: () => void): HTMLElement | null {
  const rows = platformScoreRows(c);
  if (!status && !rows.length) return null;
  const parts: Child[] = [el('h3', null, icon('cloud'), ` Scores from ${status?.platform ?? 'the trace platform'}`)];
  if (rows.length) {
    parts.push(
      renderTable(
        ['Score', 'Target', 'Original', 'Replay', 'Source'],
        rows.map(r => [r.name, r.target, platformCell(r.original), platformCell(r.replay), el('span', { className: 'muted' }, r.source)]),
        { label: 'Platform scores', className: 'platform-scores-table', columns: ['22%', '22%', '16%', '16%', '24%'] },
      ),
    );
  }
  if (status) {
    const failed = status.state === 'failed';
    parts.push(
      el(
        'p',
        { className: `platform-status${failed ? ' note-error' : ' muted'}`, attrs: { role: failed ? 'alert' : 'status', 'data-state': status.state } },
        failed ? icon('warning') : null,
        failed ? ' ' : null,
        platformStatusText(status, rows.length),
        ' ',
        refresh && status.state !== 'reading' ? button('Refresh', 'refresh', refresh, { secondary: true, action: 'refresh-platform-scores', title: `Read the scores from ${status.platform} again` }) : null,
      ),
    );
  }
  return el('div', { className: 'platform-scores', attrs: { 'data-state': status?.state } }, ...parts);
}
