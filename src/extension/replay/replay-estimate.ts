// The cost estimate shown in the replay wizard's summary: the core estimate
// (src/core/pricing/replay-estimate.ts: recorded token counts priced for the target, a range with half
// to twice the recorded output tokens), with the model resolved as the wizard resolves it (a registry
// provider not set up yet still names its model), written as the summary row's range and basis.
// Repeated samples count as the core counts them: N replays at the target, M A/A at the recorded model.
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import { callsText, formatUsd, rangeText, unpricedText } from '../../core/pricing/estimate-text';
import {
  estimateReplayCost as estimateCore,
  type ReplayEstimate,
  type ReplaySamples,
} from '../../core/pricing/replay-estimate';
import { resolveModelSpec } from './replay-key-check';

export { OUTPUT_RANGE } from '../../core/pricing/replay-estimate';

export interface CostEstimate {
  calls: number;
  /** Undefined when some call cannot be priced (see `unknown`). */
  usd?: number;
  /** The range's ends (with half and twice the recorded output tokens). */
  low?: number;
  high?: number;
  /** Why some calls have no price (they are not in the amounts). */
  unknown?: string;
  /** "≈ $0.0012 for 1 call (based on recorded token counts)" — one line for a toast or a log. */
  text: string;
  /** "$0.00060 – $0.0024", or "unknown" — the summary row. */
  range: string;
  /** What the range rests on, or why it is unknown — the summary row's detail. */
  basis: string;
  /** The core estimate (per model, per trace). */
  estimate: ReplayEstimate;
}

export function estimateReplayCost(
  traces: Trace[],
  modelSpec: string | undefined,
  configs: ProviderConfigs,
  /** Samples per trace (default: one replay, no A/A). */
  samples?: ReplaySamples,
): CostEstimate {
  const estimate = estimateCore(traces, {
    model: modelSpec,
    configs,
    resolveModel: resolveModelSpec,
    ...(samples ? { samples } : {}),
  });
  const calls = estimate.calls;
  const n = callsText(estimate);
  if (estimate.unpricedCalls > 0) {
    const reason = estimate.unpriced[0]?.reason ?? 'unknown';
    const priced = calls > estimate.unpricedCalls;
    return {
      calls,
      unknown: reason,
      text: priced
        ? `≈ ${formatUsd(estimate.usd.expected)} for the priced calls; ${unpricedText(estimate)}`
        : `cost unknown for ${n} (${reason})`,
      range: priced ? `at least ${rangeText(estimate.usd)}` : 'unknown',
      basis: priced ? `${n}; ${unpricedText(estimate)}` : `${n}; unknown because ${reason.replace(/\.$/, '')}`,
      estimate,
    };
  }
  const { low, expected, high } = estimate.usd;
  return {
    calls,
    usd: expected,
    low,
    high,
    text: `≈ ${formatUsd(expected)} for ${n} (based on recorded token counts)`,
    range: low === high ? formatUsd(expected) : `${formatUsd(low)} – ${formatUsd(high)}`,
    basis: `${n}; ${formatUsd(expected)} at the recorded tokens; range: half to twice the output tokens`,
    estimate,
  };
}
