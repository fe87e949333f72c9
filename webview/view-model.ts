// Pure data shaping for the panels (no DOM): how a direction, a status or a diff looks. Unit-tested
// in plain Node; the DOM views only turn these into elements.
import type {
  DiffChunk,
  Direction,
  MetricDelta,
  MetricName,
  MetricUnit,
  TextDiff,
} from '../src/core/compare/comparison-types';
import { formatChange, formatRelative, formatValue, METRIC_LABELS } from '../src/core/compare/format-values';
import { EPSILON } from '../src/core/compare/metric-delta';
import type { PairedStatJson, SpanJson } from '../src/core/compare/render-json';
import type { SpanKind } from '../src/core/model/trace';
import type { ReplayHistoryEntry } from '../src/protocol';

export interface TrendView {
  /** Codicon name of the arrow: the sign of the change (up/down), not whether it is good. */
  icon: 'arrow-up' | 'arrow-down' | 'dash' | 'question';
  /** CSS class carrying the colour of the direction. */
  className: `trend-${Direction}`;
  /** Accessible / visible word for the direction. */
  label: Direction;
  /** "+12 ms (+5.0%)", or "unknown" when a side is missing (never "0"). */
  text: string;
  /** Why it is unknown (the sides' reasons), for a tooltip. */
  tooltip?: string;
  /** When unknown: the short reason to show inline next to "unknown" ("no price data for model \"x\""). */
  why?: string;
}

type DeltaLike = Pick<MetricDelta, 'delta' | 'relativeDelta' | 'direction' | 'unit'> & {
  originalReason?: string;
  replayReason?: string;
};

export function unknownReason(m: {
  originalReason?: string;
  replayReason?: string;
  original?: number | null;
  replay?: number | null;
}): string {
  const reasons: string[] = [];
  // Reasons of LLM metrics already say their side ("replay #1 gpt-4o: no price data ...").
  const side = (name: string, reason: string): string =>
    reason.startsWith(`${name} `) ? reason : `${name}: ${reason}`;
  if (m.originalReason) reasons.push(side('original', m.originalReason));
  if (m.replayReason) reasons.push(side('replay', m.replayReason));
  if (!reasons.length) {
    if (m.original === null) reasons.push('original: no value');
    if (m.replay === null) reasons.push('replay: no value');
  }
  return reasons.join('; ') || 'a side has no value';
}

const MAX_WHY = 64;

/** The short inline form of a reason: its first part without the "original #1 gpt-4o: " subject
 *  (the cell already says which side), "(+1 more)" when there are more; the tooltip keeps it all. */
export function shortReason(reason: string): string {
  const parts = reason.split('; ').filter(Boolean);
  const first = (parts[0] ?? reason).replace(/^(original|replay)\b[^:]*: /, '');
  const cut = first.length > MAX_WHY ? `${first.slice(0, MAX_WHY - 1)}…` : first;
  return parts.length > 1 ? `${cut} (+${parts.length - 1} more)` : cut;
}

/** A delta's trend. With both sides given, the text is written with the precision of the two values
 *  (formatChange), so "29 ms → 26 ms" goes with "-3 ms", never "-2.5 ms". */
export function trendView(m: DeltaLike & { original?: number | null; replay?: number | null }): TrendView {
  if (m.direction === 'unknown' || m.delta === null) {
    const why = shortReason(
      m.replayReason ??
        m.originalReason ??
        (m.original === null ? 'no original value' : m.replay === null ? 'no replay value' : unknownReason(m)),
    );
    return {
      icon: 'question',
      className: 'trend-unknown',
      label: 'unknown',
      text: 'unknown',
      tooltip: unknownReason(m),
      why,
    };
  }
  const flat = Math.abs(m.delta) <= EPSILON[m.unit];
  const icon = flat ? 'dash' : m.delta > 0 ? 'arrow-up' : 'arrow-down';
  const rel = m.direction === 'same' ? '' : formatRelative(m.relativeDelta);
  const known = m.original !== undefined && m.original !== null && m.replay !== undefined && m.replay !== null;
  const delta = known ? formatChange(m.original!, m.replay!, m.unit).delta : formatChange(0, m.delta, m.unit).delta;
  return { icon, className: `trend-${m.direction}`, label: m.direction, text: `${delta}${rel ? ` (${rel})` : ''}` };
}

export interface ValueView {
  text: string;
  unknown: boolean;
  /** The full reason of an unknown value. */
  tooltip?: string;
  /** The short reason shown inline: "unknown — no price data for model \"x\"". */
  why?: string;
}

/** A value, or "unknown" (with the reason) — an unknown cost or token count is never shown as 0.
 *  @param text the value already written (by formatChange, with its pair's precision). */
export function valueView(value: number | null, unit: MetricUnit, reason?: string, text?: string): ValueView {
  if (value === null)
    return { text: 'unknown', unknown: true, tooltip: reason ?? 'no value', why: shortReason(reason ?? 'no value') };
  return { text: text ?? formatValue(value, unit), unknown: false };
}

export interface ChangeView {
  original: ValueView;
  replay: ValueView;
  trend: TrendView;
}

/** Two values and their trend written together: the shown replay minus the shown original is the
 *  shown delta. Use it for every original / replay / delta triple (metric cards, score rows). */
export function changeView(m: DeltaLike & { original: number | null; replay: number | null }): ChangeView {
  const f = formatChange(m.original, m.replay, m.unit);
  return {
    original: valueView(m.original, m.unit, m.originalReason, f.original),
    replay: valueView(m.replay, m.unit, m.replayReason, f.replay),
    trend: trendView(m),
  };
}

export interface MetricCardView extends ChangeView {
  name: MetricName;
  label: string;
}

/** The cards of the comparison header, in reading order. */
export const CARD_METRICS: readonly MetricName[] = [
  'durationMs',
  'llmDurationMs',
  'totalTokens',
  'inputTokens',
  'outputTokens',
  'costUsd',
];

export function metricCard(name: MetricName, m: MetricDelta): MetricCardView {
  return { name, label: METRIC_LABELS[name], ...changeView(m) };
}

export interface StatusView {
  icon: string;
  label: string;
  className: string;
}

const SPAN_STATUS: Record<string, StatusView> = {
  replayed: { icon: 'debug-rerun', label: 'replayed', className: 'status-replayed' },
  reused: { icon: 'link', label: 'reused', className: 'status-reused' },
  failed: { icon: 'error', label: 'failed', className: 'status-failed' },
  cancelled: { icon: 'circle-slash', label: 'cancelled', className: 'status-cancelled' },
  missing: { icon: 'remove', label: 'missing in replay', className: 'status-missing' },
  extra: { icon: 'add', label: 'only in replay', className: 'status-extra' },
};

export function spanStatusView(row: Pick<SpanJson, 'status' | 'cached'>): StatusView {
  const base = SPAN_STATUS[row.status] ?? { icon: 'circle', label: row.status, className: 'status-other' };
  return row.cached && row.status === 'replayed' ? { ...base, icon: 'history', label: 'replayed (cached)' } : base;
}

const JOB_STATUS: Record<ReplayHistoryEntry['status'], StatusView> = {
  PENDING: { icon: 'clock', label: 'pending', className: 'job-pending' },
  RUNNING: { icon: 'loading', label: 'running', className: 'job-running' },
  COMPLETED: { icon: 'pass', label: 'completed', className: 'job-completed' },
  FAILED: { icon: 'error', label: 'failed', className: 'job-failed' },
  CANCELLED: { icon: 'circle-slash', label: 'cancelled', className: 'job-cancelled' },
};

export function jobStatusView(status: string): StatusView {
  return (
    JOB_STATUS[status as ReplayHistoryEntry['status']] ?? {
      icon: 'circle',
      label: status.toLowerCase(),
      className: 'job-other',
    }
  );
}

const KIND_ICONS: Record<SpanKind, string> = {
  llm: 'sparkle',
  tool: 'tools',
  retrieval: 'search',
  embedding: 'symbol-array',
  agent: 'hubot',
  chain: 'symbol-namespace',
  other: 'symbol-misc',
};

export function kindIcon(kind: string): string {
  return KIND_ICONS[kind as SpanKind] ?? 'symbol-misc';
}

export interface DiffSegment {
  op: DiffChunk['op'];
  text: string;
}

export interface DiffLine {
  /** ' ' unchanged, '+' inserted, '-' deleted (a JSON diff is shown line by line). */
  mark: ' ' | '+' | '-';
  op: DiffChunk['op'];
  text: string;
}

/** Adjacent chunks of the same op merged, empty ones dropped. */
export function diffSegments(diff: Pick<TextDiff, 'chunks'>): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const c of diff.chunks) {
    if (!c.text) continue;
    const last = out[out.length - 1];
    if (last && last.op === c.op) last.text += c.text;
    else out.push({ op: c.op, text: c.text });
  }
  return out;
}

/** A JSON diff as lines with +/- marks (its chunks are whole lines of canonical JSON). */
export function diffLines(diff: Pick<TextDiff, 'chunks'>): DiffLine[] {
  const out: DiffLine[] = [];
  for (const seg of diffSegments(diff)) {
    const lines = seg.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const mark = seg.op === 'insert' ? '+' : seg.op === 'delete' ? '-' : ' ';
    for (const text of lines) out.push({ mark, op: seg.op, text });
  }
  return out;
}

/** "3 inserted, 2 deleted" words/lines, for the screen-reader summary of a diff. */
export function diffSummary(diff: TextDiff): string {
  if (!diff.changed) return 'no change';
  const unit = diff.format === 'json' ? 'line' : 'word';
  const count = (op: DiffChunk['op']): number =>
    diff.format === 'json'
      ? diffLines(diff).filter((l) => l.op === op).length
      : diffSegments(diff)
          .filter((s) => s.op === op)
          .reduce((n, s) => n + s.text.split(/\s+/).filter(Boolean).length, 0);
  const ins = count('insert');
  const del = count('delete');
  return `${ins} ${unit}${ins === 1 ? '' : 's'} inserted, ${del} ${unit}${del === 1 ? '' : 's'} deleted`;
}

/** The row the detail pane opens on: the first LLM span that changed, else the first LLM span. */
export function initialRowIndex(spans: readonly SpanJson[]): number {
  const changed = spans.findIndex((r) => r.llm && (r.llm.input.changed || r.llm.output?.changed));
  if (changed >= 0) return changed;
  const llm = spans.findIndex((r) => r.llm);
  return llm >= 0 ? llm : 0;
}

/** The id a row is addressed by in messages: the original span, else the replay-only span. */
export function rowSpanId(row: Pick<SpanJson, 'original' | 'replay'>): string {
  return row.original?.spanId ?? row.replay?.spanId ?? '';
}

/** Durations are written by core's formatDuration, as in the CLI and the tree views. */
export { formatDuration } from '../src/core/compare/format-values';

export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Fixed format (UTC) so reports read the same wherever they are opened.
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function shortId(id: string, length = 8): string {
  return id.length > length ? id.slice(0, length) : id;
}

export interface StatView {
  /** Mean delta, written with the precision of the two means (so original → replay agrees with it). */
  mean: string;
  ci: string;
  trend: TrendView;
  /** The two means, written with that same precision. */
  original: ValueView;
  replay: ValueView;
  /** Scored against the original (similarity...): show `replay` as "replay vs original" and
   *  `replayCi`, not an Original column of 1.000 and a delta against it. */
  referenceBased: boolean;
  replayCi?: string;
  /** Token metrics: "4 changed, 1 same" instead of wins / losses. */
  counts: string;
}

/** A batch row: mean delta with its confidence interval. */
export function pairedStatView(s: PairedStatJson): StatView {
  const unit = s.unit as MetricUnit;
  const f = formatChange(s.meanOriginal, s.meanReplay, unit);
  const trend = trendView({
    delta: s.meanDelta,
    relativeDelta: null,
    direction: s.direction,
    unit,
    original: s.meanOriginal,
    replay: s.meanReplay,
  });
  if (s.meanDelta === null) {
    trend.tooltip = s.n === 0 ? `no comparison had both sides known (${s.unpaired} unpaired)` : trend.tooltip;
    trend.why = s.n === 0 ? 'no replay had both sides known' : trend.why;
  }
  const ci = s.ci ? `[${f.signed(s.ci.low)}, ${f.signed(s.ci.high)}] @ ${Math.round(s.ci.level * 100)}%` : 'unknown';
  const noPairs = 'no paired values';
  const view: StatView = {
    mean: s.meanDelta === null ? 'unknown' : f.delta,
    ci,
    trend,
    original: valueView(s.meanOriginal, unit, noPairs, f.original),
    replay: valueView(s.meanReplay, unit, noPairs, f.replay),
    referenceBased: s.referenceBased === true,
    counts: s.changed !== undefined ? `${s.changed} changed, ${s.ties} same` : `${s.wins} / ${s.losses} / ${s.ties}`,
  };
  if (s.referenceBased && s.replayCi)
    view.replayCi = `[${formatValue(s.replayCi.low, 'score')}, ${formatValue(s.replayCi.high, 'score')}] @ ${Math.round(s.replayCi.level * 100)}%`;
  return view;
}
