// The text the user types into "Filter Traces...": free words plus `model:`, `prompt:`, `since:`,
// `until:` tokens, turned into the store's TraceFilter. No `vscode` import, so unit tests run it in Node.
import { UserError } from '../../core/util/user-error';
import type { TraceFilter } from '../../core/store/trace-filter';

export class TracesFilterQueryError extends UserError {
  readonly code = 'TRACES_FILTER_QUERY';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'TracesFilterQueryError';
  }
}

/** A parsed query; `query` is its normalized text, shown as the view's description. */
export interface TracesFilterQuery {
  query: string;
  filter: TraceFilter;
}

const KEYS = ['model', 'prompt', 'since', 'until'] as const;
type Key = (typeof KEYS)[number];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Parses the typed text; undefined for a blank query (no filter). Throws TracesFilterQueryError. */
export function parseTracesFilterQuery(input: string): TracesFilterQuery | undefined {
  const words: string[] = [];
  const values: Partial<Record<Key, string>> = {};
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    if (!(KEYS as readonly string[]).includes(key)) {
      // Not one of ours (e.g. "http://x"): part of the free text.
      words.push(token);
      continue;
    }
    const value = token.slice(colon + 1);
    if (!value) throw new TracesFilterQueryError(`"${key}:" needs a value, e.g. ${example(key as Key)}`);
    if (values[key as Key] !== undefined) throw new TracesFilterQueryError(`"${key}:" is given twice`);
    values[key as Key] = value;
  }
  const filter: TraceFilter = { origin: 'recorded' };
  if (words.length) filter.text = words.join(' ');
  if (values.model) filter.model = values.model;
  if (values.prompt) filter.prompt = values.prompt;
  // Dates are local calendar days, as the user reads them in the tree; `until` includes its whole day.
  if (values.since) filter.since = parseDay('since', values.since);
  if (values.until) filter.until = parseDay('until', values.until) + DAY_MS - 1;
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new TracesFilterQueryError(`"since:${values.since}" is after "until:${values.until}"`);
  }
  const parts = [...KEYS.filter((k) => values[k] !== undefined).map((k) => `${k}:${values[k]}`), ...words];
  if (!parts.length) return undefined;
  return { query: parts.join(' '), filter };
}

function parseDay(key: 'since' | 'until', value: string): number {
  const m = DATE.exec(value);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const date = new Date(y, mo - 1, d);
  // new Date rolls 2025-02-30 over to March; a real calendar day round-trips.
  if (!m || date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) {
    throw new TracesFilterQueryError(`"${key}:${value}" is not a date; use YYYY-MM-DD, e.g. ${example(key)}`);
  }
  return date.getTime();
}

function example(key: Key): string {
  return { model: 'model:gpt-4o-mini', prompt: 'prompt:weather', since: 'since:2025-06-01', until: 'until:2025-06-30' }[
    key
  ];
}
