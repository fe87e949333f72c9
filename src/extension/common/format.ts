// Short human-readable texts for tree rows and tooltips.
import { formatValue } from '../../core/compare/format-values';

/** Durations are written by core's formatDuration, as in the CLI and the panels. */
export { formatDuration } from '../../core/compare/format-values';

export function relativeTime(thenMs: number, nowMs: number = Date.now()): string {
  const s = Math.round((nowMs - thenMs) / 1000);
  // Small negative ages are clock skew between the app and this machine, not the future.
  if (s < -60) return 'in the future';
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 31) return d === 1 ? 'yesterday' : `${d} days ago`;
  return new Date(thenMs).toISOString().slice(0, 10);
}

/** 950 -> "950", 12_345 -> "12.3k", 2_500_000 -> "2.5M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** One way to write an amount everywhere (tree rows, toasts, the comparison's cards and reports):
 *  two significant digits under a dollar (0.00000765 -> "$0.0000077", 0.0123 -> "$0.012"), two
 *  decimals from a dollar; the same value always reads the same. */
export function formatCostPrecise(usd: number): string {
  return formatValue(usd, 'usd');
}

/** Same as formatCostPrecise (kept for its callers). */
export function formatCost(usd: number): string {
  return formatCostPrecise(usd);
}
