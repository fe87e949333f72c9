// What a replay job keeps of one LLM execution: provider, API, model, the answer, timings, usage, and
// its price next to the recorded span's (the recorded cost when the span has one, else priced from
// its recorded usage at its start time). Used by the runner and by the live hand-over for the LLM
// spans the live tool loop answers.
import type { LlmExecution } from '../llm/llm-types';
import type { Span } from '../model/trace';
import { priceLlmCall, type LlmCost } from '../pricing/llm-pricing';
import type { PreparedCall } from './replay-trace-builder';
import type { ReplayExecutionSummary } from './replay-types';

function costFields(cost: LlmCost, prefix: 'cost' | 'originalCost'): Partial<ReplayExecutionSummary> {
  if (prefix === 'cost')
    return cost.costUsd === null ? { costUsd: null, costReason: cost.reason } : { costUsd: cost.costUsd };
  return cost.costUsd === null
    ? { originalCostUsd: null, originalCostReason: cost.reason }
    : { originalCostUsd: cost.costUsd };
}

function originalCost(span: Span): LlmCost {
  const llm = span.llm!;
  if (llm.costUsd !== undefined)
    return { costUsd: llm.costUsd, inputUsd: 0, outputUsd: 0, priceModelId: '', priceProviderId: 'recorded' };
  return priceLlmCall({
    provider: llm.provider,
    model: llm.responseModel ?? llm.requestModel,
    usage: llm.usage,
    at: new Date(span.startTime),
  });
}

/** The summary of `execution`, the replay of the recorded LLM span `span` as `prepared` for `api`. */
export function summarizeExecution(
  span: Span,
  prepared: PreparedCall,
  api: string,
  execution: LlmExecution,
): ReplayExecutionSummary {
  const cost = priceLlmCall({
    provider: prepared.provider,
    model: execution.responseModel ?? prepared.model,
    usage: execution.usage,
  });
  const summary = {
    provider: prepared.provider,
    api,
    model: prepared.model,
    output: execution.output,
    durationMs: execution.durationMs,
    streamed: execution.streamed,
    ...costFields(cost, 'cost'),
    ...costFields(originalCost(span), 'originalCost'),
  } as ReplayExecutionSummary;
  if (execution.responseModel !== undefined) summary.responseModel = execution.responseModel;
  if (execution.responseId !== undefined) summary.responseId = execution.responseId;
  if (execution.usage !== undefined) summary.usage = execution.usage;
  if (execution.timeToFirstTokenMs !== undefined) summary.timeToFirstTokenMs = execution.timeToFirstTokenMs;
  return summary;
}
