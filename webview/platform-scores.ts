// What the comparison shows of the scores a trace platform (Langfuse, Phoenix) attached to the original and
// to the written-back replay: one row per score name and target, the two sides next to each other,
// and one status line (when read, or why not). No DOM here, so it is unit-tested in plain Node.
import { spanLabel } from '../src/core/compare/format-values';
import type { ComparisonJson } from '../src/core/compare/render-json';
import type { PlatformScoresStatus } from '../src/protocol';
import { formatWhen, shortId } from './view-model';

type PlatformScore = ComparisonJson['platformScores'][number];

export interface PlatformValue {
  text: string;
  /** The scorers' comments (annotations, judge reasons), for a tooltip. */
  comment?: string;
}

export interface PlatformScoreRow {
  name: string;
  /** "trace", or the span the score is about. */
  target: string;
  original?: PlatformValue;
  replay?: PlatformValue;
  /** e.g. "langfuse:eval" (several joined by ", "). */
  source: string;
}

export function platformValueText(value: PlatformScore['value']): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
  return String(value);
}

function addDistinct(a: string | undefined, b: string | undefined, sep: string): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || a.split(sep).includes(b)) return a;
  return `${a}${sep}${b}`;
}

/** Scores on the written-back replay carry the replayed trace's id; every other one is about the
 *  original (its platform id may differ from the store's). Rows in first-seen order. */
export function platformScoreRows(
  c: Pick<ComparisonJson, 'platformScores' | 'replayTraceId' | 'spans'>,
): PlatformScoreRow[] {
  // A span is named as everywhere else: "#2 gpt-4o-mini" for an LLM call, else its name.
  const spanNames = new Map<string, string>();
  for (const r of c.spans) {
    if (r.original) spanNames.set(r.original.spanId, spanLabel(r.original));
    if (r.replay) spanNames.set(r.replay.spanId, spanLabel(r.replay));
  }
  const rows = new Map<string, PlatformScoreRow>();
  for (const s of c.platformScores) {
    const side = s.target.traceId === c.replayTraceId ? 'replay' : 'original';
    const spanId = s.target.spanId;
    const target = spanId === undefined ? 'trace' : (spanNames.get(spanId) ?? `observation ${shortId(spanId, 12)}`);
    const key = `${s.name}\n${target}`;
    const row = rows.get(key) ?? { name: s.name, target, source: s.source };
    const prev = row[side];
    // Several scores of one name on one target (e.g. two annotators): all values, in order.
    const value: PlatformValue = {
      text: prev ? `${prev.text}, ${platformValueText(s.value)}` : platformValueText(s.value),
    };
    const comment = addDistinct(prev?.comment, s.comment, '\n');
    if (comment !== undefined) value.comment = comment;
    row[side] = value;
    row.source = addDistinct(row.source, s.source, ', ') ?? s.source;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** The one line under the platform's scores: when they were read, or why they could not be. */
export function platformStatusText(s: PlatformScoresStatus, scoreCount: number): string {
  switch (s.state) {
    case 'reading':
      return `Reading the scores from ${s.platform}…`;
    case 'unread':
      return `Scores from ${s.platform} are read when the panel opens or on Refresh.`;
    case 'failed':
      return `Scores from ${s.platform} could not be read: ${s.error ?? 'unknown error'}`;
    case 'read':
      return scoreCount === 0
        ? `${s.platform} has no scores for these traces yet (read ${s.readAt ? formatWhen(s.readAt) : 'just now'}); its evaluators may still be running.`
        : `Read from ${s.platform} ${s.readAt ? formatWhen(s.readAt) : 'just now'}.`;
  }
}
