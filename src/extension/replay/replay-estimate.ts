// The cost estimate shown before a replay starts: the recorded token counts of the trace's LLM
// calls priced for the target model (offline price data). An estimate, not a promise: the new
// model may answer with more or fewer tokens, so it is a range — the recorded input tokens with
// half to twice the recorded output tokens — around the recorded counts' own price.
import { errorMessage } from '../../core/util/error-message';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import { targetForRecorded } from '../../core/llm/model-target';
import type { Trace, Usage } from '../../core/model/trace';
import { priceLlmCall } from '../../core/pricing/llm-pricing';
import { formatCostPrecise } from '../common/format';
import { resolveModelSpec } from './replay-key-check';

/** The output-token factors of the range's two ends. */
export const OUTPUT_RANGE = { low: 0.5, high: 2 } as const;

export interface CostEstimate {
  calls: number;
  /** Undefined when some call cannot be priced (see `unknown`). */
  usd?: number;
  /** The range's ends (with half and twice the recorded output tokens). */
  low?: number;
  high?: number;
  unknown?: string;
  /** "≈ $0.0012 for 1 call (based on recorded token counts)" — one line for a toast or a log. */
  text: string;
  /** "$0.00060 – $0.0024", or "unknown" — the summary row. */
  range: string;
  /** What the range rests on, or why it is unknown — the summary row's detail. */
  basis: string;
}

function scaledOutput(usage: Usage | undefined, factor: number): Usage | undefined {
  if (usage?.outputTokens === undefined) return usage;
  return { ...usage, outputTokens: Math.round(usage.outputTokens * factor) };
}

export function estimateReplayCost(
  traces: Trace[],
  modelSpec: string | undefined,
  configs: ProviderConfigs,
): CostEstimate {
  let calls = 0;
  let usd = 0;
  let low = 0;
  let high = 0;
  let unknown: string | undefined;
  for (const trace of traces) {
    for (const span of trace.spans) {
      const llm = span.llm;
      if (span.kind !== 'llm' || !llm) continue;
      calls++;
      if (unknown) continue;
      let provider: string;
      let model: string;
      try {
        ({ provider, model } =
          modelSpec !== undefined ? resolveModelSpec(modelSpec, configs) : targetForRecorded(llm, configs));
      } catch (err) {
        unknown = errorMessage(err);
        continue;
      }
      // The recorded model keeps its dated response name when it is the one replayed.
      const priced = modelSpec === undefined ? (llm.responseModel ?? model) : model;
      const cost = priceLlmCall({ provider, model: priced, usage: llm.usage });
      if (cost.costUsd === null) {
        unknown = cost.reason;
        continue;
      }
      usd += cost.costUsd;
      low +=
        priceLlmCall({ provider, model: priced, usage: scaledOutput(llm.usage, OUTPUT_RANGE.low) }).costUsd ??
        cost.costUsd;
      high +=
        priceLlmCall({ provider, model: priced, usage: scaledOutput(llm.usage, OUTPUT_RANGE.high) }).costUsd ??
        cost.costUsd;
    }
  }
  const n = `${calls} call${calls === 1 ? '' : 's'}`;
  if (unknown !== undefined) {
    return {
      calls,
      unknown,
      text: `cost unknown for ${n} (${unknown})`,
      range: 'unknown',
      basis: `${n}; unknown because ${unknown.replace(/\.$/, '')}`,
    };
  }
  return {
    calls,
    usd,
    low,
    high,
    text: `≈ ${formatCostPrecise(usd)} for ${n} (based on recorded token counts)`,
    range: low === high ? formatCostPrecise(usd) : `${formatCostPrecise(low)} – ${formatCostPrecise(high)}`,
    basis: `${n}; ${formatCostPrecise(usd)} at the recorded tokens; range: half to twice the output tokens`,
  };
}
