// Pieces shared by the comparison, batch and trace panels: trend marks, values, badges, buttons,
// the replay history list.
import { formatTemplateRef } from '../src/core/prompts/template-ref';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ReplayHistoryEntry } from '../src/protocol';
import { el, icon, type Child } from './dom';
import { formatWhen, jobStatusView, shortId, type StatusView, type TrendView, type ValueView } from './view-model';

/** A delta: the arrow, the signed change and its relative part ("+11 ms" "(+2.0%)") as two pieces that
 *  wrap as wholes, so a narrow cell puts the percentage on a second line instead of cutting it. An
 *  unknown delta sits next to its values, which say why inline; the tooltip has it too. */
export function trendMark(t: TrendView): HTMLElement {
  const unknown = t.label === 'unknown';
  const m = /^(.*\S) (\([^()]*\))$/.exec(t.text);
  return el(
    'span',
    { className: `trend ${t.className}`, title: t.tooltip ?? t.label, attrs: { 'data-direction': t.label } },
    icon(t.icon, unknown ? `unknown: ${t.tooltip ?? ''}` : t.label),
    el('span', { className: 'trend-text' }, m ? m[1] : t.text),
    // Flex items: the space lays nothing out but keeps the copied / read text "+11 ms (+2.0%)".
    m ? ' ' : null,
    m ? el('span', { className: 'trend-rel' }, m[2]) : null,
  );
}

/** A value; an unknown one says why inline (muted), the full reason in the tooltip. */
export function valueText(v: ValueView): HTMLElement {
  const why = v.unknown ? v.why : undefined;
  return el(
    'span',
    { className: v.unknown ? 'value unknown' : 'value', title: v.tooltip },
    v.text,
    why ? ' ' : null,
    why ? el('span', { className: 'why' }, `(${why})`) : null,
  );
}

/** Copies `text` with the Clipboard API; the button then says it was copied. When the webview may not
 *  write the clipboard, the button says so and the id is selected for Ctrl+C (never a silent no-op). */
function copyText(text: string, label: string, button: HTMLElement, code: HTMLElement): void {
  const done = (ok: boolean): void => {
    button.replaceChildren(icon(ok ? 'check' : 'warning'));
    button.title = ok
      ? `Copied the ${label}`
      : `Could not copy the ${label}: it is selected, press Ctrl+C (Cmd+C) to copy it`;
    button.dataset.copied = ok ? 'true' : 'false';
    if (!ok) {
      // The whole id, not the short one shown, is what Ctrl+C must take.
      code.textContent = text;
      const range = document.createRange();
      range.selectNodeContents(code);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    }
  };
  if (!navigator.clipboard?.writeText) return done(false);
  navigator.clipboard.writeText(text).then(
    () => done(true),
    () => done(false),
  );
}

/** An id, secondary to the page: short with the whole id in the tooltip and a copy button inside VS
 *  Code; whole (selectable) in a static report. */
export function copyableId(label: string, id: string, interactive: boolean, length = 12): HTMLElement {
  const code = el('code', { title: id }, interactive ? shortId(id, length) : id);
  const copy = interactive
    ? el(
        'button',
        {
          className: 'icon-button copy-id',
          title: `Copy the ${label} ${id}`,
          attrs: { type: 'button', 'aria-label': `Copy the ${label}`, 'data-action': 'copy-id' },
        },
        icon('copy'),
      )
    : null;
  // The whole id is copied, not the short text shown.
  copy?.addEventListener('click', () => copyText(id, label, copy, code));
  return el(
    'span',
    { className: 'id', attrs: { 'data-id': id } },
    el('span', { className: 'id-label' }, label),
    ' ',
    code,
    copy,
  );
}

export function statusBadge(s: StatusView): HTMLElement {
  return el(
    'vscode-badge',
    { className: `status-badge ${s.className}`, title: s.label },
    icon(s.icon, undefined, s.icon === 'loading' ? 'codicon-modifier-spin' : ''),
    s.label,
  );
}

export function button(
  label: string,
  codicon: string,
  onClick: () => void,
  opts: { secondary?: boolean; action?: string; title?: string } = {},
): HTMLElement {
  return el(
    'vscode-button',
    {
      className: 'action',
      title: opts.title,
      attrs: { secondary: opts.secondary, 'data-action': opts.action },
      on: { click: onClick },
    },
    icon(codicon),
    label,
  );
}

export interface HistoryOptions {
  /** The job shown now (marked, not clickable). */
  current?: string;
  interactive: boolean;
  actionLabel: string;
  onOpen(jobId: string): void;
}

export function renderHistory(entries: readonly ReplayHistoryEntry[], o: HistoryOptions): HTMLElement {
  if (!entries.length) return el('p', { className: 'muted' }, 'No replays of this trace yet.');
  const items = entries.map((e) => {
    const isCurrent = e.jobId === o.current;
    const details: Child[] = [
      statusBadge(jobStatusView(e.status)),
      el('span', { className: 'history-when' }, formatWhen(e.createdAt)),
      el('code', { className: 'history-id', title: e.jobId }, shortId(e.jobId, 12)),
      e.model ? el('span', { className: 'chip' }, icon('sparkle'), e.model) : null,
      e.template
        ? el(
            'span',
            { className: 'chip', title: formatTemplateRef(e.template) },
            icon('file-code'),
            e.template.kind === 'file' ? e.template.path.split(/[\\/]/).pop() : formatTemplateRef(e.template),
          )
        : null,
      e.error ? el('span', { className: 'history-error', title: e.error }, e.error) : null,
    ];
    const canOpen = o.interactive && !isCurrent && e.status !== 'PENDING';
    return el(
      'li',
      {
        className: `history-item${isCurrent ? ' current' : ''}`,
        attrs: { 'aria-current': isCurrent ? 'true' : undefined, 'data-job-id': e.jobId },
      },
      ...details,
      isCurrent ? el('span', { className: 'muted' }, '(shown)') : null,
      canOpen
        ? button(o.actionLabel, 'go-to-file', () => o.onOpen(e.jobId), {
            secondary: true,
            action: 'open-replay',
            title: `${o.actionLabel}: ${e.jobId}`,
          })
        : null,
    );
  });
  return el('ul', { className: 'history' }, ...items);
}
