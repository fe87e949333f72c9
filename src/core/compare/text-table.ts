// Aligned plain-text tables for the terminal. Colour codes are added after padding (by `paint`), so
// they never break the alignment.

export type Align = 'left' | 'right';

export interface Cell {
  text: string;
  /** ANSI SGR code applied around the padded text when colour is on (e.g. '32' green). */
  color?: string;
}

export type Row = (string | Cell)[];

const width = (s: string): number => [...s].length;

export function paint(text: string, color: string | undefined, enabled: boolean): string {
  return enabled && color ? `\u001b[${color}m${text}\u001b[0m` : text;
}

export function renderTable(
  header: string[],
  rows: Row[],
  align: Align[],
  options: { color?: boolean; indent?: string } = {},
): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'string' ? { text: c } : c)));
  const widths = header.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]?.text ?? ''))));
  const pad = (text: string, i: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[i] - width(text)));
    return align[i] === 'right' ? fill + text : text + fill;
  };
  const indent = options.indent ?? '';
  const line = (r: Cell[]): string =>
    (indent + r.map((c, i) => paint(pad(c.text, i), c.color, options.color ?? false)).join('  ')).trimEnd();
  return [line(header.map((h) => ({ text: h, color: '1' }))), ...cells.map(line)].join('\n');
}
