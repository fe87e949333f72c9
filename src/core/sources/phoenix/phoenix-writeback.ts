// Sends a replayed trace to Phoenix over OTLP/HTTP (POST <base>/v1/traces, protobuf: Phoenix's
// receiver takes no JSON) into the connection's project (resource attribute
// openinference.project.name, Phoenix's rule). Every span carries OpenInference attributes derived
// from the normalized spans, so Phoenix shows replayed calls as LLM spans (model, messages, tools,
// invocation parameters, token counts); the root is tagged "trace-replay" (tag.tags) and linked to
// the original by metadata {"trace_replay": {"original_trace_id", "replay_id"}}. Ids are the OTLP
// ids encodeOtlpJson gives (otlpTraceId / otlpSpanId), so scores can be attached to the spans later.
import { snakeCaseParameters } from '../../model/parameter-names';
import type { Attributes, LlmCall, Message, Span, SpanKind, Trace } from '../../model/trace';
import { encodeOtlpJson, otlpTraceId, type OtlpExportTraceRequest } from '../../otlp/encode-otlp-json';
import { otlpProtoTypes } from '../../otlp/otlp-proto-schema';
import type { WriteBackOptions } from '../platform';

export const REPLAY_TAG = 'trace-replay';
export const PROJECT_ATTRIBUTE = 'openinference.project.name';

const KINDS: Record<SpanKind, string> = {
  llm: 'LLM',
  tool: 'TOOL',
  retrieval: 'RETRIEVER',
  embedding: 'EMBEDDING',
  agent: 'AGENT',
  chain: 'CHAIN',
  other: 'UNKNOWN',
};

/** OpenInference's message attributes (relative to llm.*_messages.N.). */
function messageAttributes(m: Message, prefix: string, a: Attributes): void {
  const toolResult = m.parts.find((p) => p.type === 'tool_result');
  if (toolResult?.type === 'tool_result') {
    a[`${prefix}message.role`] = 'tool';
    a[`${prefix}message.content`] = toolResult.content;
    if (toolResult.toolCallId) a[`${prefix}message.tool_call_id`] = toolResult.toolCallId;
    return;
  }
  a[`${prefix}message.role`] = m.role;
  if (m.name) a[`${prefix}message.name`] = m.name;
  const content = m.parts.filter((p) => p.type !== 'tool_call');
  if (content.length > 0 && content.every((p) => p.type === 'text')) {
    a[`${prefix}message.content`] = content.map((p) => (p.type === 'text' ? p.text : '')).join('');
  } else {
    content.forEach((p, k) => {
      const c = `${prefix}message.contents.${k}.message_content.`;
      if (p.type === 'text' || p.type === 'reasoning') {
        a[`${c}type`] = p.type;
        a[`${c}text`] = p.text;
      } else if (p.type === 'image') {
        a[`${c}type`] = 'image';
        a[`${c}image.image.url`] = p.url ?? `data:${p.mediaType ?? 'image/png'};base64,${p.data ?? ''}`;
      } else if (p.type === 'other') {
        a[`${c}type`] = 'other';
        a[`${c}text`] = JSON.stringify(p.value);
      }
    });
  }
  let j = 0;
  for (const p of m.parts) {
    if (p.type !== 'tool_call') continue;
    const t = `${prefix}message.tool_calls.${j++}.tool_call.`;
    if (p.id) a[`${t}id`] = p.id;
    a[`${t}function.name`] = p.name;
    a[`${t}function.arguments`] = typeof p.arguments === 'string' ? p.arguments : JSON.stringify(p.arguments);
  }
}

/** OpenInference has one tool result per message (role tool): a message holding several (an
 *  Anthropic user turn) becomes one message per result, its other parts kept in their own. */
function oneResultPerMessage(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const m of messages) {
    const results = m.parts.filter((p) => p.type === 'tool_result');
    if (results.length === 0 || (results.length === 1 && m.parts.length === 1)) {
      out.push(m);
      continue;
    }
    for (const r of results) out.push({ role: 'tool', parts: [r] });
    const rest = m.parts.filter((p) => p.type !== 'tool_result');
    if (rest.length > 0) out.push({ ...m, parts: rest });
  }
  return out;
}

/** llm.invocation_parameters: the request's tunables as the provider spells them. */
export function invocationParameters(call: LlmCall): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (call.requestModel) out.model = call.requestModel;
  Object.assign(out, snakeCaseParameters(call.parameters));
  if (call.toolChoice !== undefined) {
    out.tool_choice =
      typeof call.toolChoice === 'string'
        ? call.toolChoice
        : { type: 'function', function: { name: call.toolChoice.name } };
  }
  if (call.responseFormat) {
    const f = call.responseFormat;
    out.response_format =
      f.type === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: f.name, schema: f.schema, strict: f.strict } }
        : { type: f.type };
  }
  if (call.streamed) out.stream = true;
  return out;
}

function llmAttributes(call: LlmCall): Attributes {
  const a: Attributes = {};
  if (call.provider) {
    a['llm.provider'] = call.provider;
    a['llm.system'] = call.provider;
  }
  const model = call.responseModel ?? call.requestModel;
  if (model) a['llm.model_name'] = model;
  a['llm.invocation_parameters'] = JSON.stringify(invocationParameters(call));
  oneResultPerMessage(call.messages).forEach((m, i) => messageAttributes(m, `llm.input_messages.${i}.`, a));
  const output: Message = {
    role: 'assistant',
    parts: [
      ...(call.output.reasoning ? [{ type: 'reasoning' as const, text: call.output.reasoning }] : []),
      ...(call.output.text ? [{ type: 'text' as const, text: call.output.text }] : []),
      ...call.output.toolCalls,
    ],
  };
  messageAttributes(output, 'llm.output_messages.0.', a);
  if (call.output.finishReason) a['llm.finish_reason'] = call.output.finishReason;
  call.tools?.forEach((t, i) => {
    a[`llm.tools.${i}.tool.json_schema`] = JSON.stringify({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    });
  });
  const u = call.usage;
  if (u) {
    // OpenInference's prompt count includes the cached tokens.
    const cache = (u.cacheReadTokens ?? 0) + (u.cacheWriteTokens ?? 0);
    const prompt =
      u.inputTokens === undefined ? undefined : u.inputIncludesCache ? u.inputTokens : u.inputTokens + cache;
    if (prompt !== undefined) a['llm.token_count.prompt'] = prompt;
    if (u.outputTokens !== undefined) a['llm.token_count.completion'] = u.outputTokens;
    // Only a recorded total: Phoenix sums prompt and completion itself.
    if (u.totalTokens !== undefined) a['llm.token_count.total'] = u.totalTokens;
    if (u.cacheReadTokens !== undefined) a['llm.token_count.prompt_details.cache_read'] = u.cacheReadTokens;
    if (u.cacheWriteTokens !== undefined) a['llm.token_count.prompt_details.cache_write'] = u.cacheWriteTokens;
    if (u.reasoningTokens !== undefined) a['llm.token_count.completion_details.reasoning'] = u.reasoningTokens;
  }
  if (call.costUsd !== undefined) a['llm.cost.total'] = call.costUsd;
  const prompt = call.prompt;
  if (prompt?.template !== undefined)
    a['llm.prompt_template.template'] =
      typeof prompt.template === 'string' ? prompt.template : JSON.stringify(prompt.template);
  if (prompt?.version !== undefined) a['llm.prompt_template.version'] = prompt.version;
  if (prompt?.variables !== undefined) a['llm.prompt_template.variables'] = JSON.stringify(prompt.variables);
  if (prompt?.name !== undefined) a['prompt.id'] = prompt.name;
  a['output.value'] = call.output.text;
  a['output.mime_type'] = 'text/plain';
  return a;
}

function spanAttributes(trace: Trace, span: Span, roots: Set<string>, options: WriteBackOptions): Attributes {
  const a: Attributes = { 'openinference.span.kind': KINDS[span.kind] };
  if (span.kind === 'llm' && span.llm) Object.assign(a, llmAttributes(span.llm));
  else if (span.io) {
    const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
    if (span.io.input !== undefined && span.attributes['input.value'] === undefined)
      a['input.value'] = text(span.io.input);
    if (span.io.output !== undefined && span.attributes['output.value'] === undefined)
      a['output.value'] = text(span.io.output);
  }
  if (span.replay) {
    a['trace_replay.replay_status'] = span.replay.status;
    a['trace_replay.original_span_id'] = span.replay.originalSpanId;
  }
  if (roots.has(span.id)) {
    a['tag.tags'] = [REPLAY_TAG, ...(options.tags ?? [])];
    const link: Record<string, string> = {};
    if (trace.replayOf) {
      link.original_trace_id = trace.replayOf.originalTraceId;
      link.replay_id = trace.replayOf.replayId;
    }
    if (options.environment) link.environment = options.environment;
    a.metadata = JSON.stringify({ trace_replay: link });
  }
  return a;
}

/** The OTLP/JSON request for `trace`, every resource naming `projectName`. */
export function buildPhoenixWritebackBody(
  trace: Trace,
  projectName: string,
  options: WriteBackOptions = {},
): OtlpExportTraceRequest {
  const ids = new Set(trace.spans.map((s) => s.id));
  const roots = new Set(trace.spans.filter((s) => !s.parentId || !ids.has(s.parentId)).map((s) => s.id));
  const body = encodeOtlpJson(trace, {
    extraAttributes: (span) => spanAttributes(trace, span, roots, options),
    resource: { 'service.name': trace.serviceName ?? 'trace-replay' },
  });
  for (const rs of body.resourceSpans) {
    rs.resource.attributes = [
      ...rs.resource.attributes.filter((kv) => kv.key !== PROJECT_ATTRIBUTE),
      { key: PROJECT_ATTRIBUTE, value: { stringValue: projectName } },
    ];
  }
  return body;
}

/** OTLP/JSON (hex ids) -> the protobuf bytes of an ExportTraceServiceRequest. */
export function otlpJsonToProtobuf(body: OtlpExportTraceRequest): Uint8Array {
  const hex = (id: string | undefined): Buffer | undefined => (id ? Buffer.from(id, 'hex') : undefined);
  // Attribute values have the same shape in both; ids are bytes, times decimal strings (fixed64).
  const message = {
    resourceSpans: body.resourceSpans.map((rs) => ({
      resource: rs.resource,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope,
        spans: ss.spans.map((s) => ({
          ...s,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          links: s.links.map((l) => ({ ...l, traceId: hex(l.traceId), spanId: hex(l.spanId) })),
        })),
      })),
    })),
  };
  const type = otlpProtoTypes().exportTraceServiceRequest;
  return type.encode(type.fromObject(message)).finish();
}

export function phoenixReplayTraceId(trace: Trace): string {
  return otlpTraceId(trace.id);
}
