// When an instrumentation span wraps the real model call and the inner span is metadata only
// (e.g. @anthropic-ai/sdk's own `anthropic.messages.create` span under Traceloop's or
// OpenInference's span), the inner span stays the LLM call — it is the one that was paid for —
// but takes the conversation, tools and output the wrapper recorded. Only missing fields are
// filled, so doing it again is a no-op.
import type { LlmCall, ModelParameters } from '../model/trace';

export function fillFromWrapper(target: LlmCall, wrapper: LlmCall): LlmCall | undefined {
  if (target.messages.length > 0 || wrapper.messages.length === 0) return undefined;
  const out: LlmCall = { ...target, messages: wrapper.messages };
  out.tools ??= wrapper.tools;
  out.toolChoice ??= wrapper.toolChoice;
  out.responseFormat ??= wrapper.responseFormat;
  out.prompt ??= wrapper.prompt;
  out.provider ??= wrapper.provider;
  out.requestModel ??= wrapper.requestModel;
  out.responseModel ??= wrapper.responseModel;
  out.responseId ??= wrapper.responseId;
  out.streamed ??= wrapper.streamed;
  out.timeToFirstTokenMs ??= wrapper.timeToFirstTokenMs;
  out.usage ??= wrapper.usage;
  out.costUsd ??= wrapper.costUsd;
  if (out.api === 'unknown') out.api = wrapper.api;
  out.parameters = mergeParams(target.parameters, wrapper.parameters);
  if (!target.output.text && target.output.toolCalls.length === 0) {
    out.output = {
      ...wrapper.output,
      ...(target.output.finishReason ? { finishReason: target.output.finishReason } : {}),
    };
  }
  for (const k of Object.keys(out) as (keyof LlmCall)[]) if (out[k] === undefined) delete out[k];
  return out;
}

function mergeParams(own: ModelParameters, outer: ModelParameters): ModelParameters {
  const out: ModelParameters = { ...outer, ...own };
  if (own.extra || outer.extra) out.extra = { ...outer.extra, ...own.extra };
  return out;
}
