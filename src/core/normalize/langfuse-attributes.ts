// Langfuse SDK span attributes (langfuse.observation.*): a GENERATION observation is a model call
// whose input/output are whatever JSON the application passed (often provider-format messages).
// Langfuse records cost itself, so cost_details.total is taken as recorded.
import type { Attributes, ModelParameters, SpanIo, SpanKind } from '../model/trace';
import { isRecord, jsonAttr, looseValue, str, toNumber, tryParseJson } from './attribute-readers';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage, withVersion } from './llm-reading';
import {
  looseMessages,
  outputFromMessages,
  responseFormatFrom,
  toolChoiceFrom,
  toolDefinitions,
} from './message-parts';

export const LANGFUSE = 'langfuse';

const TYPE_KINDS: Record<string, SpanKind> = {
  generation: 'llm',
  embedding: 'embedding',
  tool: 'tool',
  agent: 'agent',
  chain: 'chain',
  retriever: 'retrieval',
  span: 'other',
  event: 'other',
  evaluator: 'other',
  guardrail: 'other',
};

const PARAMS: Record<string, keyof ModelParameters> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  max_output_tokens: 'maxTokens',
  maxTokens: 'maxTokens',
  top_p: 'topP',
  topP: 'topP',
  top_k: 'topK',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  n: 'n',
};
const NOT_EXTRA = new Set(['stream', 'tool_choice', 'response_format', 'stop', 'tools', 'reasoning_effort']);

export function langfuseType(attrs: Attributes): string | undefined {
  const t = attrs['langfuse.observation.type'];
  return typeof t === 'string' ? t.toLowerCase() : undefined;
}

export function langfuseKind(type: string): SpanKind | undefined {
  return TYPE_KINDS[type];
}

export function readLangfuse(input: SpanInput): LlmReading {
  const { ctx } = input;
  const a = ctx.attrs;
  const r: LlmReading = { convention: LANGFUSE };
  r.requestModel = str(a, 'langfuse.observation.model.name');
  const inputValue = jsonAttr(ctx, 'langfuse.observation.input');
  if (inputValue !== undefined) {
    const list = isRecord(inputValue) && Array.isArray(inputValue.messages) ? inputValue.messages : inputValue;
    r.messages = looseMessages(list);
    if (isRecord(inputValue) && Array.isArray(inputValue.tools)) r.tools = toolDefinitions(inputValue.tools);
  }
  const outputValue = jsonAttr(ctx, 'langfuse.observation.output');
  if (typeof outputValue === 'string') {
    r.outputText = outputValue;
  } else if (outputValue !== undefined) {
    const msgs = looseMessages(
      Array.isArray(outputValue)
        ? outputValue
        : [{ role: 'assistant', ...(isRecord(outputValue) ? outputValue : { content: outputValue }) }],
    ).map((m) => ({ ...m, role: 'assistant' as const }));
    const out = outputFromMessages(msgs);
    r.outputText = out.text;
    r.outputToolCalls = out.toolCalls;
    r.reasoning = out.reasoning;
  }
  const params = jsonAttr(ctx, 'langfuse.observation.model.parameters');
  if (isRecord(params)) applyParams(r, params);
  readUsage(r, ctx);
  const ttft = completionStart(a['langfuse.observation.completion_start_time']);
  if (ttft !== undefined) r.timeToFirstTokenMs = Math.max(0, ttft - input.startMs);
  const promptName = str(a, 'langfuse.observation.prompt.name');
  if (promptName)
    r.prompt = withVersion({ name: promptName, source: 'langfuse' }, str(a, 'langfuse.observation.prompt.version'));
  return r;
}

function applyParams(r: LlmReading, params: Record<string, unknown>): void {
  const p: ModelParameters = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const typed = PARAMS[k];
    // Langfuse SDKs stringify parameter values ("0.7"), so numbers are read leniently.
    if (typed && toNumber(v) !== undefined) (p as Record<string, unknown>)[typed] = toNumber(v);
    else if (!NOT_EXTRA.has(k)) extra[k] = v;
  }
  if (Array.isArray(params.stop)) p.stop = params.stop.map(String);
  if (typeof params.reasoning_effort === 'string') p.reasoningEffort = params.reasoning_effort;
  if (Object.keys(extra).length) p.extra = extra;
  r.parameters = compactParams(p);
  if (params.stream === true || params.stream === 'true') r.streamed = true;
  r.toolChoice = toolChoiceFrom(params.tool_choice);
  r.responseFormat = responseFormatFrom(params.response_format);
}

function readUsage(r: LlmReading, ctx: SpanInput['ctx']): void {
  const usage = jsonAttr(ctx, 'langfuse.observation.usage_details');
  if (isRecord(usage)) {
    const n = (k: string) => toNumber(usage[k]);
    // Anthropic-style keys mean the cache counts come on top of `input`.
    const anthropicStyle =
      usage.cache_read_input_tokens !== undefined || usage.cache_creation_input_tokens !== undefined;
    r.usage = compactUsage({
      inputTokens: n('input') ?? n('input_tokens') ?? n('prompt_tokens'),
      outputTokens: n('output') ?? n('output_tokens') ?? n('completion_tokens'),
      totalTokens: n('total') ?? n('total_tokens'),
      cacheReadTokens: n('cache_read_input_tokens') ?? n('input_cached_tokens') ?? n('input_cache_read'),
      cacheWriteTokens: n('cache_creation_input_tokens') ?? n('input_cache_creation'),
      reasoningTokens: n('output_reasoning_tokens') ?? n('output_reasoning'),
      inputIncludesCache: !anthropicStyle,
    });
  }
  const cost = jsonAttr(ctx, 'langfuse.observation.cost_details');
  if (isRecord(cost)) {
    const total = toNumber(cost.total);
    if (total !== undefined) r.costUsd = total;
    else {
      const parts = Object.values(cost)
        .map(toNumber)
        .filter((x): x is number => x !== undefined);
      if (parts.length) r.costUsd = parts.reduce((s, x) => s + x, 0);
    }
  }
}

/** completion_start_time is an ISO time, which the Langfuse SDKs JSON-encode (quotes included). */
function completionStart(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  let text = v;
  if (text.startsWith('"')) {
    const parsed = tryParseJson(text);
    if (parsed.ok && typeof parsed.value === 'string') text = parsed.value;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export function langfuseIo(input: SpanInput): SpanIo | undefined {
  const { ctx } = input;
  const a = ctx.attrs;
  const io: SpanIo = {};
  if (a['langfuse.observation.input'] !== undefined)
    io.input = looseValue(ctx, 'langfuse.observation.input', a['langfuse.observation.input']);
  if (a['langfuse.observation.output'] !== undefined)
    io.output = looseValue(ctx, 'langfuse.observation.output', a['langfuse.observation.output']);
  return io.input === undefined && io.output === undefined ? undefined : io;
}
