// Tables through @vscode-elements' vscode-table (header, zebra rows, theme colours). Cells take
// DOM children, so values stay text.
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import { el, type Child } from './dom';

export interface TableOptions {
  label: string;
  /** Initial column sizes (vscode-table's `columns`). */
  columns?: string[];
  className?: string;
}

export function renderTable(headers: readonly string[], rows: readonly Child[][], o: TableOptions): HTMLElement {
  const header = el(
    'vscode-table-header',
    { attrs: { slot: 'header' } },
    ...headers.map((h) => el('vscode-table-header-cell', null, h)),
  );
  const body = el(
    'vscode-table-body',
    { attrs: { slot: 'body' } },
    ...rows.map((cells) => el('vscode-table-row', null, ...cells.map((c) => el('vscode-table-cell', null, c)))),
  );
  const table = el(
    'vscode-table',
    { className: o.className ?? '', attrs: { zebra: true, 'bordered-columns': true, 'aria-label': o.label } },
    header,
    body,
  );
  if (o.columns) table.setAttribute('columns', JSON.stringify(o.columns));
  return table;
}
