// Pieces shared by the comparison, batch and trace panels: trend marks, values, badges, buttons,
// the replay history list.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ReplayHistoryEntry } from '../src/protocol';
import { el, icon, type Child } from './dom';
import { formatWhen, jobStatusView, shortId, type StatusView, type TrendView } from './view-model';

export function trendMark(t: TrendView): HTMLElement {
  return el(
    'span',
    { className: `trend ${t.className}`, title: t.tooltip ?? t.label, attrs: { 'data-direction': t.label } },
    icon(t.icon, t.label === 'unknown' ? `unknown: ${t.tooltip ?? ''}` : t.label),
    el('span', { className: 'trend-text' }, t.text),
  );
}

export function valueText(v: { text: string; unknown: boolean; tooltip?: string }): HTMLElement {
  return el('span', { className: v.unknown ? 'value unknown' : 'value', title: v.tooltip }, v.text);
}

export function statusBadge(s: StatusView): HTMLElement {
  return el('vscode-badge', { className: `status-badge ${s.className}`, title: s.label }, icon(s.icon, undefined, s.icon === 'loading' ? 'codicon-modifier-spin' : ''), ` ${s.label}`);
}

export function button(label: string, codicon: string, onClick: () => void, opts: { secondary?: boolean; action?: string; title?: string } = {}): HTMLElement {
  return el(
    'vscode-button',
    {
      className: 'action',
      title: opts.title,
      attrs: { secondary: opts.secondary, 'data-action': opts.action },
      on: { click: onClick },
    },
    icon(codicon),
    ` ${label}`,
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
  const items = entries.map(e => {
    const isCurrent = e.jobId === o.current;
    const details: Child[] = [
      statusBadge(jobStatusView(e.status)),
      el('span', { className: 'history-when' }, formatWhen(e.createdAt)),
      el('code', { className: 'history-id', title: e.jobId }, shortId(e.jobId, 12)),
      e.model ? el('span', { className: 'chip' }, icon('sparkle'), ` ${e.model}`) : null,
      e.templatePath ? el('span', { className: 'chip', title: e.templatePath }, icon('file-code'), ` ${e.templatePath.split(/[\\/]/).pop()}`) : null,
      e.error ? el('span', { className: 'history-error', title: e.error }, e.error) : null,
    ];
    const canOpen = o.interactive && !isCurrent && e.status !== 'PENDING';
    return el(
      'li',
      { className: `history-item${isCurrent ? ' current' : ''}`, attrs: { 'aria-current': isCurrent ? 'true' : undefined, 'data-job-id': e.jobId } },
      ...details,
      isCurrent ? el('span', { className: 'muted' }, '(shown)') : null,
      canOpen ? button(o.actionLabel, 'go-to-file', () => o.onOpen(e.jobId), { secondary: true, action: 'open-replay', title: `${o.actionLabel}: ${e.jobId}` }) : null,
    );
  });
  return el('ul', { className: 'history' }, ...items);
}
