// Sends a replayed trace to Langfuse over POST /api/public/otel/v1/traces (OTLP/JSON), with the
// `langfuse.observation.*` attributes Langfuse reads (type, input/output, model, usage, cost,
// parameters, prompt) derived from the normalized spans, and linked to the original trace by trace
// metadata and tags, so the project's Langfuse evaluators score the replay too.
import { snakeCaseParameters } from '../../model/parameter-names';
import type { Attributes, LlmCall, Message, ModelParameters, Span, SpanKind, Trace } from '../../model/trace';
import { encodeOtlpJson, otlpTraceId, type OtlpExportTraceRequest } from '../../otlp/encode-otlp-json';
import type { LangfuseClient } from './langfuse-client';

export const REPLAY_TAG = 'trace-replay';

export interface WritebackOptions {
  /** Added after 'trace-replay'. */
  tags?: string[];
  environment?: string;
}

export interface WritebackResult {
  /** The id Langfuse files the trace under (the OTLP trace id), for reading its scores later. */
  langfuseTraceId: string;
  spanCount: number;
}

const TYPES: Record<SpanKind, string> = {
  llm: 'generation',
  tool: 'tool',
  retrieval: 'retriever',
  embedding: 'embedding',
  agent: 'agent',
  chain: 'chain',
  other: 'span',
};

/** A message in OpenAI chat shape, which Langfuse renders as a conversation. */
function chatMessage(m: Message): Record<string, unknown> {
  const texts: string[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  const other: unknown[] = [];
  let toolResult: { id?: string; content: string } | undefined;
  for (const p of m.parts) {
    if (p.type === 'text') texts.push(p.text);
    else if (p.type === 'tool_call')
      toolCalls.push({
        id: p.id,
        type: 'function',
        function: {
          name: p.name,
          arguments: typeof p.arguments === 'string' ? p.arguments : JSON.stringify(p.arguments),
        },
      });
    else if (p.type === 'tool_result') toolResult = { id: p.toolCallId, content: p.content };
    else if (p.type === 'image')
      other.push({
        type: 'image_url',
        image_url: { url: p.url ?? `data:${p.mediaType ?? 'image/png'};base64,${p.data ?? ''}` },
      });
    else if (p.type === 'reasoning') other.push({ type: 'reasoning', text: p.text });
    else other.push(p.value);
  }
  if (toolResult) return { role: 'tool', tool_call_id: toolResult.id, content: toolResult.content };
  const out: Record<string, unknown> = { role: m.role };
  out.content = other.length ? [...texts.map((text) => ({ type: 'text', text })), ...other] : texts.join('');
  if (toolCalls.length) out.tool_calls = toolCalls;
  if (m.name) out.name = m.name;
  return out;
}

function modelParameters(p: ModelParameters): Record<string, unknown> | undefined {
  const out = snakeCaseParameters(p);
  return Object.keys(out).length ? out : undefined;
}

/** Langfuse's usage model: `input` is the uncached part; cache reads/writes are their own keys. */
export function usageDetails(call: LlmCall): Record<string, number> | undefined {
  const u = call.usage;
  if (!u) return undefined;
  const out: Record<string, number> = {};
  const cacheRead = u.cacheReadTokens ?? 0;
  const cacheWrite = u.cacheWriteTokens ?? 0;
  if (u.inputTokens !== undefined)
    out.input = Math.max(0, u.inputIncludesCache ? u.inputTokens - cacheRead - cacheWrite : u.inputTokens);
  if (u.outputTokens !== undefined) out.output = u.outputTokens;
  if (u.cacheReadTokens !== undefined) out.cache_read_input_tokens = u.cacheReadTokens;
  if (u.cacheWriteTokens !== undefined) out.cache_creation_input_tokens = u.cacheWriteTokens;
  if (u.totalTokens !== undefined) out.total = u.totalTokens;
  else if (out.input !== undefined || out.output !== undefined)
    out.total = (out.input ?? 0) + cacheRead + cacheWrite + (out.output ?? 0);
  return Object.keys(out).length ? out : undefined;
}

function llmAttributes(span: Span, call: LlmCall): Attributes {
  const a: Attributes = {};
  const messages = call.messages.map(chatMessage);
  const tools = call.tools?.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
  a['langfuse.observation.input'] = JSON.stringify(tools?.length ? { messages, tools } : messages);
  a['langfuse.observation.output'] = JSON.stringify(
    chatMessage({
      role: 'assistant',
      parts: [
        ...(call.output.text ? [{ type: 'text' as const, text: call.output.text }] : []),
        ...call.output.toolCalls,
      ],
    }),
  );
  const model = call.responseModel ?? call.requestModel;
  if (model) a['langfuse.observation.model.name'] = model;
  const params = modelParameters(call.parameters);
  if (params) a['langfuse.observation.model.parameters'] = JSON.stringify(params);
  const usage = usageDetails(call);
  if (usage) a['langfuse.observation.usage_details'] = JSON.stringify(usage);
  if (call.costUsd !== undefined) a['langfuse.observation.cost_details'] = JSON.stringify({ total: call.costUsd });
  if (call.prompt?.name) a['langfuse.observation.prompt.name'] = call.prompt.name;
  const version = call.prompt?.version !== undefined ? Number(call.prompt.version) : NaN;
  if (Number.isInteger(version)) a['langfuse.observation.prompt.version'] = version;
  if (call.timeToFirstTokenMs !== undefined) {
    a['langfuse.observation.completion_start_time'] = JSON.stringify(
      new Date(span.startTime + call.timeToFirstTokenMs).toISOString(),
    );
  }
  return a;
}

function spanAttributes(trace: Trace, span: Span, roots: Set<string>, options: WritebackOptions): Attributes {
  const a: Attributes = { 'langfuse.observation.type': TYPES[span.kind] };
  if (span.kind === 'llm' && span.llm) Object.assign(a, llmAttributes(span, span.llm));
  else if (span.io) {
    if (span.io.input !== undefined) a['langfuse.observation.input'] = JSON.stringify(span.io.input);
    if (span.io.output !== undefined) a['langfuse.observation.output'] = JSON.stringify(span.io.output);
  }
  if (span.status.code === 'error') {
    a['langfuse.observation.level'] = 'ERROR';
    if (span.status.message) a['langfuse.observation.status_message'] = span.status.message;
  }
  if (span.replay) {
    a['langfuse.observation.metadata.replay_status'] = span.replay.status;
    a['langfuse.observation.metadata.original_span_id'] = span.replay.originalSpanId;
  }
  if (options.environment) a['langfuse.environment'] = options.environment;
  if (roots.has(span.id)) {
    a['langfuse.trace.name'] = trace.name;
    a['langfuse.trace.tags'] = [REPLAY_TAG, ...(options.tags ?? [])];
    if (trace.replayOf) {
      a['langfuse.trace.metadata.replay_of'] = trace.replayOf.originalTraceId;
      a['langfuse.trace.metadata.replay_id'] = trace.replayOf.replayId;
    }
  }
  return a;
}

export function buildWritebackBody(trace: Trace, options: WritebackOptions = {}): OtlpExportTraceRequest {
  const ids = new Set(trace.spans.map((s) => s.id));
  const roots = new Set(trace.spans.filter((s) => !s.parentId || !ids.has(s.parentId)).map((s) => s.id));
  return encodeOtlpJson(trace, {
    extraAttributes: (span) => spanAttributes(trace, span, roots, options),
    resource: { 'service.name': trace.serviceName ?? 'trace-replay' },
  });
}

export async function writeBackTrace(
  client: LangfuseClient,
  trace: Trace,
  options: WritebackOptions = {},
): Promise<WritebackResult> {
  await client.exportTraces(buildWritebackBody(trace, options));
  return { langfuseTraceId: otlpTraceId(trace.id), spanCount: trace.spans.length };
}
