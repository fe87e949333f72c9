// The evaluator scores of a comparison: the quality verdict (the final output's scores, on top of the
// panel), the table of trace-level then per-span scores; and, apart from ours, the scores the trace's
// platform (Langfuse, Phoenix) attached to each side. Reference-based scores are one value, "replay vs original".
import { spanLabel } from '../src/core/compare/format-values';
import type { ComparisonJson, ScoreJson, SpanJson } from '../src/core/compare/render-json';
import type { PlatformScoresStatus } from '../src/protocol';
import { el, icon, type Child } from './dom';
import { button, trendMark, valueText } from './common-views';
import { platformScoreRows, platformStatusText, type PlatformValue } from './platform-scores';
import { renderTable } from './table';
import { spreadStrip } from './sample-strip';
import { changeView, type ChangeView, type ValueView } from './view-model';

/** The two sides and the change, written together (the shown values and the delta agree); an
 *  evaluator's error is the reason of an unknown side. */
function scoreChangeView(s: ScoreJson): ChangeView {
  const reason = (error?: string, r?: string): string | undefined => (error ? `error: ${error}` : r);
  return changeView({
    ...s,
    unit: 'score',
    originalReason: reason(s.originalError, s.originalReason),
    replayReason: reason(s.replayError, s.replayReason),
  });
}

function sideCell(v: ValueView, reason?: string): HTMLElement {
  const cell = valueText(v);
  // A reason on a known score (a judge's explanation) is still worth a tooltip.
  if (!v.unknown && reason) cell.title = reason;
  return cell;
}

const ONE_VALUE =
  'The evaluator scores the replay against the original: one value, no original side to compare (the original against itself is always the top score).';

/** The score: "0.800 → 0.600" for an evaluator that scores each side on its own; one value, "replay
 *  vs original", for one that compares the replay with the original. */
export function scoreValue(s: ScoreJson): HTMLElement {
  const v = scoreChangeView(s);
  // Repeated samples: the spread of the replay's score over them, as a strip.
  const spread = s.spread ? [' ', spreadStrip(s.spread, 'score')] : [];
  if (s.referenceBased) {
    return el(
      'span',
      { className: 'score-value reference-based', title: ONE_VALUE },
      sideCell(v.replay, s.replayReason),
      ' ',
      el('span', { className: 'score-note' }, 'replay vs original'),
      ...spread,
    );
  }
  return el(
    'span',
    { className: 'score-value' },
    sideCell(v.original, s.originalReason),
    ' ',
    icon('arrow-small-right', 'to'),
    ' ',
    sideCell(v.replay, s.replayReason),
    ...spread,
  );
}

/** The change of a score between the sides; a reference-based score has none (it is one value). */
export function scoreChange(s: ScoreJson): HTMLElement {
  if (s.referenceBased) return el('span', { className: 'muted', title: ONE_VALUE }, '—');
  const trend = scoreChangeView(s).trend;
  if (s.versionMismatch) trend.tooltip = `evaluator versions differ; ${trend.tooltip ?? 'delta not trusted'}`;
  return trendMark(trend);
}

/** A row of a scores table; `target` is left out in a table about one span, the change when no
 *  score of the table has one (all reference-based). */
export function scoreRow(s: ScoreJson, target?: string, withChange = true): Child[] {
  const cells: Child[] = [el('span', { title: `${s.type} ${s.version}` }, s.evaluator)];
  if (target !== undefined) cells.push(target);
  cells.push(scoreValue(s));
  if (withChange) cells.push(scoreChange(s));
  return cells;
}

/** A scores table: Evaluator, [Target,] Score[, Change] — no column of dashes when every score is one value. */
export function renderScoreTable(
  scores: readonly { score: ScoreJson; target?: string }[],
  label: string,
  withTarget: boolean,
): HTMLElement {
  const withChange = scores.some((x) => !x.score.referenceBased);
  const head = ['Evaluator', ...(withTarget ? ['Target'] : []), 'Score', ...(withChange ? ['Change'] : [])];
  const columns = withTarget
    ? withChange
      ? ['22%', '24%', '28%', '26%']
      : ['26%', '34%', '40%']
    : withChange
      ? ['30%', '40%', '30%']
      : ['40%', '60%'];
  return renderTable(
    head,
    scores.map((x) => scoreRow(x.score, withTarget ? (x.target ?? '') : undefined, withChange)),
    { label, className: 'scores-table', columns },
  );
}

/** The label of the span a row is about: its step and model for an LLM call ("#2 gpt-4o-mini"). */
export function rowLabel(r: Pick<SpanJson, 'original' | 'replay'>): string {
  const ref = r.original ?? r.replay;
  return ref ? spanLabel(ref) : 'span';
}

export function renderScores(c: ComparisonJson): HTMLElement {
  const rows = c.scores.map((score) => ({ score, target: 'final output' }));
  for (const r of c.spans) for (const score of r.scores) rows.push({ score, target: rowLabel(r) });
  const parts: Child[] = [];
  if (rows.length) parts.push(renderScoreTable(rows, 'Scores', true));
  else parts.push(el('p', { className: 'muted' }, 'No scores: no evaluator ran on this replay.'));
  if (c.skippedEvaluators.length) {
    parts.push(
      el(
        'ul',
        { className: 'skipped' },
        ...c.skippedEvaluators.map((s) => el('li', null, el('code', null, s.evaluatorId), ` skipped: ${s.reason}`)),
      ),
    );
  }
  return el('div', { className: 'scores' }, ...parts);
}

/** The verdict on quality, first thing on the page: each evaluator's score of the final output (one
 *  value for a reference-based one, original → replay and the change otherwise). */
export function renderQuality(c: ComparisonJson): HTMLElement {
  const spanScores = c.spans.reduce((n, r) => n + r.scores.length, 0);
  const items = c.scores.map((s) =>
    el(
      'li',
      {
        className: 'quality-item',
        attrs: { 'data-evaluator': s.evaluator, 'data-reference-based': s.referenceBased ? 'true' : undefined },
      },
      el('span', { className: 'quality-name', title: `${s.type} ${s.version}` }, s.evaluator),
      ' ',
      scoreValue(s),
      s.referenceBased ? null : ' ',
      s.referenceBased ? null : scoreChange(s),
    ),
  );
  const empty = spanScores
    ? `No evaluator scored the final output; ${spanScores} span score${spanScores === 1 ? '' : 's'} below, under Scores.`
    : `No quality scores: no evaluator ran on this replay${c.skippedEvaluators.length ? ` (${c.skippedEvaluators.length} skipped, see Scores)` : ''}.`;
  return el(
    'div',
    { className: 'quality', attrs: { role: 'group', 'aria-labelledby': 'quality-title' } },
    el('div', { className: 'metric-label', attrs: { id: 'quality-title' } }, 'Quality of the final output'),
    items.length ? el('ul', { className: 'quality-list' }, ...items) : el('p', { className: 'muted' }, empty),
  );
}

function platformCell(v: PlatformValue | undefined): HTMLElement {
  // Comments are untrusted text: a title attribute, never markup.
  return v
    ? el('span', { className: 'value', title: v.comment }, v.text)
    : el('span', { className: 'value unknown', title: 'no score on this side' }, '—');
}

/** The platform's scores with their status line. `status` is absent in a static report (the scores
 *  embedded, if any, are shown without a status); `refresh` only inside VS Code. Null when there is
 *  nothing to say. */
export function renderPlatformScores(
  c: ComparisonJson,
  status: PlatformScoresStatus | undefined,
  refresh?: () => void,
): HTMLElement | null {
  const rows = platformScoreRows(c);
  if (!status && !rows.length) return null;
  const parts: Child[] = [el('h3', null, icon('cloud'), `Scores from ${status?.platform ?? 'the trace platform'}`)];
  if (rows.length) {
    parts.push(
      renderTable(
        ['Score', 'Target', 'Original', 'Replay', 'Source'],
        rows.map((r) => [
          r.name,
          r.target,
          platformCell(r.original),
          platformCell(r.replay),
          el('span', { className: 'muted' }, r.source),
        ]),
        { label: 'Platform scores', className: 'platform-scores-table', columns: ['22%', '22%', '16%', '16%', '24%'] },
      ),
    );
  }
  if (status) {
    const failed = status.state === 'failed';
    parts.push(
      el(
        'p',
        {
          className: `platform-status${failed ? ' note-error' : ' muted'}`,
          attrs: { role: failed ? 'alert' : 'status', 'data-state': status.state },
        },
        failed ? icon('warning') : null,
        platformStatusText(status, rows.length),
        ' ',
        refresh && status.state !== 'reading'
          ? button('Refresh', 'refresh', refresh, {
              secondary: true,
              action: 'refresh-platform-scores',
              title: `Read the scores from ${status.platform} again`,
            })
          : null,
      ),
    );
  }
  return el('div', { className: 'platform-scores', attrs: { 'data-state': status?.state } }, ...parts);
}
