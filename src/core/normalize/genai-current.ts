// OpenTelemetry GenAI semantic conventions, current form: gen_ai.input.messages /
// gen_ai.output.messages / gen_ai.system_instructions as JSON (or structured AnyValue) lists of
// typed parts, gen_ai.provider.name, gen_ai.usage.* with the cache counts included in input.
// In event mode the same attributes come on `gen_ai.client.inference.operation.details` events
// (OTLP log records the store joins to their span): they fill in what the span attributes lack.
import type { AttrValue, Attributes, Message, ModelParameters, SpanEvent, Usage } from '../model/trace';
import { bool, isRecord, jsonAttr, num, str, strList, tryParseJson, type ReadContext } from './attribute-readers';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage, withVersion } from './llm-reading';
import {
  looseMessages,
  outputFromMessages,
  responseFormatFrom,
  systemInstructionMessage,
  toolDefinitions,
} from './message-parts';
import { normalizeProvider } from './provider-api';

export const GENAI = 'gen_ai';

/** True when the span carries attributes only the current semconv defines. */
export function hasGenAiCurrent(attrs: Attributes): boolean {
  return (
    attrs['gen_ai.operation.name'] !== undefined ||
    attrs['gen_ai.provider.name'] !== undefined ||
    attrs['gen_ai.input.messages'] !== undefined ||
    attrs['gen_ai.output.messages'] !== undefined ||
    attrs['gen_ai.usage.input_tokens'] !== undefined ||
    attrs['gen_ai.request.model'] !== undefined
  );
}

export const INFERENCE_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';
const OUTPUT_MESSAGES = 'gen_ai.output.messages';

/** The gen_ai.* attributes of the span's inference-details events (from the event attributes, or
 *  from a kvlist body), first event first; output messages of several events (one per output item
 *  when streaming) are concatenated. Undefined when the span has no such event. */
export function inferenceDetailsAttributes(ctx: ReadContext, events: readonly SpanEvent[]): Attributes | undefined {
  let out: Attributes | undefined;
  const outputs: AttrValue[] = [];
  for (const e of events) {
    if (e.name !== INFERENCE_DETAILS_EVENT) continue;
    out ??= {};
    const body = e.attributes['event.body'];
    const seen = new Set<string>();
    for (const source of [e.attributes, isRecord(body) ? body : {}]) {
      for (const [key, value] of Object.entries(source)) {
        if (!key.startsWith('gen_ai.') || value === null || value === undefined || seen.has(key)) continue;
        seen.add(key);
        if (key === OUTPUT_MESSAGES) outputs.push(value);
        else if (!(key in out)) out[key] = value;
      }
    }
  }
  if (out && outputs.length === 1) out[OUTPUT_MESSAGES] = outputs[0];
  else if (out && outputs.length > 1) out[OUTPUT_MESSAGES] = outputs.flatMap((v) => messageList(ctx, v));
  return out;
}

function messageList(ctx: ReadContext, v: AttrValue): AttrValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    const parsed = tryParseJson(v);
    if (parsed.ok && Array.isArray(parsed.value)) return parsed.value as AttrValue[];
    ctx.warnings.push(`event ${INFERENCE_DETAILS_EVENT} ${OUTPUT_MESSAGES}: not a JSON list of messages, left out`);
    return [];
  }
  return isRecord(v) ? [v] : [];
}

export function readGenAiCurrent(spanInput: SpanInput): LlmReading {
  // Span attributes win over the event attributes where both exist.
  const details = inferenceDetailsAttributes(spanInput.ctx, spanInput.events);
  const input: SpanInput = details
    ? { ...spanInput, ctx: { attrs: { ...details, ...spanInput.ctx.attrs }, warnings: spanInput.ctx.warnings } }
    : spanInput;
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
  const sys = systemInstructionMessage(systemInstructions(ctx));
  const inputMessages = jsonAttr(ctx, 'gen_ai.input.messages');
  const inputList = inputMessages !== undefined ? looseMessages(inputMessages) : [];
  // @opentelemetry/instrumentation-openai records the instructions both here and as the first input message.
  if (sys && !(inputList[0]?.role === 'system' && sameText(inputList[0], sys))) messages.push(sys);
  messages.push(...inputList);
  if (messages.length) r.messages = messages;

  const outputMessages = jsonAttr(ctx, 'gen_ai.output.messages');
  const finishReasons = strList(a, 'gen_ai.response.finish_reasons');
  let finish = finishReasons?.[0];
  if (outputMessages !== undefined) {
    if (Array.isArray(outputMessages)) {
      const fr = outputMessages.find((m) => typeof m === 'object' && m !== null && 'finish_reason' in m) as
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
  r.responseFormat =
    responseFormatFrom(str(a, 'gen_ai.openai.request.response_format')) ??
    (str(a, 'gen_ai.output.type') === 'json' ? { type: 'json_object' } : undefined);

  r.parameters = compactParams(genAiRequestParams(a));
  r.usage = compactUsage(genAiUsage(input, r.provider));
  r.costUsd = num(a, 'gen_ai.usage.cost');
  // OpenLLMetry (Python) records a streamed call as gen_ai.is_streaming.
  r.streamed = bool(a, 'gen_ai.request.stream') ?? streamedByAttributes(a);
  const ttft = num(a, 'gen_ai.response.time_to_first_chunk') ?? num(a, 'gen_ai.client.operation.time_to_first_chunk');
  if (ttft !== undefined) r.timeToFirstTokenMs = ttft * 1000;

  const promptName = str(a, 'gen_ai.prompt.name');
  if (promptName) r.prompt = withVersion({ name: promptName, source: 'semconv' }, str(a, 'gen_ai.prompt.version'));
  return r;
}

/** A streamed call as instrumentations without gen_ai.request.stream record it: OpenLLMetry
 *  (Python) sets gen_ai.is_streaming, the OTel google-genai instrumentation names the SDK method
 *  (code.function.name google.genai.Models.generate_content_stream). */
export function streamedByAttributes(a: Attributes): true | undefined {
  if (bool(a, 'gen_ai.is_streaming') === true) return true;
  const fn = str(a, 'code.function.name');
  return fn !== undefined && /^google\.genai\..*_stream$/.test(fn) ? true : undefined;
}

/** gen_ai.system_instructions: a list of parts (JSON or structured), or plain text as
 *  @opentelemetry/instrumentation-openai records it. */
function systemInstructions(ctx: ReadContext): unknown {
  const v = ctx.attrs['gen_ai.system_instructions'];
  if (typeof v === 'string' && !/^\s*[[{"]/.test(v)) return v;
  return jsonAttr(ctx, 'gen_ai.system_instructions');
}

function sameText(a: Message, b: Message): boolean {
  const text = (m: Message): string => m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  return text(a) === text(b);
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
    p.extra = {
      thinking: { type: str(a, 'gen_ai.request.thinking_type') ?? 'enabled', budget_tokens: thinkingBudget },
    };
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
    cacheWriteTokens:
      num(a, 'gen_ai.usage.cache_creation.input_tokens') ?? num(a, 'gen_ai.usage.cache_creation_input_tokens'),
    reasoningTokens: num(a, 'gen_ai.usage.reasoning.output_tokens') ?? num(a, 'gen_ai.usage.reasoning_tokens'),
    inputIncludesCache: !anthropicNativeCounts(input, provider),
  };
}

/** The semconv says input tokens include cache reads/writes, but Traceloop's Anthropic
 *  instrumentation copies Anthropic's own `usage.input_tokens`, which excludes them. */
export function anthropicNativeCounts(input: SpanInput, provider: string | undefined): boolean {
  return provider === 'anthropic' && input.scopeName.startsWith('@traceloop/');
}
