// The cost estimate shown before a replay starts: the recorded token counts of the trace's LLM
// calls priced for the target model (offline price data). An estimate, not a promise: the new
// model may answer with more or fewer tokens.
import type { ProviderConfigs } from '../core/llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../core/llm/model-target';
import type { Trace } from '../core/model/trace';
import { priceLlmCall } from '../core/pricing/llm-pricing';
import { formatCostPrecise } from './format';

export interface CostEstimate {
  calls: number;
  /** Undefined when some call cannot be priced (see `unknown`). */
  usd?: number;
  unknown?: string;
  text: string;
}

export function estimateReplayCost(traces: Trace[], modelSpec: string | undefined, configs: ProviderConfigs): CostEstimate {
  let calls = 0;
  let usd = 0;
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
        ({ provider, model } = modelSpec !== undefined ? parseModelSpec(modelSpec, configs) : targetForRecorded(llm, configs));
      } catch (err) {
        unknown = (err as Error).message;
        continue;
      }
      // The recorded model keeps its dated response name when it is the one replayed.
      const priced = modelSpec === undefined ? (llm.responseModel ?? model) : model;
      const cost = priceLlmCall({ provider, model: priced, usage: llm.usage });
      if (cost.costUsd === null) unknown = cost.reason;
      else usd += cost.costUsd;
    }
  }
  const n = `${calls} call${calls === 1 ? '' : 's'}`;
  if (unknown !== undefined) return { calls, unknown, text: `cost unknown for ${n} (${unknown})` };
  return { calls, usd, text: `≈ ${formatCostPrecise(usd)} for ${n} (based on recorded token counts)` };
}
