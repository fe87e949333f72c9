// Vercel AI SDK telemetry (the ai.* attributes). Only the provider-call spans
// (ai.generateText.doGenerate, ai.streamText.doStream, ai.generateObject.doGenerate,
// ai.streamObject.doStream) are model calls; ai.generateText & co. wrap them and repeat their
// usage, so they are read as chains with plain input/output.
import type { Attributes, ModelParameters, SpanEvent, SpanIo, SpanKind, ToolCallPart } from '../model/trace';
import { isRecord, jsonAttr, looseValue, num, parseArguments, recStr, str, toNumber } from './attribute-readers';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage, withVersion } from './llm-reading';
import { looseMessages, responseFormatFrom, toolChoiceFrom, toolDefinitions } from './message-parts';
import { normalizeProvider } from './provider-api';

export const VERCEL_AI = 'vercel_ai';

const LLM_OPS = new Set([
  'ai.generateText.doGenerate',
  'ai.streamText.doStream',
  'ai.generateObject.doGenerate',
  'ai.streamObject.doStream',
]);
const WRAPPER_OPS = new Set(['ai.generateText', 'ai.streamText', 'ai.generateObject', 'ai.streamObject']);

const SETTINGS: Record<string, keyof ModelParameters> = {
  maxOutputTokens: 'maxTokens',
  maxTokens: 'maxTokens',
  temperature: 'temperature',
  topP: 'topP',
  topK: 'topK',
  frequencyPenalty: 'frequencyPenalty',
  presencePenalty: 'presencePenalty',
  seed: 'seed',
};
/** Call settings that steer the SDK rather than the model. */
const SDK_SETTINGS = new Set(['maxRetries', 'timeout', 'output', 'mode', 'stopSequences', 'maxSteps', 'headers']);

/** The AI SDK operation of a span, or undefined when it is not an AI SDK span. */
export function vercelOperation(attrs: Attributes, name: string): string | undefined {
  const op = attrs['ai.operationId'];
  if (typeof op === 'string') return op;
  return name.startsWith('ai.') &&
    (LLM_OPS.has(name) ||
      WRAPPER_OPS.has(name) ||
      name === 'ai.toolCall' ||
      name.startsWith('ai.embed') ||
      name.startsWith('ai.rerank'))
    ? name
    : undefined;
}

export function vercelKind(op: string): SpanKind {
  if (LLM_OPS.has(op)) return 'llm';
  if (op === 'ai.toolCall') return 'tool';
  if (op.startsWith('ai.embed')) return 'embedding';
  if (op.startsWith('ai.rerank')) return 'retrieval';
  return 'chain';
}

export function readVercel(input: SpanInput, op: string): LlmReading {
  const { ctx } = input;
  const a = ctx.attrs;
  const r: LlmReading = { convention: VERCEL_AI };
  const prov = normalizeProvider(str(a, 'ai.model.provider'));
  r.provider = prov.provider;
  if (prov.api) r.api = prov.api;
  r.requestModel = str(a, 'ai.model.id');
  r.responseModel = str(a, 'ai.response.model');
  r.responseId = str(a, 'ai.response.id');
  const messages = jsonAttr(ctx, 'ai.prompt.messages');
  if (messages !== undefined) r.messages = looseMessages(messages);
  const tools = a['ai.prompt.tools'];
  if (tools !== undefined)
    r.tools = toolDefinitions(typeof tools === 'string' ? jsonAttr(ctx, 'ai.prompt.tools') : tools);
  const choice = jsonAttr(ctx, 'ai.prompt.toolChoice');
  if (choice !== undefined) r.toolChoice = toolChoiceFrom(choice);
  r.responseFormat = vercelResponseFormat(input);

  r.outputText = str(a, 'ai.response.text') ?? str(a, 'ai.response.object');
  const calls = jsonAttr(ctx, 'ai.response.toolCalls');
  if (Array.isArray(calls)) r.outputToolCalls = calls.filter(isRecord).map(vercelToolCall);
  r.finishReason = str(a, 'ai.response.finishReason');
  r.reasoning = str(a, 'ai.response.reasoning') || undefined;

  const inputTokens = num(a, 'ai.usage.inputTokens');
  const promptTokens = num(a, 'ai.usage.promptTokens');
  r.usage = compactUsage({
    inputTokens: inputTokens ?? promptTokens,
    outputTokens: num(a, 'ai.usage.outputTokens') ?? num(a, 'ai.usage.completionTokens'),
    totalTokens: num(a, 'ai.usage.totalTokens'),
    cacheReadTokens: num(a, 'ai.usage.inputTokenDetails.cacheReadTokens') ?? num(a, 'ai.usage.cachedInputTokens'),
    cacheWriteTokens: num(a, 'ai.usage.inputTokenDetails.cacheWriteTokens'),
    reasoningTokens: num(a, 'ai.usage.outputTokenDetails.reasoningTokens') ?? num(a, 'ai.usage.reasoningTokens'),
    // SDK v5+ reports inputTokens as the total; v4's promptTokens passed Anthropic's own count through.
    inputIncludesCache: inputTokens !== undefined || r.provider !== 'anthropic',
  });
  r.parameters = compactParams(vercelSettings(a));
  if (op.endsWith('doStream')) r.streamed = true;
  r.timeToFirstTokenMs = num(a, 'ai.response.msToFirstChunk') ?? firstChunkMs(input.events);
  const lfPrompt = jsonAttr(ctx, 'ai.telemetry.metadata.langfusePrompt');
  if (isRecord(lfPrompt) && typeof lfPrompt.name === 'string') {
    r.prompt = withVersion({ name: lfPrompt.name, source: 'vercel' }, recStr(lfPrompt, 'version'));
  }
  return r;
}

function vercelToolCall(tc: Record<string, unknown>): ToolCallPart {
  const id = recStr(tc, 'toolCallId');
  return {
    type: 'tool_call',
    ...(id ? { id } : {}),
    name: recStr(tc, 'toolName') ?? '',
    arguments: parseArguments(tc.input ?? tc.args),
  };
}

function vercelSettings(a: Attributes): ModelParameters {
  const p: ModelParameters = {};
  const extra: Record<string, unknown> = {};
  for (const key in a) {
    if (!key.startsWith('ai.settings.')) continue;
    const name = key.slice(12);
    const typed = SETTINGS[name];
    if (typed && toNumber(a[key]) !== undefined) (p as Record<string, unknown>)[typed] = toNumber(a[key]);
    else if (name === 'stopSequences' && Array.isArray(a[key])) p.stop = (a[key] as unknown[]).map(String);
    else if (!SDK_SETTINGS.has(name) && !name.startsWith('providerOptions')) extra[name] = a[key];
  }
  if (Object.keys(extra).length) p.extra = extra;
  return p;
}

function vercelResponseFormat(input: SpanInput) {
  const a = input.ctx.attrs;
  const schema = a['ai.schema'] !== undefined ? jsonAttr(input.ctx, 'ai.schema') : undefined;
  if (isRecord(schema)) {
    return responseFormatFrom({ type: 'json_schema', name: str(a, 'ai.schema.name'), schema });
  }
  return str(a, 'ai.settings.output') === 'no-schema' ? responseFormatFrom('json_object') : undefined;
}

function firstChunkMs(events: SpanEvent[]): number | undefined {
  const e = events.find((ev) => ev.name === 'ai.stream.firstChunk');
  return e ? toNumber(e.attributes['ai.response.msToFirstChunk']) : undefined;
}

/** Tool name and io of an ai.toolCall span, or io of a wrapper / embedding span. */
export function vercelIo(input: SpanInput, op: string): { io?: SpanIo; toolName?: string } {
  const { ctx } = input;
  const a = ctx.attrs;
  if (op === 'ai.toolCall') {
    const io: SpanIo = {};
    if (a['ai.toolCall.args'] !== undefined) io.input = looseValue(ctx, 'ai.toolCall.args', a['ai.toolCall.args']);
    if (a['ai.toolCall.result'] !== undefined)
      io.output = looseValue(ctx, 'ai.toolCall.result', a['ai.toolCall.result']);
    return { io, toolName: str(a, 'ai.toolCall.name') };
  }
  const io: SpanIo = {};
  const inKey =
    a['ai.prompt'] !== undefined
      ? 'ai.prompt'
      : a['ai.value'] !== undefined
        ? 'ai.value'
        : a['ai.values'] !== undefined
          ? 'ai.values'
          : undefined;
  if (inKey) io.input = looseValue(ctx, inKey, a[inKey]);
  const outKey =
    a['ai.response.object'] !== undefined
      ? 'ai.response.object'
      : a['ai.response.text'] !== undefined
        ? 'ai.response.text'
        : undefined;
  if (outKey) io.output = looseValue(ctx, outKey, a[outKey]);
  return io.input === undefined && io.output === undefined ? {} : { io };
}
