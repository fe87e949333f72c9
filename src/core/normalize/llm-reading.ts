// What one convention could read about an LLM call, and how several such readings of the same
// span are merged: richest message list and tool list win, scalars come from the first reading
// (in convention priority order) that has them, usage comes whole from one reading so that
// counts with different cache semantics are never mixed.
import type {
  LlmApi,
  LlmCall,
  Message,
  ModelParameters,
  PromptLink,
  ResponseFormat,
  SpanEvent,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  Usage,
} from '../model/trace';
import type { ReadContext } from './attribute-readers';
import { messageWeight } from './message-parts';

export interface SpanInput {
  ctx: ReadContext;
  name: string;
  scopeName: string;
  events: SpanEvent[];
  /** Span start, epoch ms (for times recorded as absolute timestamps). */
  startMs: number;
}

export interface LlmReading {
  convention: string;
  provider?: string;
  api?: LlmApi;
  requestModel?: string;
  responseModel?: string;
  messages?: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  parameters?: ModelParameters;
  outputText?: string;
  outputToolCalls?: ToolCallPart[];
  finishReason?: string;
  reasoning?: string;
  usage?: Usage;
  costUsd?: number;
  timeToFirstTokenMs?: number;
  streamed?: boolean;
  responseId?: string;
  prompt?: PromptLink;
}

type Scalar =
  | 'provider'
  | 'requestModel'
  | 'responseModel'
  | 'toolChoice'
  | 'responseFormat'
  | 'outputText'
  | 'finishReason'
  | 'reasoning'
  | 'costUsd'
  | 'timeToFirstTokenMs'
  | 'streamed'
  | 'responseId';

function first<K extends Scalar>(readings: LlmReading[], key: K): LlmReading[K] {
  for (const r of readings) {
    const v = r[key];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

export function mergeReadings(readings: LlmReading[]): LlmCall {
  let messages: Message[] = [];
  let bestWeight = -1;
  let tools: ToolDefinition[] | undefined;
  let toolCalls: ToolCallPart[] = [];
  let api: LlmApi = 'unknown';
  for (const r of readings) {
    const w = messageWeight(r.messages);
    if (r.messages && w > bestWeight) {
      messages = r.messages;
      bestWeight = w;
    }
    if (r.tools && r.tools.length > (tools?.length ?? 0)) tools = r.tools;
    if (r.outputToolCalls && r.outputToolCalls.length > toolCalls.length) toolCalls = r.outputToolCalls;
    if (api === 'unknown' && r.api && r.api !== 'unknown') api = r.api;
  }
  const call: LlmCall = {
    api,
    messages,
    parameters: mergeParameters(readings),
    output: { text: first(readings, 'outputText') ?? '', toolCalls },
  };
  assign(call, 'provider', first(readings, 'provider'));
  assign(call, 'requestModel', first(readings, 'requestModel'));
  assign(call, 'responseModel', first(readings, 'responseModel'));
  assign(call, 'tools', tools);
  assign(call, 'toolChoice', first(readings, 'toolChoice'));
  assign(call, 'responseFormat', first(readings, 'responseFormat'));
  assign(call.output, 'finishReason', first(readings, 'finishReason'));
  assign(call.output, 'reasoning', first(readings, 'reasoning'));
  assign(call, 'usage', mergeUsage(readings));
  assign(call, 'costUsd', first(readings, 'costUsd'));
  assign(call, 'timeToFirstTokenMs', first(readings, 'timeToFirstTokenMs'));
  assign(call, 'streamed', first(readings, 'streamed'));
  assign(call, 'responseId', first(readings, 'responseId'));
  assign(call, 'prompt', mergePrompt(readings));
  return call;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function mergeParameters(readings: LlmReading[]): ModelParameters {
  const out: ModelParameters = {};
  let extra: Record<string, unknown> | undefined;
  for (const r of readings) {
    const p = r.parameters;
    if (!p) continue;
    for (const k of Object.keys(p) as (keyof ModelParameters)[]) {
      if (k === 'extra') continue;
      if (out[k] === undefined && p[k] !== undefined) (out as Record<string, unknown>)[k] = p[k];
    }
    if (p.extra) {
      extra ??= {};
      for (const [k, v] of Object.entries(p.extra)) if (!(k in extra)) extra[k] = v;
    }
  }
  if (extra && Object.keys(extra).length) out.extra = extra;
  return out;
}

function hasCounts(u: Usage): boolean {
  return u.inputTokens !== undefined || u.outputTokens !== undefined || u.totalTokens !== undefined;
}

function mergeUsage(readings: LlmReading[]): Usage | undefined {
  const base = readings.find((r) => r.usage && hasCounts(r.usage))?.usage;
  if (!base) return undefined;
  const out: Usage = { ...base };
  for (const r of readings) {
    const u = r.usage;
    if (!u || u === base || u.inputIncludesCache !== base.inputIncludesCache) continue;
    for (const k of [
      'inputTokens',
      'outputTokens',
      'totalTokens',
      'cacheReadTokens',
      'cacheWriteTokens',
      'reasoningTokens',
    ] as const) {
      if (out[k] === undefined && u[k] !== undefined) out[k] = u[k];
    }
  }
  return out;
}

function mergePrompt(readings: LlmReading[]): PromptLink | undefined {
  let out: PromptLink | undefined;
  for (const r of readings) {
    if (!r.prompt) continue;
    out ??= {};
    for (const [k, v] of Object.entries(r.prompt) as [keyof PromptLink, unknown][]) {
      if (out[k] === undefined && v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** Parameters object with undefined fields dropped, or undefined when nothing was recorded. */
export function compactParams(p: ModelParameters): ModelParameters | undefined {
  const out: ModelParameters = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** Usage with undefined counts dropped, or undefined when no count was recorded. */
export function compactUsage(u: Usage): Usage | undefined {
  const out: Usage = { inputIncludesCache: u.inputIncludesCache };
  for (const [k, v] of Object.entries(u)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return hasCounts(out) || out.cacheReadTokens !== undefined ? out : undefined;
}

/** A prompt link with its version set only when one was recorded. */
export function withVersion(link: PromptLink, version: string | undefined): PromptLink {
  if (version !== undefined) link.version = version;
  return link;
}
