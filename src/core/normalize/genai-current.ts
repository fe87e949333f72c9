// OpenTelemetry GenAI semantic conventions, current form: gen_ai.input.messages /
// gen_ai.output.messages / gen_ai.system_instructions as JSON (or structured AnyValue) lists of
// typed parts, gen_ai.provider.name, gen_ai.usage.* with the cache counts included in input.
import type { Attributes, Message, ModelParameters, Usage } from '../model/trace';
import { bool, jsonAttr, num, str, strList } from './attribute-readers';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage, withVersion } from './llm-reading';
import {
  looseMessages, outputFromMessages, responseFormatFrom, systemInstructionMessage, toolDefinitions,
} from './message-parts';
import { normalizeProvider } from './provider-api';

export const GENAI = 'gen_ai';

/** True when the span carries attributes only the current semconv defines. */
export function hasGenAiCurrent(attrs: Attributes): boolean {
  return attrs['gen_ai.operation.name'] !== undefined || attrs['gen_ai.provider.name'] !== undefined
    || attrs['gen_ai.input.messages'] !== undefined || attrs['gen_ai.output.messages'] !== undefined
    || attrs['gen_ai.usage.input_tokens'] !== undefined || attrs['gen_ai.request.model'] !== undefined;
}

export function readGenAiCurrent(input: SpanInput): LlmReading {
  const { ctx } = input;
  const a = ctx.attrs;
  const r: LlmReading = { convention: GENAI };
  const prov = normalizeProvider(str(a, 'gen_ai.provider.name') ?? str(a, 'gen_ai.system'));
  r.provider = prov.provider;
  if (prov.api) r.api = prov.api;
  r.requestModel = str(a, 'gen_ai.request.model');
  r.responseModel = str(a, 'gen_ai.response.model');
  r.responseId = str(a, 'gen_ai.response.id');

  const messages: Message[] = [];
  const sys = systemInstructionMessage(jsonAttr(ctx, 'gen_ai.system_instructions'));
  if (sys) messages.push(sys);
  const inputMessages = jsonAttr(ctx, 'gen_ai.input.messages');
  if (inputMessages !== undefined) messages.push(...looseMessages(inputMessages));
  if (messages.length) r.messages = messages;

  const outputMessages = jsonAttr(ctx, 'gen_ai.output.messages');
  const finishReasons = strList(a, 'gen_ai.response.finish_reasons');
  let finish = finishReasons?.[0];
  if (outputMessages !== undefined) {
    if (Array.isArray(outputMessages)) {
      const fr = outputMessages.find(m => typeof m === 'object' && m !== null && 'finish_reason' in m) as
        { finish_reason?: unknown } | undefined;
      if (!finish && typeof fr?.finish_reason === 'string') finish = fr.finish_reason;
    }
    const out = outputFromMessages(looseMessages(outputMessages));
    r.outputText = out.text;
    r.outputToolCalls = out.toolCalls;
    r.reasoning = out.reasoning;
  }
  r.finishReason = finish;

  const tools = jsonAttr(ctx, 'gen_ai.tool.definitions');
  if (tools !== undefined) r.tools = toolDefinitions(tools);
  r.responseFormat = responseFormatFrom(str(a, 'gen_ai.openai.request.response_format'))
    ?? (str(a, 'gen_ai.output.type') === 'json' ? { type: 'json_object' } : undefined);

  r.parameters = compactParams(genAiRequestParams(a));
  r.usage = compactUsage(genAiUsage(input, r.provider));
  r.costUsd = num(a, 'gen_ai.usage.cost');
  r.streamed = bool(a, 'gen_ai.request.stream');
  const ttft = num(a, 'gen_ai.response.time_to_first_chunk') ?? num(a, 'gen_ai.client.operation.time_to_first_chunk');
  if (ttft !== undefined) r.timeToFirstTokenMs = ttft * 1000;

  const promptName = str(a, 'gen_ai.prompt.name');
  if (promptName) r.prompt = withVersion({ name: promptName, source: 'semconv' }, str(a, 'gen_ai.prompt.version'));
  return r;
}

/** gen_ai.request.* (shared by the current and legacy forms). */
export function genAiRequestParams(a: Attributes): ModelParameters {
  const p: ModelParameters = {
    temperature: num(a, 'gen_ai.request.temperature'),
    maxTokens: num(a, 'gen_ai.request.max_tokens'),
    topP: num(a, 'gen_ai.request.top_p'),
    topK: num(a, 'gen_ai.request.top_k'),
    stop: strList(a, 'gen_ai.request.stop_sequences'),
    seed: num(a, 'gen_ai.request.seed') ?? num(a, 'gen_ai.openai.request.seed'),
    frequencyPenalty: num(a, 'gen_ai.request.frequency_penalty'),
    presencePenalty: num(a, 'gen_ai.request.presence_penalty'),
    n: num(a, 'gen_ai.request.choice.count'),
    reasoningEffort: str(a, 'gen_ai.request.reasoning_effort') ?? str(a, 'gen_ai.openai.request.reasoning_effort'),
  };
  const thinkingBudget = num(a, 'gen_ai.request.thinking.budget_tokens');
  if (thinkingBudget !== undefined) {
    p.extra = { thinking: { type: str(a, 'gen_ai.request.thinking_type') ?? 'enabled', budget_tokens: thinkingBudget } };
  }
  return p;
}

function genAiUsage(input: SpanInput, provider: string | undefined): Usage {
  const a = input.ctx.attrs;
  return {
    inputTokens: num(a, 'gen_ai.usage.input_tokens'),
    outputTokens: num(a, 'gen_ai.usage.output_tokens'),
    totalTokens: num(a, 'gen_ai.usage.total_tokens'),
    cacheReadTokens: num(a, 'gen_ai.usage.cache_read.input_tokens') ?? num(a, 'gen_ai.usage.cache_read_input_tokens'),
    cacheWriteTokens: num(a, 'gen_ai.usage.cache_creation.input_tokens') ?? num(a, 'gen_ai.usage.cache_creation_input_tokens'),
    reasoningTokens: num(a, 'gen_ai.usage.reasoning.output_tokens') ?? num(a, 'gen_ai.usage.reasoning_tokens'),
    inputIncludesCache: !anthropicNativeCounts(input, provider),
  };
}

/** The semconv says input tokens include cache reads/writes, but Traceloop's Anthropic
 *  instrumentation copies Anthropic's own `usage.input_tokens`, which excludes them. */
export function anthropicNativeCounts(input: SpanInput, provider: string | undefined): boolean {
  return provider === 'anthropic' && input.scopeName.startsWith('@traceloop/');
}
