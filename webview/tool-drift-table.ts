// The comparison panel's "Tool calls" section: every tool call of the LLM spans, recorded vs replayed,
// with a status badge (matched / changed / missing / new), the changed arguments key by key, and the
// result the replay went on with. The span cell selects that span's row in the span trees.
import type { ComparisonJson } from '../src/core/compare/render-json';
import { spanLabel } from '../src/core/compare/format-values';
import {
  argumentChangeTexts,
  driftSpanRef,
  toolCallText,
  toolDriftCountsText,
  type ToolDriftRow,
  type ToolDriftStatus,
  type ToolResultSource,
} from '../src/core/compare/tool-drift';
import { el, icon, section } from './dom';
import { renderTable } from './table';

const STATUS: Record<ToolDriftStatus, { icon: string; title: string }> = {
  matched: { icon: 'pass', title: 'The replay made the same call (name and arguments; order and key order ignored).' },
  changed: { icon: 'diff-modified', title: 'The replay called the same tool with other arguments.' },
  missing: { icon: 'diff-removed', title: 'The recording made this call; the replay did not.' },
  new: { icon: 'diff-added', title: 'The replay made this call; the recording did not.' },
};

const RESULT: Record<ToolResultSource, { icon: string; title: string }> = {
  recorded: { icon: 'history', title: 'The replay went on with the recorded tool result.' },
  live: { icon: 'zap', title: 'The tool really ran during the replay (live tools).' },
  none: { icon: 'circle-slash', title: 'No tool result: the recording has none for this call.' },
};

function callCell(text: string, changes: string[]): HTMLElement {
  return el(
    'div',
    { className: 'drift-call' },
    el('code', { title: text }, text),
    changes.length
      ? el('ul', { className: 'drift-changes' }, ...changes.map((c) => el('li', null, el('code', null, c))))
      : null,
  );
}

/** Null when no LLM span called a tool on either side (nothing to say). `select(i)` selects row i of
 *  the comparison's spans. */
export function renderToolDrift(c: ComparisonJson, select: (rowIndex: number) => void): HTMLElement | null {
  // Comparisons shaped before the drift report have no rows: no section rather than an empty one.
  const rows: ToolDriftRow[] = c.toolDrift ?? [];
  if (!rows.length) return null;
  const tableRows = rows.map((d) => {
    const ref = driftSpanRef(c.spans, d.spanId);
    const index = c.spans.findIndex((r) => (r.original ?? r.replay)?.spanId === d.spanId);
    const label = ref ? spanLabel(ref) : d.spanId;
    const span =
      index >= 0
        ? el(
            'button',
            {
              className: 'link-button',
              title: `Show span ${d.spanId} in the span trees`,
              attrs: { type: 'button', 'data-action': 'select-span', 'data-span-id': d.spanId },
              on: { click: () => select(index) },
            },
            label,
          )
        : el('span', { title: d.spanId }, label);
    const s = STATUS[d.status];
    const r = RESULT[d.result];
    return [
      span,
      el(
        'span',
        { className: `drift-status drift-${d.status}`, title: s.title, attrs: { 'data-status': d.status } },
        icon(s.icon),
        d.status,
      ),
      callCell(toolCallText(d.recorded, 200), []),
      callCell(toolCallText(d.replay, 200), d.status === 'changed' ? argumentChangeTexts(d) : []),
      el('span', { className: `drift-result drift-result-${d.result}`, title: r.title }, icon(r.icon), d.result),
    ];
  });
  const counts = c.toolDriftCounts ?? { matched: 0, changed: 0, missing: 0, new: 0 };
  return section(
    'Tool calls',
    'tool-calls',
    el('p', { className: 'counts' }, toolDriftCountsText(counts)),
    renderTable(['Span', 'Status', 'Recorded', 'Replay', 'Result'], tableRows, {
      label: 'Tool calls: recorded vs replayed',
      className: 'tool-drift',
      columns: ['15%', '15%', '27%', '27%', '16%'],
    }),
  );
}
