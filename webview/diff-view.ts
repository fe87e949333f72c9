// A neutral TextDiff as DOM: word diffs inline (<ins>/<del>), JSON diffs line by line with +/-
// gutters. All text goes in as text nodes.
import type { TextDiff } from '../src/core/compare/comparison-types';
import { el } from './dom';
import { diffLines, diffSegments, diffSummary } from './view-model';

export function renderTextDiff(diff: TextDiff, label: string): HTMLElement {
  const summary = diffSummary(diff);
  if (!diff.chunks.length) return el('p', { className: 'muted' }, `${label}: empty on both sides`);
  if (diff.format === 'json') {
    const lines = diffLines(diff).map((l) =>
      el(
        'div',
        { className: `diff-line diff-${l.op}` },
        el('span', { className: 'diff-mark', attrs: { 'aria-hidden': 'true' } }, l.mark),
        l.op === 'insert' ? el('ins', null, l.text) : l.op === 'delete' ? el('del', null, l.text) : l.text,
      ),
    );
    return el(
      'div',
      { className: 'diff diff-json', attrs: { role: 'group', 'aria-label': `${label} (${summary})`, tabindex: 0 } },
      ...lines,
    );
  }
  const parts = diffSegments(diff).map((s) =>
    s.op === 'insert' ? el('ins', null, s.text) : s.op === 'delete' ? el('del', null, s.text) : s.text,
  );
  return el(
    'div',
    { className: 'diff diff-words', attrs: { role: 'group', 'aria-label': `${label} (${summary})`, tabindex: 0 } },
    ...parts,
  );
}
