// Number formatting and trend marks shared by the text, markdown and JUnit renderers. Fixed locale
// so reports are byte-identical on every machine.
import { formatTemplateRef, type TemplateRef } from '../prompts/template-ref';
import { MAX_USD_DECIMALS, usdDecimals, writeUsd } from '../util/format-money';
import type { DiffChunk, Direction, MetricDelta, MetricName, MetricUnit } from './comparison-types';
import { EPSILON } from './metric-delta';

export const METRIC_LABELS: Record<MetricName, string> = {
  durationMs: 'Duration',
  llmDurationMs: 'LLM time',
  inputTokens: 'Input tokens',
  outputTokens: 'Output tokens',
  totalTokens: 'Total tokens',
  costUsd: 'Cost',
};

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** How a number of a unit is written: the scale (ms under a second, s from one), the decimals. */
interface Precision {
  seconds: boolean;
  decimals: number;
}

/** Most decimals a pair may grow to so its delta shows (beyond this a difference is noise). */
const MAX_DECIMALS: Record<MetricUnit, number> = { ms: 3, tokens: 2, usd: MAX_USD_DECIMALS, score: 6 };

/** The decimals one value is written with on its own. Cost: see util/format-money.ts (two
 *  significant digits under a dollar, two decimals from a dollar). */
function ownPrecision(value: number, unit: MetricUnit, seconds: boolean): number {
  const v = Math.abs(value);
  switch (unit) {
    case 'ms':
      return seconds ? 2 : v >= 10 || v === 0 ? 0 : 1;
    case 'tokens':
      return Number.isInteger(v) ? 0 : 1;
    case 'usd':
      return usdDecimals(v);
    case 'score':
      return 3;
  }
}

function written(v: number, unit: MetricUnit, p: Precision): string {
  switch (unit) {
    case 'ms':
      return p.seconds ? `${(v / 1000).toFixed(p.decimals)} s` : `${v.toFixed(p.decimals)} ms`;
    case 'tokens':
      return p.decimals === 0 ? INT.format(v) : v.toFixed(p.decimals);
    case 'usd':
      return writeUsd(v, p.decimals);
    case 'score':
      return v.toFixed(p.decimals);
  }
}

function abs(value: number, unit: MetricUnit): string {
  const v = Math.abs(value);
  const seconds = unit === 'ms' && v >= 1000;
  return written(v, unit, { seconds, decimals: ownPrecision(v, unit, seconds) });
}

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return '—';
  return `${value < 0 ? '-' : ''}${abs(value, unit)}`;
}

/** How long something took, written the same everywhere (CLI tables, tree rows and tooltips, the
 *  panels): as the comparison writes a duration ("2.5 ms", "950 ms", "1.23 s", "125.40 s"), so a
 *  trace's duration in a list reads as in its comparison's Duration row. Unknown: "unknown". */
export function formatDuration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? 'unknown' : formatValue(ms, 'ms');
}

export function formatSigned(value: number | null, unit: MetricUnit): string {
  if (value === null) return '—';
  if (Math.abs(value) <= EPSILON[unit]) return unit === 'usd' ? '$0' : abs(0, unit);
  return `${value < 0 ? '-' : '+'}${abs(value, unit)}`;
}

/** A pair of values and their delta, written so that they agree: the shown replay minus the shown
 *  original is exactly the shown delta ("29 ms → 26 ms, -3 ms"; never "-2.5 ms" between those). */
export interface FormattedChange {
  original: string;
  replay: string;
  /** Signed ("+3 ms", "-$0.00012", "0 ms"); "—" when a side is unknown. */
  delta: string;
  /** The shown delta as a number (in the unit), null when a side is unknown. */
  shownDelta: number | null;
  /** Writes another number of this pair (a CI bound) with the pair's precision, signed. */
  signed(value: number): string;
}

function scaled(v: number, decimals: number): number {
  return Math.round(v * 10 ** decimals);
}

/** One formatting for a pair and its delta, with a shared precision: each value keeps at least the
 *  decimals it has on its own, and the pair gains decimals (up to a cap) until a real difference
 *  no longer rounds to zero. The delta is computed from the rounded values, so it always agrees. */
export function formatChange(original: number | null, replayValue: number | null, unit: MetricUnit): FormattedChange {
  // A difference within the unit's epsilon (float sums of costs) is no difference: never let it round apart.
  const replay =
    original !== null && replayValue !== null && Math.abs(replayValue - original) <= EPSILON[unit]
      ? original
      : replayValue;
  const known = [original, replay].filter((v): v is number => v !== null && Number.isFinite(v));
  const largest = Math.max(0, ...known.map(Math.abs));
  const seconds = unit === 'ms' && largest >= 1000;
  const scale = seconds ? 1000 : 1;
  let decimals = Math.max(0, ...known.map((v) => ownPrecision(v, unit, seconds)));
  if (original !== null && replay !== null && Math.abs(replay - original) > EPSILON[unit]) {
    while (decimals < MAX_DECIMALS[unit] && scaled(replay / scale, decimals) === scaled(original / scale, decimals))
      decimals++;
  }
  const p: Precision = { seconds, decimals };
  // Values are written from their rounded integers, so the delta below is exact in the shown digits.
  const rounded = (v: number): number => (scaled(v / scale, decimals) / 10 ** decimals) * scale;
  const value = (v: number | null): string =>
    v === null ? '—' : `${v < 0 && rounded(v) !== 0 ? '-' : ''}${written(Math.abs(rounded(v)), unit, p)}`;
  const signed = (v: number): string => {
    const r = rounded(v);
    return `${r < 0 ? '-' : r > 0 ? '+' : ''}${written(Math.abs(r), unit, p)}`;
  };
  if (original === null || replay === null)
    return { original: value(original), replay: value(replay), delta: '—', shownDelta: null, signed };
  const steps = scaled(replay / scale, decimals) - scaled(original / scale, decimals);
  const shownDelta = (steps / 10 ** decimals) * scale;
  const sign = steps < 0 ? '-' : steps > 0 ? '+' : '';
  return {
    original: value(original),
    replay: value(replay),
    delta: `${sign}${written(Math.abs(shownDelta), unit, p)}`,
    shownDelta,
    signed,
  };
}

export function formatRelative(rel: number | null): string {
  if (rel === null || !Number.isFinite(rel)) return '';
  return `${rel < 0 ? '' : '+'}${(rel * 100).toFixed(1)}%`;
}

/** ▲ the value went up, ▼ down, = unchanged, ? unknown (better/worse is told apart by the direction). */
export function trendArrow(m: Pick<MetricDelta, 'delta' | 'unit'>): string {
  if (m.delta === null) return '?';
  if (Math.abs(m.delta) <= EPSILON[m.unit]) return '=';
  return m.delta > 0 ? '▲' : '▼';
}

/** "▲ +3 ms (+11.5%)": the delta as formatChange writes it next to its two values. */
export function deltaText(
  m: Pick<MetricDelta, 'original' | 'replay' | 'delta' | 'relativeDelta' | 'direction' | 'unit'>,
): string {
  const rel = m.direction === 'same' ? '' : formatRelative(m.relativeDelta);
  const delta =
    m.original !== null && m.replay !== null
      ? formatChange(m.original, m.replay, m.unit).delta
      : formatSigned(m.delta, m.unit);
  return `${trendArrow(m)} ${delta}${rel ? ` (${rel})` : ''}`;
}

/** The three cells of a metric row: the two values and "▲ +3 ms (+11.5%)", agreeing with each other. */
export function metricTexts(
  m: Pick<MetricDelta, 'original' | 'replay' | 'delta' | 'relativeDelta' | 'direction' | 'unit'>,
): { original: string; replay: string; delta: string } {
  const f = formatChange(m.original, m.replay, m.unit);
  return { original: f.original, replay: f.replay, delta: deltaText(m) };
}

/** "0.600" for a reference-based score (the replay scored against the original), with why it is unknown. */
export function versusOriginalText(s: { replay?: { value: number | null; error?: string } }): string {
  if (s.replay?.error) return 'error';
  return formatValue(s.replay?.value ?? null, 'score');
}

/** A warning's message with how often it occurred ("... (×3)") when repeats were merged. */
export function warningText(w: { message: string; count?: number }): string {
  return w.count && w.count > 1 ? `${w.message} (×${w.count})` : w.message;
}

export function directionText(d: Direction): string {
  return d === 'unknown' ? '' : d;
}

/** Why a side is unknown, for a footnote. */
export function unknownReason(m: MetricDelta): string | undefined {
  const parts: string[] = [];
  // Reasons of LLM metrics already say their side ("replay #1 gpt-4o: no price data ...").
  const side = (name: string, reason: string): string =>
    reason.startsWith(`${name} `) ? reason : `${name}: ${reason}`;
  if (m.originalReason) parts.push(side('original', m.originalReason));
  if (m.replayReason) parts.push(side('replay', m.replayReason));
  return parts.length ? parts.join('; ') : undefined;
}

/** Shortens long unchanged stretches so a diff of a long prompt shows its changes, not the prompt. */
export function elideEqual(chunks: DiffChunk[], keep = 40): DiffChunk[] {
  return chunks.map((c, i) => {
    if (c.op !== 'equal' || c.text.length <= keep * 2 + 5) return c;
    const head = i === 0 ? '' : c.text.slice(0, keep);
    const tail = i === chunks.length - 1 ? '' : c.text.slice(-keep);
    return { op: 'equal', text: `${head}…${tail}` };
  });
}

/** Model output is untrusted: never let it drive the terminal (escape sequences, carriage returns). */
export function safeText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `temperature=0.2, stop=["\n"]`: parameters as every surface writes them (values as JSON; null
 *  removes a recorded one), the way the Replay Trace wizard's parameters line reads them back. */
export function parametersText(params: Record<string, unknown>, separator = ', '): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(separator);
}

/** How a surface writes what a replay changed (see overridesText). */
export interface OverridesTextStyle {
  /** Between the parts: ", " (the default: reports, the comparison's header) or " · " (tree rows). */
  separator?: string;
  /** For a narrow row: values without their names, the model kept reads "recorded model" (also
   *  when nothing changed), a template file by its base name. */
  compact?: boolean;
}

/** What a replay changed, one text for every surface, in one order (model, parameters, template,
 *  mode, fork span, tool policy): `model=openai:gpt-4.1, temperature=0, template=prompts/summarize.prompt.md,
 *  mode=chained, from-span=8f2c…, tools=strict` ("none" when nothing changed); compact:
 *  `openai:gpt-4.1 · temperature=0 · summarize.prompt.md · chained · from span 8f2c… · strict tools`. */
export function overridesText(
  o: {
    model?: string;
    parameters?: Record<string, unknown>;
    template?: TemplateRef;
    mode?: string;
    fromSpanId?: string;
    toolPolicy?: string;
  },
  style: OverridesTextStyle = {},
): string {
  const { separator = ', ', compact = false } = style;
  const parts: string[] = [];
  if (o.model) parts.push(compact ? o.model : `model=${o.model}`);
  else if (compact) parts.push('recorded model');
  if (o.parameters && Object.keys(o.parameters).length) parts.push(parametersText(o.parameters, separator));
  if (o.template) parts.push(compact ? templateName(o.template) : `template=${formatTemplateRef(o.template)}`);
  if (o.mode && o.mode !== 'independent') parts.push(compact ? o.mode : `mode=${o.mode}`);
  if (o.fromSpanId) parts.push(compact ? `from span ${o.fromSpanId}` : `from-span=${o.fromSpanId}`);
  if (o.toolPolicy && o.toolPolicy !== 'recorded')
    parts.push(compact ? `${o.toolPolicy} tools` : `tools=${o.toolPolicy}`);
  return parts.length ? parts.join(separator) : 'none';
}

/** A template file by its base name (no node:path: the webview bundles this file), a platform's prompt by its ref. */
function templateName(ref: TemplateRef): string {
  return ref.kind === 'file' ? (ref.path.split(/[\\/]/).pop() ?? ref.path) : formatTemplateRef(ref);
}

/** How every renderer names a span: an LLM span by its step and model ("#2 gpt-4o-mini"), so two
 *  calls named alike stay apart; any other span by its name. */
export function spanLabel(ref: { name: string; step?: number; model?: string }): string {
  return ref.step !== undefined ? `#${ref.step} ${ref.model ?? ref.name}` : ref.name;
}

/** `1 span`, `2 spans`, `0 LLM calls`: a count with its noun in the right number. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
