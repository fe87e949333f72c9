// The only way the panels build DOM: elements from tag names, attributes set one by one, and text
// through text nodes. There is no innerHTML anywhere in the webview: trace content (LLM output!) is
// untrusted and may hold markup or script, which must show as literal text.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  /** Attributes, set with setAttribute (never on* handlers: events go through `on`). */
  attrs?: Record<string, string | number | boolean | undefined>;
  title?: string;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function el(tag: string, props?: Props | null, ...children: Child[]): HTMLElement;
export function el(tag: string, props?: Props | null, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (props) {
    if (props.className) e.className = props.className;
    if (props.title !== undefined) e.title = props.title;
    for (const [k, v] of Object.entries(props.attrs ?? {})) {
      if (v === undefined || v === false) continue;
      // Event handler attributes would run strings as code; they are refused outright.
      if (/^on/i.test(k)) throw new Error(`refusing event handler attribute ${k}`);
      e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const [type, handler] of Object.entries(props.on ?? {})) e.addEventListener(type, handler as EventListener);
  }
  append(e, children);
  return e;
}

/** A codicon (from the codicons stylesheet); decorative unless given a label. */
export function icon(name: string, label?: string, className = ''): HTMLElement {
  const attrs: Props['attrs'] = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' };
  return el('span', { className: `codicon codicon-${name}${className ? ` ${className}` : ''}`, attrs, title: label });
}

export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return el(
    'section',
    { className: 'section', attrs: { 'aria-labelledby': `${id}-title` } },
    el('h2', { attrs: { id: `${id}-title` } }, title),
    ...children,
  );
}
