// Latency, tokens and cost of one LLM call, on the original and on the replay side. Unknown values
// stay null with a reason (an unpriced model is not free; a stream without usage did not use 0 tokens).
import type { Span, Usage } from '../model/trace';
import { priceLlmCall } from '../pricing/llm-pricing';
import type { ReplaySpanResult } from '../replay/replay-types';
import type { AlignmentStatus } from './comparison-types';
import type { MetricSide } from './metric-delta';

export interface LlmSides {
  llmDurationMs: MetricSide;
  inputTokens: MetricSide;
  outputTokens: MetricSide;
  totalTokens: MetricSide;
  costUsd: MetricSide;
}

type TokenSides = Pick<LlmSides, 'inputTokens' | 'outputTokens' | 'totalTokens'>;

function tokens(usage: Usage | undefined, what: string): TokenSides {
  const unknown = (reason: string): MetricSide => ({ value: null, reason: `${what}: ${reason}` });
  if (!usage)
    return {
      inputTokens: unknown('no token usage'),
      outputTokens: unknown('no token usage'),
      totalTokens: unknown('no token usage'),
    };
  // Anthropic's native usage counts cache reads/writes on top of inputTokens; others include them.
  const input =
    usage.inputTokens === undefined
      ? null
      : usage.inputTokens +
        (usage.inputIncludesCache ? 0 : (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0));
  const output = usage.outputTokens ?? null;
  return {
    inputTokens: input === null ? unknown('no input token count') : { value: input },
    outputTokens: output === null ? unknown('no output token count') : { value: output },
    totalTokens: input === null || output === null ? unknown('incomplete token usage') : { value: input + output },
  };
}

function recordedCost(span: Span, what: string): MetricSide {
  const llm = span.llm!;
  if (llm.costUsd !== undefined) return { value: llm.costUsd };
  const priced = priceLlmCall({
    provider: llm.provider,
    model: llm.responseModel ?? llm.requestModel,
    usage: llm.usage,
    at: new Date(span.startTime),
  });
  return priced.costUsd === null ? { value: null, reason: `${what}: ${priced.reason}` } : { value: priced.costUsd };
}

/** The recorded call as it is in the original trace.
 *  @param label how reasons name the span ("#2 gpt-4o-mini"), its name by default. */
export function originalSides(span: Span, result: ReplaySpanResult | undefined, label = span.name): LlmSides {
  const what = `original ${label}`;
  const exec = result?.execution;
  let costUsd: MetricSide;
  // The engine priced the recorded call when it replayed it; use that so both sides share one price table.
  if (exec) {
    costUsd =
      exec.originalCostUsd !== null
        ? { value: exec.originalCostUsd }
        : { value: null, reason: `${what}: ${exec.originalCostReason ?? 'no price'}` };
  } else {
    costUsd = recordedCost(span, what);
  }
  return { llmDurationMs: { value: span.endTime - span.startTime }, ...tokens(span.llm?.usage, what), costUsd };
}

/** The replay side of a call: what the job executed, the recorded call when it was reused, or the
 *  replay trace's own span when it has no job result (an extra span). */
export function replaySides(
  span: Span,
  status: AlignmentStatus,
  result: ReplaySpanResult | undefined,
  original: LlmSides | undefined,
  label = span.name,
): LlmSides {
  const what = `replay ${label}`;
  const exec = result?.execution;
  if (exec) {
    return {
      llmDurationMs: { value: exec.durationMs },
      ...tokens(exec.usage ?? span.llm?.usage, what),
      costUsd:
        exec.costUsd !== null
          ? { value: exec.costUsd }
          : { value: null, reason: `${what}: ${exec.costReason ?? 'no price'}` },
    };
  }
  if (status === 'reused' && original) return original;
  if (status === 'failed' || status === 'cancelled') {
    const reason = `${what}: the call ${status}${result?.error ? ` (${result.error})` : ''}`;
    const started = result?.startedAt ? Date.parse(result.startedAt) : NaN;
    const finished = result?.finishedAt ? Date.parse(result.finishedAt) : NaN;
    const tried =
      Number.isFinite(started) && Number.isFinite(finished) ? { value: finished - started } : { value: null, reason };
    return {
      llmDurationMs: tried,
      inputTokens: { value: null, reason },
      outputTokens: { value: null, reason },
      totalTokens: { value: null, reason },
      costUsd: { value: null, reason },
    };
  }
  return {
    llmDurationMs: { value: span.endTime - span.startTime },
    ...tokens(span.llm?.usage, what),
    costUsd: recordedCost(span, what),
  };
}
