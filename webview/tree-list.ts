// A keyboard-usable tree of rows (ARIA tree, flat rows with aria-level): one row in the tab order
// (roving tabindex), arrows / Home / End move, Enter or Space selects, a click selects. Listeners are
// delegated to the container so a 1,000-row tree costs one listener, not a thousand.
import { el, type Child } from './dom';

export interface TreeListOptions<T> {
  label: string;
  rows: readonly T[];
  level(row: T): number;
  renderRow(row: T, index: number): Child[];
  rowClass?(row: T): string;
  selected: number;
  onSelect(index: number): void;
}

export interface TreeList {
  element: HTMLElement;
  select(index: number, focus?: boolean): void;
}

export function renderTreeList<T>(o: TreeListOptions<T>): TreeList {
  const items: HTMLElement[] = o.rows.map((row, i) =>
    el(
      'div',
      {
        className: `tree-row${o.rowClass ? ` ${o.rowClass(row)}` : ''}`,
        attrs: {
          role: 'treeitem',
          'aria-level': o.level(row) + 1,
          'aria-selected': i === o.selected ? 'true' : 'false',
          tabindex: i === o.selected ? 0 : -1,
          'data-index': i,
        },
      },
      ...o.renderRow(row, i),
    ),
  );
  const element = el('div', { className: 'tree-list', attrs: { role: 'tree', 'aria-label': o.label } }, ...items);
  let current = Math.min(Math.max(o.selected, 0), items.length - 1);

  const focusRow = (i: number): void => {
    if (i < 0 || i >= items.length) return;
    items[current]?.setAttribute('tabindex', '-1');
    items[i].setAttribute('tabindex', '0');
    items[i].focus();
    current = i;
  };
  const select = (i: number, focus = false): void => {
    if (i < 0 || i >= items.length) return;
    element.querySelectorAll('[aria-selected="true"]').forEach((it) => it.setAttribute('aria-selected', 'false'));
    items[i].setAttribute('aria-selected', 'true');
    if (focus) focusRow(i);
    else {
      items[current]?.setAttribute('tabindex', '-1');
      items[i].setAttribute('tabindex', '0');
      current = i;
    }
    o.onSelect(i);
  };
  const indexOf = (target: EventTarget | null): number => {
    const row = (target as HTMLElement | null)?.closest?.('.tree-row');
    return row ? Number(row.getAttribute('data-index')) : -1;
  };
  element.addEventListener('click', (e) => {
    const i = indexOf(e.target);
    if (i >= 0) select(i, true);
  });
  element.addEventListener('keydown', (e) => {
    const i = indexOf(e.target);
    if (i < 0) return;
    const moves: Record<string, number> = {
      ArrowDown: i + 1,
      ArrowUp: i - 1,
      Home: 0,
      End: items.length - 1,
      PageDown: Math.min(items.length - 1, i + 10),
      PageUp: Math.max(0, i - 10),
    };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(i, true);
    }
  });
  return { element, select };
}
