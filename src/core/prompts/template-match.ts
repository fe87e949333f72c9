// Variable recovery: which values, put into a template, give exactly the recorded text?
// A regex with lazy groups would answer, but backtracks exponentially when the text does not
// match (a few variables over a long prompt); this search tries only the places where the next
// literal occurs and memoizes dead ends, so it stays cheap. It also counts solutions (up to two),
// so a caller can refuse a guess when the split between variables is ambiguous.
import { tokenize, type Segment } from './placeholders';
import type { PlaceholderSyntax } from './prompt-template';

export interface TemplateMatch {
  /** The first solution: each variable as short as it can be, left to right (what a lazy regex gives). */
  variables: Record<string, string>;
  /** More than one assignment renders the same text. */
  ambiguous: boolean;
}

/** Chat templates are matched message by message in one search, joined by this separator so a
 *  variable never spans two messages and a repeated variable keeps one value across them. */
export const MESSAGE_SEPARATOR = '\u0000';

/** Matches the old template text against recorded text; undefined when no assignment fits (or,
 *  for pathological texts, when the search gives up past its step budget). On an ambiguous match
 *  this returns the first consistent solution (see TemplateMatch). */
export function extractVariables(
  templateText: string,
  rendered: string,
  syntax: PlaceholderSyntax,
): Record<string, string> | undefined {
  return matchTemplateText(tokenize(templateText, syntax), rendered)?.variables;
}

/** Exact match first; then, forgiving what apps commonly do to a rendered prompt, with CRLF read
 *  as LF and surrounding whitespace trimmed on both sides. */
export function matchTemplateText(segments: Segment[], text: string): TemplateMatch | undefined {
  const exact = matchSegments(segments, text);
  if (exact) return exact;
  return matchSegments(trimSegments(normalizeSegments(segments)), normalizeText(text).trim());
}

export function matchSegments(segments: Segment[], text: string): TemplateMatch | undefined {
  if (!literalsInOrder(segments, text)) return undefined;
  const search = new Search(segments, text);
  const variables = search.findFirst();
  if (variables === undefined || variables === 'gave-up') return undefined;
  return { variables, ambiguous: search.hasSeveral() };
}

export function normalizeText(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function normalizeSegments(segments: Segment[]): Segment[] {
  return segments.map((s) => (s.kind === 'text' ? { kind: 'text', text: normalizeText(s.text) } : s));
}

function trimSegments(segments: Segment[]): Segment[] {
  const out = segments.map((s) => ({ ...s }));
  const first = out[0];
  if (first?.kind === 'text') first.text = first.text.trimStart();
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text = last.text.trimEnd();
  return out.filter((s) => s.kind === 'var' || s.text !== '');
}

/** Cheap rejection before any search: every literal must occur, in order, without overlapping. */
function literalsInOrder(segments: Segment[], text: string): boolean {
  let pos = 0;
  for (const s of segments) {
    if (s.kind !== 'text') continue;
    const at = text.indexOf(s.text, pos);
    if (at < 0) return false;
    pos = at + s.text.length;
  }
  return true;
}

/** Thrown inside the search when it runs past its budget; never escapes this file (internal
 *  control flow, so a plain Error rather than a UserError). */
class SearchBudgetExceeded extends Error {}

/** Far above what a real prompt needs (a few thousand steps), low enough to answer in well under a second. */
const MAX_STEPS = 100_000;

/** A bound variable, as offsets into the text (cheap memo keys, no copied strings). */
type Bound = Map<string, { start: number; end: number }>;

class Search {
  /** For each segment index, the variables seen both before it and at or after it: the only
   *  bindings that can change the outcome from there, hence the memo key. */
  private readonly carried: string[][];
  /** The latest position each segment may start at and still leave room for the literals after
   *  it (-1: none). Without repeated variables this makes every explored branch feasible, so
   *  neither finding nor counting solutions ever backtracks far. */
  private readonly latest: number[];
  /** Whether the variable at each index is used again later: its value must then occur again. */
  private readonly repeats: boolean[];
  private readonly failed = new Set<string>();
  private readonly counts = new Map<string, number>();
  private steps = 0;

  constructor(
    private readonly segments: Segment[],
    private readonly text: string,
  ) {
    this.carried = segments.map((_, i) => {
      const before = new Set(segments.slice(0, i).flatMap((s) => (s.kind === 'var' ? [s.name] : [])));
      const after = new Set(segments.slice(i).flatMap((s) => (s.kind === 'var' ? [s.name] : [])));
      return [...after].filter((n) => before.has(n));
    });
    this.repeats = segments.map(
      (s, i) => s.kind === 'var' && segments.slice(i + 1).some((o) => o.kind === 'var' && o.name === s.name),
    );
    this.latest = new Array<number>(segments.length + 1);
    this.latest[segments.length] = text.length;
    for (let i = segments.length - 1; i >= 0; i--) {
      const seg = segments[i];
      const after = this.latest[i + 1];
      if (seg.kind === 'var') this.latest[i] = after;
      else if (after < 0) this.latest[i] = -1;
      else if (i === segments.length - 1) this.latest[i] = text.endsWith(seg.text) ? text.length - seg.text.length : -1;
      else this.latest[i] = after - seg.text.length < 0 ? -1 : text.lastIndexOf(seg.text, after - seg.text.length);
    }
  }

  /** The first solution (undefined: none), or 'gave-up' past the step budget. */
  findFirst(): Record<string, string> | undefined | 'gave-up' {
    try {
      const bound = this.first(0, 0, new Map());
      if (!bound) return undefined;
      const variables: Record<string, string> = {};
      for (const [k, v] of bound) variables[k] = this.text.slice(v.start, v.end);
      return variables;
    } catch (err) {
      if (err instanceof SearchBudgetExceeded) return 'gave-up';
      throw err;
    }
  }

  /** Whether more than one solution exists; true when the budget ran out before it could tell. */
  hasSeveral(): boolean {
    this.steps = 0;
    try {
      return this.count(0, 0, new Map()) > 1;
    } catch (err) {
      if (err instanceof SearchBudgetExceeded) return true;
      throw err;
    }
  }

  private first(i: number, pos: number, bound: Bound): Bound | undefined {
    const key = this.key(i, pos, bound);
    if (this.failed.has(key)) return undefined;
    const found = this.step(
      i,
      pos,
      bound,
      (j, p, b) => this.first(j, p, b),
      (r) => r !== undefined,
      () => new Map(bound),
    );
    if (!found) this.failed.add(key);
    return found;
  }

  /** Number of solutions from here, capped at 2. */
  private count(i: number, pos: number, bound: Bound): number {
    const key = this.key(i, pos, bound);
    const memo = this.counts.get(key);
    if (memo !== undefined) return memo;
    let total = 0;
    this.step(
      i,
      pos,
      bound,
      (j, p, b) => {
        total = Math.min(2, total + this.count(j, p, b));
        return total;
      },
      () => total >= 2,
      () => 1,
    );
    const n = i === this.segments.length ? (pos === this.text.length ? 1 : 0) : total;
    this.counts.set(key, n);
    return n;
  }

  /** One step of the search, shared by first() and count(): `next` explores a successor, `done`
   *  says whether to stop trying alternatives, `atEnd` is the result of a complete match. */
  private step<R>(
    i: number,
    pos: number,
    bound: Bound,
    next: (i: number, pos: number, bound: Bound) => R,
    done: (r: R) => boolean,
    atEnd: () => R,
  ): R | undefined {
    if (++this.steps > MAX_STEPS) throw new SearchBudgetExceeded();
    const { segments, text } = this;
    if (i === segments.length) return pos === text.length ? atEnd() : undefined;
    if (pos > this.latest[i]) return undefined;
    const seg = segments[i];
    if (seg.kind === 'text')
      return text.startsWith(seg.text, pos) ? next(i + 1, pos + seg.text.length, bound) : undefined;
    const known = bound.get(seg.name);
    if (known !== undefined) {
      const length = known.end - known.start;
      return text.startsWith(text.slice(known.start, known.end), pos) ? next(i + 1, pos + length, bound) : undefined;
    }
    const sep = text.indexOf(MESSAGE_SEPARATOR, pos);
    const limit = sep < 0 ? text.length : sep;
    let result: R | undefined;
    for (const end of this.ends(i, pos, limit)) {
      if (this.repeats[i] && end > pos && text.indexOf(text.slice(pos, end), end) < 0) continue;
      bound.set(seg.name, { start: pos, end });
      const r = next(i + 1, end, bound);
      bound.delete(seg.name);
      if (r !== undefined) {
        result = r;
        if (done(r)) break;
      }
    }
    return result;
  }

  /** Where an unbound variable starting at `pos` may end, shortest first: where the following
   *  literal occurs, at the end of the text when it is last, anywhere when another variable follows. */
  private *ends(i: number, pos: number, limit: number): Generator<number> {
    const following = this.segments[i + 1];
    if (following === undefined) {
      if (limit === this.text.length) yield limit;
      return;
    }
    const last = Math.min(limit, this.latest[i + 1]);
    if (following.kind === 'text') {
      // A final literal has exactly one place: the end of the text.
      if (i + 2 === this.segments.length) {
        if (last >= pos) yield last;
        return;
      }
      for (
        let at = this.text.indexOf(following.text, pos);
        at >= 0 && at <= last;
        at = this.text.indexOf(following.text, at + 1)
      )
        yield at;
      return;
    }
    for (let end = pos; end <= last; end++) yield end;
  }

  private key(i: number, pos: number, bound: Bound): string {
    let key = `${i}:${pos}`;
    for (const name of this.carried[i] ?? []) {
      const b = bound.get(name);
      key += b ? `:${b.start}-${b.end}` : ':';
    }
    return key;
  }
}
