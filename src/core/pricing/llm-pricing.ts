// Cost of one LLM call from @pydantic/genai-prices' bundled price data. Offline on purpose: we never
// call updatePrices(), so no price lookup ever touches the network and results are reproducible.
// An unknown model is reported as `costUsd: null` with the reason, never as 0 (free and unknown
// must not look alike in a comparison).
import { errorMessage } from '../util/error-message';
import type * as GenAiPrices from '@pydantic/genai-prices';
import { providerById, providerForRecorded } from '../llm/provider-registry';
import type { Usage } from '../model/trace';

// The price tables are loaded on the first price lookup, not when a command starts.
let prices: typeof GenAiPrices | undefined;
function genaiPrices(): typeof GenAiPrices {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  return (prices ??= require('@pydantic/genai-prices') as typeof GenAiPrices);
}

export type LlmCost =
  | { costUsd: number; inputUsd: number; outputUsd: number; priceModelId: string; priceProviderId: string }
  | { costUsd: null; reason: string };

export interface PriceQuery {
  /** A registry adapter id (openai, azure, ...), a normalized recorded provider name (azure.ai.openai,
   *  aws.bedrock, ...) or an endpoint profile name (openrouter, ...). */
  provider?: string;
  /** Prefer the response model (dated snapshot) when there is one. */
  model?: string;
  usage?: Usage;
  /** Prices that changed over time are taken at this moment (default now). */
  at?: Date;
}

// Providers no registered adapter claims (recorded names in OTel gen_ai.provider.name style, and
// endpoint profile names) -> genai-prices provider ids. A registered adapter's own priceProviderId
// comes first (provider-registry.ts).
const PROVIDER_IDS: Record<string, string> = {
  'azure.ai.inference': 'azure',
  'aws.bedrock': 'aws',
  bedrock: 'aws',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  google: 'google',
  gemini: 'google',
  mistral_ai: 'mistral',
  mistral: 'mistral',
  groq: 'groq',
  deepseek: 'deepseek',
  x_ai: 'x-ai',
  xai: 'x-ai',
  cohere: 'cohere',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  together: 'together',
  fireworks: 'fireworks',
};

export function priceProviderId(provider: string | undefined): string | undefined {
  if (!provider) return undefined;
  const adapter = providerById(provider) ?? providerForRecorded(provider);
  return adapter?.priceProviderId ?? PROVIDER_IDS[provider.toLowerCase()];
}

/** genai-prices wants input_tokens as the TOTAL input, cache reads/writes being parts of it. */
export function pricingUsage(usage: Usage): Record<string, number> {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const input = (usage.inputTokens ?? 0) + (usage.inputIncludesCache ? 0 : cacheRead + cacheWrite);
  const out: Record<string, number> = { input_tokens: input, output_tokens: usage.outputTokens ?? 0 };
  if (cacheRead > 0) out.cache_read_tokens = cacheRead;
  if (cacheWrite > 0) out.cache_write_tokens = cacheWrite;
  return out;
}

export function priceLlmCall(query: PriceQuery): LlmCost {
  const { provider, model, usage } = query;
  if (!model) return { costUsd: null, reason: 'no model name recorded' };
  if (!usage || (usage.inputTokens === undefined && usage.outputTokens === undefined)) {
    return { costUsd: null, reason: 'no token usage recorded' };
  }
  const providerId = priceProviderId(provider);
  if (provider && !providerId) {
    return { costUsd: null, reason: `no price data for provider "${provider}" (model ${model})` };
  }
  let result;
  try {
    result = genaiPrices().calcPrice(pricingUsage(usage), model, { providerId, timestamp: query.at });
  } catch (err) {
    // genai-prices validates usage (e.g. cache reads larger than the input); report, do not guess.
    return { costUsd: null, reason: `cannot price ${model}: ${errorMessage(err)}` };
  }
  if (!result) {
    return {
      costUsd: null,
      reason: `no price data for model "${model}"${provider ? ` of provider "${provider}"` : ''} in @pydantic/genai-prices`,
    };
  }
  return {
    costUsd: result.total_price,
    inputUsd: result.input_price,
    outputUsd: result.output_price,
    priceModelId: result.model.id,
    priceProviderId: result.provider.id,
  };
}
