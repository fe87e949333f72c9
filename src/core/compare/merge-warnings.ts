// Merges repeated warnings of a comparison: the same lossy conversion on ten spans is one warning
// naming the ten spans, with a count, not ten lines the reader has to compare by eye.
import type { ComparisonWarning } from './comparison-types';

/** A warning before merging: what it is about (a span label, absent for the whole trace) and what happened. */
export interface RawWarning {
  source: ComparisonWarning['source'];
  /** "#2 gpt-4o-mini" (a span label); absent when the warning is about the whole replay. */
  subject?: string;
  detail: string;
  originalSpanId?: string;
  replaySpanId?: string;
}

/** One warning per source + detail, in first-seen order: the subjects joined ("#1 gpt-4o, #2 gpt-4o: ..."),
 *  `count` set when it occurred more than once, the span ids of its first occurrence. */
export function mergeWarnings(raw: readonly RawWarning[]): ComparisonWarning[] {
  const groups = new Map<string, { first: RawWarning; subjects: string[]; count: number }>();
  for (const w of raw) {
    const key = `${w.source}\u0000${w.detail}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { first: w, subjects: w.subject !== undefined ? [w.subject] : [], count: 1 });
    else {
      g.count++;
      if (w.subject !== undefined && !g.subjects.includes(w.subject)) g.subjects.push(w.subject);
    }
  }
  return [...groups.values()].map(({ first, subjects, count }) => {
    const w: ComparisonWarning = {
      source: first.source,
      message: subjects.length ? `${subjects.join(', ')}: ${first.detail}` : first.detail,
    };
    if (first.originalSpanId !== undefined) w.originalSpanId = first.originalSpanId;
    if (first.replaySpanId !== undefined) w.replaySpanId = first.replaySpanId;
    if (count > 1) w.count = count;
    return w;
  });
}
