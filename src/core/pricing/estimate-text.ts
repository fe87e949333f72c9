// The cost estimate (replay-estimate.ts) in words, the same on every surface: the range line the CLI
// prints before a replay or batch, the per-model breakdown of `trace-replay estimate`, and the short
// range and basis of the wizard's summary row. Unpriced calls are always named, never left out.
import { countOf, formatValue } from '../compare/format-values';
import type { ModelEstimate, ReplayEstimate, UsdRange } from './replay-estimate';

export function formatUsd(usd: number): string {
  return formatValue(usd, 'usd');
}

/** "$0.0060 – $0.024 (expected $0.012)", or one amount when the ends meet. */
export function rangeText(usd: UsdRange): string {
  if (usd.low === usd.high) return formatUsd(usd.expected);
  return `${formatUsd(usd.low)} – ${formatUsd(usd.high)} (expected ${formatUsd(usd.expected)})`;
}

/** Whether any call has a price at all. */
function anyPriced(e: { calls: number; judgeCalls?: number; unpricedCalls: number }): boolean {
  return e.calls + (e.judgeCalls ?? 0) > e.unpricedCalls;
}

/** "12 calls and 4 judge calls". */
export function callsText(e: ReplayEstimate): string {
  const calls = countOf(e.calls, 'call');
  return e.judgeCalls > 0 ? `${calls} and ${countOf(e.judgeCalls, 'judge call')}` : calls;
}

/** "3 calls unpriced: 2 of openai:foo (no price data ...); 1 judge call of ...". Empty when all are priced. */
export function unpricedText(e: ReplayEstimate): string {
  if (e.unpricedCalls === 0) return '';
  const parts = e.unpriced.map(
    (u) => `${u.calls} ${u.role === 'judge' ? 'judge ' : ''}of ${u.model} (${u.reason.replace(/\.$/, '')})`,
  );
  return `${countOf(e.unpricedCalls, 'call')} unpriced, not counted: ${parts.join('; ')}`;
}

/** The line printed before a run: "Estimated cost: $a – $b (expected $c) for 12 calls; ...". */
export function estimateLine(e: ReplayEstimate): string {
  const amount = anyPriced(e) ? rangeText(e.usd) : 'unknown';
  const unpriced = unpricedText(e);
  return `Estimated cost: ${amount} for ${callsText(e)} (recorded tokens; half to twice the output)${unpriced ? `; ${unpriced}` : ''}`;
}

function modelRow(m: ModelEstimate): string {
  const priced = m.calls - m.unpricedCalls;
  const amount = priced > 0 ? rangeText(m.usd) : 'unpriced';
  const unpriced = m.unpricedCalls > 0 ? `; ${m.unpricedCalls} unpriced: ${m.unpricedReason ?? 'unknown'}` : '';
  return `  ${m.role.padEnd(8)} ${m.model}  ${countOf(m.calls, 'call')}  ${amount}${unpriced}`;
}

/** `trace-replay estimate`'s text: one row per model and role, then the total. */
export function estimateBreakdown(e: ReplayEstimate): string {
  const lines = [`Estimate for ${countOf(e.traces.length, 'trace')}:`, ...e.models.map(modelRow)];
  lines.push(estimateLine(e));
  return lines.join('\n');
}
