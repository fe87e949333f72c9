// The CLI's JSON output is a stable, documented interface (README "CLI"). These functions are the
// only place that shapes it, so a model change cannot silently change what scripts consume.
import type { LlmCall, Message, Span, ToolCallPart, Trace, TraceSummary } from '../core/model/trace';
import { isoTime } from '../core/model/time';

export interface TraceListItemJson {
  id: string;
  name: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  llmSpanCount: number;
  models: string[];
}

export function traceSummaryJson(s: TraceSummary): TraceListItemJson {
  return {
    id: s.id,
    name: s.name,
    startTime: isoTime(s.startTime),
    durationMs: round(s.durationMs),
    spanCount: s.spanCount,
    llmSpanCount: s.llmSpanCount,
    models: s.models,
  };
}

export interface ToolCallJson {
  id?: string;
  name: string;
  arguments: unknown;
}

export interface MessageJson {
  role: string;
  content: string;
  toolCalls?: ToolCallJson[];
  toolCallId?: string;
}

export interface LlmJson {
  provider?: string;
  api: string;
  requestModel?: string;
  responseModel?: string;
  messages: MessageJson[];
  tools: { name: string; description?: string; parameters?: Record<string, unknown> }[];
  toolChoice?: unknown;
  responseFormat?: unknown;
  parameters: Record<string, unknown>;
  output: { content: string; toolCalls?: ToolCallJson[]; finishReason?: string };
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens?: number;
    cacheWriteTokens?: number;
    reasoningTokens?: number;
  };
  costUsd?: number;
  timeToFirstTokenMs?: number;
  prompt?: { name?: string; version?: string; template?: unknown; variables?: Record<string, unknown> };
}

export interface SpanJson {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
  startTime: string;
  endTime: string;
  durationMs: number;
  status: string;
  llm?: LlmJson;
}

export interface TraceJson {
  id: string;
  name: string;
  startTime: string;
  endTime: string;
  durationMs: number;
  replayOf?: { originalTraceId: string; replayId: string };
  spans: SpanJson[];
}

export function traceJson(trace: Trace): TraceJson {
  return {
    id: trace.id,
    name: trace.name,
    startTime: isoTime(trace.startTime),
    endTime: isoTime(trace.endTime),
    durationMs: round(trace.endTime - trace.startTime),
    ...(trace.replayOf ? { replayOf: trace.replayOf } : {}),
    spans: trace.spans.map(spanJson),
  };
}

function spanJson(span: Span): SpanJson {
  return {
    id: span.id,
    parentId: span.parentId ?? null,
    name: span.name,
    kind: span.kind,
    startTime: isoTime(span.startTime),
    endTime: isoTime(span.endTime),
    durationMs: round(span.endTime - span.startTime),
    status: span.status.code,
    ...(span.kind === 'llm' && span.llm ? { llm: llmJson(span.llm) } : {}),
  };
}

function llmJson(llm: LlmCall): LlmJson {
  const p = llm.parameters;
  const parameters = dropUndefined({
    temperature: p.temperature,
    maxTokens: p.maxTokens,
    topP: p.topP,
    topK: p.topK,
    stop: p.stop,
    seed: p.seed,
    frequencyPenalty: p.frequencyPenalty,
    presencePenalty: p.presencePenalty,
    n: p.n,
    reasoningEffort: p.reasoningEffort,
    ...(p.extra ?? {}),
  });
  const u = llm.usage;
  return dropUndefined({
    provider: llm.provider,
    api: llm.api,
    requestModel: llm.requestModel,
    responseModel: llm.responseModel,
    messages: llm.messages.map(messageJson),
    tools: llm.tools ?? [],
    toolChoice: llm.toolChoice,
    responseFormat: llm.responseFormat,
    parameters,
    output: dropUndefined({
      content: llm.output.text,
      toolCalls: llm.output.toolCalls.length ? llm.output.toolCalls.map(toolCallJson) : undefined,
      finishReason: llm.output.finishReason,
    }) as LlmJson['output'],
    usage: dropUndefined({
      inputTokens: u?.inputTokens ?? 0,
      outputTokens: u?.outputTokens ?? 0,
      cacheReadTokens: u?.cacheReadTokens,
      cacheWriteTokens: u?.cacheWriteTokens,
      reasoningTokens: u?.reasoningTokens,
    }) as LlmJson['usage'],
    costUsd: llm.costUsd,
    timeToFirstTokenMs: llm.timeToFirstTokenMs,
    prompt: llm.prompt
      ? dropUndefined({
          name: llm.prompt.name,
          version: llm.prompt.version,
          template: llm.prompt.template,
          variables: llm.prompt.variables,
        })
      : undefined,
  }) as LlmJson;
}

export function messageText(message: Message): string {
  return message.parts
    .map((p) => (p.type === 'text' ? p.text : p.type === 'tool_result' ? p.content : ''))
    .filter(Boolean)
    .join('\n');
}

function messageJson(message: Message): MessageJson {
  const calls = message.parts.filter((p): p is ToolCallPart => p.type === 'tool_call');
  const result = message.parts.find((p) => p.type === 'tool_result');
  return dropUndefined({
    role: message.role,
    content: messageText(message),
    toolCalls: calls.length ? calls.map(toolCallJson) : undefined,
    toolCallId: result?.type === 'tool_result' ? result.toolCallId : undefined,
  }) as MessageJson;
}

function toolCallJson(call: ToolCallPart): ToolCallJson {
  return dropUndefined({ id: call.id, name: call.name, arguments: call.arguments }) as ToolCallJson;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
