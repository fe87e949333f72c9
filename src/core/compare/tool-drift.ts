// The tool-call drift report of a comparison: per LLM span, each tool call the recording made paired
// with the one the replay made (matched / changed / missing / new), JSON-aware (string arguments are
// parsed, key order never counts), with a per-key account of changed arguments and the tool result the
// replay went on with. Pure and free of Node imports: the webview renders the per-key changes too.
import type { LlmOutput } from '../model/trace';
import type { ToolResultSource } from '../replay/replay-types';
import type { AlignmentStatus, SpanRef } from './comparison-types';
import { spanLabel } from './format-values';

export type ToolDriftStatus = 'matched' | 'changed' | 'missing' | 'new';
export type { ToolResultSource };

export const TOOL_DRIFT_STATUSES: readonly ToolDriftStatus[] = ['matched', 'changed', 'missing', 'new'];

/** A tool call as compared: its name and its arguments, parsed when they were recorded as JSON text. */
export interface ToolCallShape {
  name: string;
  arguments: unknown;
}

/** One tool call of one LLM span: the recorded call and the replayed one it was paired with. */
export interface ToolDriftRow {
  /** The original span's id; the replay's span id for a span only the replay has. */
  spanId: string;
  recorded: ToolCallShape | null;
  replay: ToolCallShape | null;
  status: ToolDriftStatus;
  /** The tool result the replay went on with for this call: the recording's, a live call's, or none. */
  result: ToolResultSource;
}

export type ToolDriftCounts = Record<ToolDriftStatus, number>;

/** One difference between two argument values. `path` is `city`, `filter.from`, `items[2]`, or ''
 *  for the arguments as a whole; a side is absent when the key is absent on that side. */
export interface ArgumentChange {
  path: string;
  original?: unknown;
  replay?: unknown;
}

/** What one aligned row of the comparison holds, as the drift needs it. */
export interface DriftSpanInput {
  status: AlignmentStatus;
  /** Original span id (undefined for a span only the replay has) and replay span id. */
  originalSpanId?: string;
  replaySpanId?: string;
  /** The LLM outputs; undefined when that side has no LLM span. */
  recorded?: LlmOutput;
  replayed?: LlmOutput;
  /** ReplaySpanResult.toolResults of the span, when the replay recorded where each result came from. */
  toolResults?: readonly ToolResultSource[];
  /** The replay ran tools live (toolPolicy 'live'): a recorded call the replay did not make got no result. */
  live?: boolean;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arguments as a value: JSON text parsed (empty text is no arguments, `{}`), anything else as is. */
export function normalizeArguments(args: unknown): unknown {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'string') return args;
  const text = args.trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return args;
  }
}

/** JSON with object keys sorted, so key order never makes two values differ. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      isPlainObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k]]),
          )
        : v,
    ) ?? 'undefined'
  );
}

/** Every difference between two argument values, key by key (nested objects and equal-length arrays
 *  are followed into; anything else that differs is one change). Empty when they are equal. */
export function argumentChanges(original: unknown, replay: unknown, path = ''): ArgumentChange[] {
  const a = path === '' ? normalizeArguments(original) : original;
  const b = path === '' ? normalizeArguments(replay) : replay;
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: ArgumentChange[] = [];
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const at = path === '' ? key : `${path}.${key}`;
      if (!hasOwn(b, key)) out.push({ path: at, original: a[key] });
      else if (!hasOwn(a, key)) out.push({ path: at, replay: b[key] });
      else out.push(...argumentChanges(a[key], b[key], at));
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => argumentChanges(v, b[i], `${path}[${i}]`));
  }
  return [{ path, original: a, replay: b }];
}

interface Indexed {
  index: number;
  shape: ToolCallShape;
  key: string;
}

function indexed(output: LlmOutput | undefined): Indexed[] {
  return (output?.toolCalls ?? []).map((c, index) => {
    const shape = { name: c.name, arguments: normalizeArguments(c.arguments) };
    return { index, shape, key: `${c.name}\u0000${canonicalJson(shape.arguments)}` };
  });
}

/** Pairs of one span's calls: [recorded index | undefined, replayed index | undefined, status]. */
export function pairToolCalls(
  recorded: LlmOutput | undefined,
  replayed: LlmOutput | undefined,
): { recorded?: number; replay?: number; status: ToolDriftStatus }[] {
  const a = indexed(recorded);
  const b = indexed(replayed);
  const pairOf = new Map<number, number>(); // replayed index -> recorded index
  const statusOf = new Map<number, ToolDriftStatus>();
  const taken = new Set<number>();
  const pair = (ri: number, pi: number, status: ToolDriftStatus): void => {
    pairOf.set(pi, ri);
    statusOf.set(pi, status);
    taken.add(ri);
  };
  // 1. The same call at the same index; 2. the same call elsewhere in the span (order is not drift).
  for (const p of b) if (a[p.index]?.key === p.key) pair(p.index, p.index, 'matched');
  for (const p of b) {
    if (pairOf.has(p.index)) continue;
    const r = a.find((x) => !taken.has(x.index) && x.key === p.key);
    if (r) pair(r.index, p.index, 'matched');
  }
  // 3. The same tool with other arguments: the same index first, then the first left in order.
  for (const p of b) {
    if (pairOf.has(p.index)) continue;
    const same = a[p.index];
    const r =
      same && !taken.has(same.index) && same.shape.name === p.shape.name
        ? same
        : a.find((x) => !taken.has(x.index) && x.shape.name === p.shape.name);
    if (r) pair(r.index, p.index, 'changed');
  }
  // Recorded order first (each recorded call, with its partner), then the replay's new calls.
  const byRecorded = new Map([...pairOf].map(([pi, ri]) => [ri, pi]));
  const out: { recorded?: number; replay?: number; status: ToolDriftStatus }[] = [];
  for (const r of a) {
    const pi = byRecorded.get(r.index);
    out.push(
      pi === undefined
        ? { recorded: r.index, status: 'missing' }
        : { recorded: r.index, replay: pi, status: statusOf.get(pi)! },
    );
  }
  for (const p of b) if (!pairOf.has(p.index)) out.push({ replay: p.index, status: 'new' });
  return out;
}

/** The rows of one aligned span; none when its replay failed or was cancelled (nothing to compare),
 *  when it was reused (before a fork point: not sent again), or when neither side called a tool. */
export function spanToolDrift(span: DriftSpanInput): ToolDriftRow[] {
  if (span.status === 'failed' || span.status === 'cancelled' || span.status === 'reused') return [];
  const spanId = span.originalSpanId ?? span.replaySpanId;
  if (spanId === undefined) return [];
  const a = indexed(span.recorded);
  const b = indexed(span.replayed);
  if (!a.length && !b.length) return [];
  return pairToolCalls(span.recorded, span.replayed).map((p) => {
    const recorded = p.recorded !== undefined ? a[p.recorded].shape : null;
    const replay = p.replay !== undefined ? b[p.replay].shape : null;
    return { spanId, recorded, replay, status: p.status, result: resultSource(p, span.toolResults, span.live) };
  });
}

/** Where the replay's result for a call came from: the span's own record (a live tool mode writes one
 *  per replayed call), else the recorded policy's rule: a paired recorded call means its recorded
 *  result went on in the conversation; a call the recording never made got none. In a live replay (or
 *  once the span says where its results came from) a recorded call the replay did not make got none. */
function resultSource(
  p: { recorded?: number; replay?: number },
  sources?: readonly ToolResultSource[],
  live = false,
): ToolResultSource {
  if ((sources !== undefined || live) && p.replay === undefined) return 'none';
  const told = p.replay !== undefined ? sources?.[p.replay] : undefined;
  if (told !== undefined) return told;
  return p.recorded !== undefined ? 'recorded' : 'none';
}

export function toolDriftCounts(rows: readonly ToolDriftRow[]): ToolDriftCounts {
  const counts: ToolDriftCounts = { matched: 0, changed: 0, missing: 0, new: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

/** The replay's tool calls drifted from the recording: any call not matched. */
export const hasToolDrift = (rows: readonly ToolDriftRow[]): boolean => rows.some((r) => r.status !== 'matched');

/** `name({"a":1})` in one line (keys sorted), cut to `max` characters with an ellipsis. */
export function toolCallText(call: ToolCallShape | null, max = 120): string {
  if (!call) return '—';
  const args = typeof call.arguments === 'string' ? JSON.stringify(call.arguments) : canonicalJson(call.arguments);
  const text = `${call.name}(${args})`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One argument value in a change line: JSON (keys sorted), "(absent)" for a missing key, cut to `max`. */
export function argumentValueText(value: unknown, present: boolean, max = 80): string {
  if (!present) return '(absent)';
  const text = canonicalJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "city: \"Paris\" → \"Lyon\"" lines of a changed call (the path '' is the arguments as a whole). */
export function argumentChangeTexts(row: Pick<ToolDriftRow, 'recorded' | 'replay'>): string[] {
  if (!row.recorded || !row.replay) return [];
  return argumentChanges(row.recorded.arguments, row.replay.arguments).map(
    (c) =>
      `${c.path || 'arguments'}: ${argumentValueText(c.original, hasOwn(c, 'original'))} → ${argumentValueText(c.replay, hasOwn(c, 'replay'))}`,
  );
}

/** The span a drift row is about among the comparison's rows (by original id, else by replay id). */
export function driftSpanRef(
  spans: readonly { original?: SpanRef | null; replay?: SpanRef | null }[],
  spanId: string,
): SpanRef | undefined {
  for (const r of spans) if (r.original?.spanId === spanId) return r.original;
  for (const r of spans) if (!r.original && r.replay?.spanId === spanId) return r.replay ?? undefined;
  return undefined;
}

/** A drift row as every text surface writes it: `span · status · recorded → replay · result`, then
 *  the changed arguments key by key. */
export interface ToolDriftEntry {
  span: string;
  status: ToolDriftStatus;
  calls: string;
  result: string;
  changes: string[];
}

export function toolDriftEntries(c: {
  spans: readonly { original?: SpanRef | null; replay?: SpanRef | null }[];
  toolDrift: readonly ToolDriftRow[];
}): ToolDriftEntry[] {
  return c.toolDrift.map((row) => {
    const ref = driftSpanRef(c.spans, row.spanId);
    const label = ref ? spanLabel(ref) : 'span';
    return {
      span: `${label} (span ${row.spanId})`,
      status: row.status,
      calls: `${toolCallText(row.recorded)} → ${toolCallText(row.replay)}`,
      result: `result ${row.result}`,
      changes: row.status === 'changed' ? argumentChangeTexts(row) : [],
    };
  });
}

/** The batch's line: "tool calls drifted in 2 of 5 traces with tool calls (40%); calls: 7 matched, ...",
 *  or undefined when no trace called a tool. */
export function batchToolDriftText(d: {
  drifted: number;
  withToolCalls: number;
  share: number | null;
  counts: ToolDriftCounts;
}): string | undefined {
  if (!d.withToolCalls || d.share === null) return undefined;
  const pct = `${Math.round(d.share * 1000) / 10}%`;
  return `tool calls drifted in ${d.drifted} of ${d.withToolCalls} trace${d.withToolCalls === 1 ? '' : 's'} with tool calls (${pct}); calls: ${toolDriftCountsText(d.counts)}`;
}

/** "2 matched, 1 changed, 0 missing, 1 new". */
export const toolDriftCountsText = (k: ToolDriftCounts): string =>
  TOOL_DRIFT_STATUSES.map((s) => `${k[s]} ${s}`).join(', ');
