// Number formatting and trend marks shared by the text, markdown and JUnit renderers. Fixed locale
// so reports are byte-identical on every machine.
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

function abs(value: number, unit: MetricUnit): string {
  const v = Math.abs(value);
  switch (unit) {
    case 'ms':
      if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
      return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ms`;
    case 'tokens':
      return INT.format(v);
    case 'usd':
      // LLM calls cost fractions of a cent: keep enough digits to see a difference.
      return `$${v === 0 ? '0' : v < 0.01 ? v.toFixed(6) : v.toFixed(4)}`;
    case 'score':
      return v.toFixed(3);
  }
}

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return '—';
  return `${value < 0 ? '-' : ''}${abs(value, unit)}`;
}

export function formatSigned(value: number | null, unit: MetricUnit): string {
  if (value === null) return '—';
  if (Math.abs(value) <= EPSILON[unit]) return unit === 'usd' ? '$0' : abs(0, unit);
  return `${value < 0 ? '-' : '+'}${abs(value, unit)}`;
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

export function deltaText(m: MetricDelta): string {
  const rel = m.direction === 'same' ? '' : formatRelative(m.relativeDelta);
  return `${trendArrow(m)} ${formatSigned(m.delta, m.unit)}${rel ? ` (${rel})` : ''}`;
}

export function directionText(d: Direction): string {
  return d === 'unknown' ? '' : d;
}

/** Why a side is unknown, for a footnote. */
export function unknownReason(m: MetricDelta): string | undefined {
  const parts: string[] = [];
  if (m.originalReason) parts.push(`original: ${m.originalReason}`);
  if (m.replayReason) parts.push(`replay: ${m.replayReason}`);
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
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function overridesText(o: { model?: string; parameters?: Record<string, unknown>; templatePath?: string; mode?: string }): string {
  const parts: string[] = [];
  if (o.model) parts.push(`model=${o.model}`);
  for (const [k, v] of Object.entries(o.parameters ?? {})) parts.push(`${k}=${JSON.stringify(v)}`);
  if (o.templatePath) parts.push(`template=${o.templatePath}`);
  if (o.mode && o.mode !== 'independent') parts.push(`mode=${o.mode}`);
  return parts.length ? parts.join(', ') : 'none';
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
