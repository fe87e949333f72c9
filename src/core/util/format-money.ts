// US dollar amounts written the same everywhere (the comparison's cost rows, the estimate, the cost
// budget's lines): two significant digits under a dollar, since one call costs fractions of a cent
// ($0.0000077), two decimals from a dollar, "$0" for nothing. Fixed locale, so reports are
// byte-identical on every machine. The comparison's pair formatting (format-values.ts) builds on it.

/** Most decimals an amount is written with (beyond this a difference is noise). */
export const MAX_USD_DECIMALS = 10;

/** The decimals a non-negative amount is written with on its own. */
export function usdDecimals(usd: number): number {
  const v = Math.abs(usd);
  return v === 0 ? 0 : v >= 1 ? 2 : Math.min(MAX_USD_DECIMALS, 1 - Math.floor(Math.log10(v)));
}

/** A non-negative amount with `decimals` decimals: "$0.0123"; exactly 0 is "$0". */
export function writeUsd(usd: number, decimals: number): string {
  return usd === 0 ? '$0' : `$${usd.toFixed(decimals)}`;
}

/** "$0.0123", "$1.50", "-$0.25", "$0". */
export function formatUsdAmount(usd: number): string {
  const v = Math.abs(usd);
  return `${usd < 0 ? '-' : ''}${writeUsd(v, usdDecimals(v))}`;
}
