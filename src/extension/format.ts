// Short human-readable texts for tree rows and tooltips.

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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** 950 -> "950", 12_345 -> "12.3k", 2_500_000 -> "2.5M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

export function formatCost(usd: number): string {
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** Keeps two significant digits of tiny amounts (one short replay costs fractions of a cent):
 *  0.00000765 -> "$0.0000077"; from a cent up, like formatCost. */
export function formatCostPrecise(usd: number): string {
  const abs = Math.abs(usd);
  if (abs === 0 || abs >= 0.01) return formatCost(usd);
  const decimals = Math.min(10, 1 - Math.floor(Math.log10(abs)));
  return `$${usd.toFixed(decimals)}`;
}
