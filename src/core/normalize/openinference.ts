// OpenInference (Arize Phoenix): openinference.span.kind, flattened llm.input_messages.N.message.*
// and llm.output_messages.N.message.*, llm.invocation_parameters JSON, llm.tools.N.tool.json_schema,
// llm.token_count.* (prompt already includes the cache details), llm.prompt_template.*, and
// input.value / output.value for every span kind.
import type { AttrValue, Message, MessagePart, ModelParameters, SpanIo, ToolCallPart } from '../model/trace';
import {
  collectIndexed,
  inOrder,
  isRecord,
  jsonAttr,
  looseValue,
  num,
  parseArguments,
  str,
  subIndexed,
  toNumber,
  type ReadContext,
} from './attribute-readers';
import type { LlmReading, SpanInput } from './llm-reading';
import { compactParams, compactUsage } from './llm-reading';
import {
  normalizeRole,
  outputFromMessages,
  responseFormatFrom,
  systemInstructionMessage,
  toolChoiceFrom,
  toolDefinition,
} from './message-parts';
import { normalizeProvider } from './provider-api';

export const OPENINFERENCE = 'openinference';

const IN = 'llm.input_messages.';
const OUT = 'llm.output_messages.';
const TOOLS = 'llm.tools.';
const DOCS = 'retrieval.documents.';
const PREFIXES = [IN, OUT, TOOLS, DOCS] as const;

/** Invocation parameters with a typed field, by their recorded names. */
const PARAM_KEYS: Record<string, keyof ModelParameters> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  max_output_tokens: 'maxTokens',
  top_p: 'topP',
  top_k: 'topK',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  n: 'n',
};
/** Invocation parameters that are part of the request itself, not tunables. */
const REQUEST_KEYS = new Set([
  'model',
  'messages',
  'input',
  'tools',
  'system',
  'instructions',
  'stream',
  'tool_choice',
  'response_format',
  'stop',
  'stop_sequences',
  'reasoning_effort',
  'reasoning',
  'text',
  'functions',
  'prompt',
]);

export function hasOpenInference(attrs: Record<string, AttrValue>): boolean {
  return (
    attrs['openinference.span.kind'] !== undefined ||
    attrs['llm.model_name'] !== undefined ||
    attrs['llm.input_messages.0.message.role'] !== undefined
  );
}

export function readOpenInference(input: SpanInput): LlmReading {
  const { ctx } = input;
  const a = ctx.attrs;
  const groups = collectIndexed(a, PREFIXES);
  const r: LlmReading = { convention: OPENINFERENCE };
  const prov = normalizeProvider(str(a, 'llm.provider') ?? str(a, 'llm.system'));
  r.provider = prov.provider;
  if (prov.api) r.api = prov.api;
  // Span names of the JS instrumentation, and of the Python one (openinference.instrumentation.openai).
  const pythonOpenAi = input.scopeName === 'openinference.instrumentation.openai';
  if (input.name === 'OpenAI Responses' || (pythonOpenAi && input.name === 'Response')) r.api = 'responses';
  else if (input.name === 'OpenAI Chat Completions' || (pythonOpenAi && input.name === 'ChatCompletion'))
    r.api = 'chat.completions';
  const params = jsonAttr(ctx, 'llm.invocation_parameters');
  const invocation = isRecord(params) ? withExtraBody(params) : undefined;
  // llm.model_name starts as the requested model and is overwritten with the response's model when
  // the call completes, so the request model is taken from the recorded request when available
  // (the invocation parameters, else the request in input.value: the Python Anthropic
  // instrumentation leaves the model out of the former).
  const modelName = str(a, 'llm.model_name');
  r.requestModel =
    str(a, 'llm.request.model_name') ??
    (typeof invocation?.model === 'string' ? invocation.model : undefined) ??
    requestValueModel(ctx) ??
    modelName;
  const completed =
    a['llm.token_count.completion'] !== undefined || a['llm.output_messages.0.message.role'] !== undefined;
  // A streamed call never overwrites it, so an unchanged name says nothing about the response.
  r.responseModel =
    str(a, 'llm.response.model_name') ?? (completed && modelName !== r.requestModel ? modelName : undefined);

  let messages = inOrder(groups.get(IN)).map(messageFrom);
  if (input.scopeName === 'openinference.instrumentation.google_genai')
    messages = geminiFunctionResponses(ctx, messages);
  const outMessages = inOrder(groups.get(OUT)).map(messageFrom);
  if (invocation) applyInvocation(r, invocation);
  // The Python google-genai instrumentation names a streamed call's span GenerateContentStream.
  if (input.scopeName === 'openinference.instrumentation.google_genai' && input.name.endsWith('Stream'))
    r.streamed = true;
  // Anthropic's system prompt is a request parameter, not a message: OpenInference records it only
  // inside the invocation parameters / request body.
  if (!messages.some((m) => m.role === 'system')) {
    const sys = systemInstructionMessage(invocation?.system ?? invocation?.instructions);
    if (sys) messages.unshift(sys);
  }
  // Text completions record the prompt and completion only as plain input/output values.
  if (!messages.length && typeof a['input.value'] === 'string' && a['input.mime_type'] !== 'application/json') {
    messages.push({ role: 'user', parts: [{ type: 'text', text: a['input.value'] }] });
  }
  if (!outMessages.length && typeof a['output.value'] === 'string' && a['output.mime_type'] !== 'application/json') {
    r.outputText = a['output.value'];
  }
  if (messages.length) r.messages = messages;
  if (outMessages.length) {
    const out = outputFromMessages(outMessages);
    r.outputText = out.text;
    r.outputToolCalls = out.toolCalls;
    r.reasoning = out.reasoning;
  }
  r.finishReason = str(a, 'llm.finish_reason');
  const tools = inOrder(groups.get(TOOLS))
    .map((rec) => toolFromRecord(ctx, rec))
    .filter((t) => t !== undefined);
  if (tools.length) r.tools = tools;

  r.usage = compactUsage({
    inputTokens: num(a, 'llm.token_count.prompt'),
    outputTokens: num(a, 'llm.token_count.completion'),
    totalTokens: num(a, 'llm.token_count.total'),
    cacheReadTokens: num(a, 'llm.token_count.prompt_details.cache_read'),
    cacheWriteTokens: num(a, 'llm.token_count.prompt_details.cache_write'),
    reasoningTokens: num(a, 'llm.token_count.completion_details.reasoning'),
    inputIncludesCache: true,
  });
  r.costUsd = num(a, 'llm.cost.total');
  readPromptTemplate(ctx, r);
  return r;
}

/** The Python SDKs merge `extra_body` into the JSON body they send, so its fields are request
 *  parameters like the others (the anthropic 1.x SDK has no `temperature` keyword, so apps pass it
 *  there); an extra_body field replaces a same-named one, as in the SDKs' merge. */
function withExtraBody(inv: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(inv.extra_body)) return inv;
  const { extra_body: extraBody, ...rest } = inv;
  return { ...rest, ...extraBody };
}

/**
 * The Python google-genai instrumentation records a function response as a user message holding
 * the response's JSON text; the request in input.value says which turns were function responses
 * (but snake-cases the response's keys, so the text is kept). Those messages become tool results;
 * when the turns do not line up, the messages stay as recorded.
 */
function geminiFunctionResponses(ctx: ReadContext, messages: Message[]): Message[] {
  if (typeof ctx.attrs['input.value'] !== 'string') return messages;
  const request = looseValue(ctx, 'input.value', ctx.attrs['input.value']);
  const contents = isRecord(request) && Array.isArray(request.contents) ? request.contents : undefined;
  const turns = messages.filter((m) => m.role !== 'system');
  if (contents === undefined || contents.length !== turns.length) return messages;
  const responses = new Set<Message>();
  contents.forEach((c, i) => {
    const parts = isRecord(c) && Array.isArray(c.parts) ? c.parts : [];
    const m = turns[i];
    if (
      parts.length === 1 &&
      isRecord(parts[0]) &&
      isRecord(parts[0].function_response) &&
      m.parts.length === 1 &&
      m.parts[0].type === 'text'
    )
      responses.add(m);
  });
  return messages.map((m) => {
    if (!responses.has(m) || m.parts[0].type !== 'text') return m;
    return { role: 'tool', parts: [{ type: 'tool_result', content: m.parts[0].text }] };
  });
}

/** `model` of the request recorded as JSON in input.value, if any. */
function requestValueModel(ctx: ReadContext): string | undefined {
  if (ctx.attrs['input.mime_type'] !== 'application/json' || typeof ctx.attrs['input.value'] !== 'string')
    return undefined;
  const v = looseValue(ctx, 'input.value', ctx.attrs['input.value']);
  return isRecord(v) && typeof v.model === 'string' && v.model !== '' ? v.model : undefined;
}

function applyInvocation(r: LlmReading, inv: Record<string, unknown>): void {
  const p: ModelParameters = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inv)) {
    const typed = PARAM_KEYS[k];
    if (typed && toNumber(v) !== undefined) {
      if (p[typed] === undefined) (p as Record<string, unknown>)[typed] = toNumber(v);
    } else if (!REQUEST_KEYS.has(k)) {
      extra[k] = v;
    }
  }
  const stop = inv.stop ?? inv.stop_sequences;
  if (typeof stop === 'string') p.stop = [stop];
  else if (Array.isArray(stop)) p.stop = stop.map(String);
  const effort =
    typeof inv.reasoning_effort === 'string'
      ? inv.reasoning_effort
      : isRecord(inv.reasoning) && typeof inv.reasoning.effort === 'string'
        ? inv.reasoning.effort
        : undefined;
  if (effort) p.reasoningEffort = effort;
  if (Object.keys(extra).length) p.extra = extra;
  r.parameters = compactParams(p);
  if (inv.stream === true) r.streamed = true;
  r.toolChoice = toolChoiceFrom(inv.tool_choice);
  r.responseFormat =
    responseFormatFrom(inv.response_format) ?? (isRecord(inv.text) ? responseFormatFrom(inv.text.format) : undefined);
}

/** One message record (keys relative to `llm.*_messages.N.`). Tool calls appear both under
 *  message.tool_calls and, for Anthropic, as tool_use content blocks: the list form is used. */
function messageFrom(rec: Record<string, AttrValue>): Message {
  const role = normalizeRole(rec['message.role']);
  const parts: MessagePart[] = [];
  const toolCallId = typeof rec['message.tool_call_id'] === 'string' ? rec['message.tool_call_id'] : undefined;
  const content = rec['message.content'];
  if (toolCallId || (role === 'tool' && content !== undefined)) {
    parts.push({
      type: 'tool_result',
      toolCallId,
      content: typeof content === 'string' ? content : JSON.stringify(content ?? ''),
    });
  } else if (typeof content === 'string' && content !== '') {
    parts.push({ type: 'text', text: content });
  }
  const toolCalls = inOrder(subIndexed(rec, 'message.tool_calls.')).map(toolCallFrom);
  for (const c of inOrder(subIndexed(rec, 'message.contents.'))) {
    const type = c['message_content.type'];
    if (type === 'tool_use') {
      if (!toolCalls.length) parts.push(toolCallFrom(c));
      continue;
    }
    parts.push(contentFrom(c));
  }
  parts.push(...toolCalls);
  if (typeof rec['message.function_call_name'] === 'string') {
    parts.push({
      type: 'tool_call',
      name: rec['message.function_call_name'],
      arguments: parseArguments(rec['message.function_call_arguments_json']),
    });
  }
  const name = rec['message.name'];
  return typeof name === 'string' && role !== 'tool' ? { role, parts, name } : { role, parts };
}

function toolCallFrom(tc: Record<string, AttrValue>): ToolCallPart {
  const id = tc['tool_call.id'];
  return {
    type: 'tool_call',
    ...(typeof id === 'string' ? { id } : {}),
    name: String(tc['tool_call.function.name'] ?? ''),
    arguments: parseArguments(tc['tool_call.function.arguments']),
  };
}

function contentFrom(c: Record<string, AttrValue>): MessagePart {
  const type = c['message_content.type'];
  const text = c['message_content.text'];
  if (type === 'text' || type === 'input_text' || type === 'output_text')
    return { type: 'text', text: String(text ?? '') };
  if (type === 'reasoning') return { type: 'reasoning', text: String(text ?? '') };
  if (type === 'image') {
    const url = c['message_content.image.image.url'];
    const mediaType = c['message_content.image.media_type'];
    return {
      type: 'image',
      ...(typeof url === 'string' ? { url } : {}),
      ...(typeof mediaType === 'string' ? { mediaType } : {}),
    };
  }
  return { type: 'other', value: c };
}

function toolFromRecord(ctx: ReadContext, rec: Record<string, AttrValue>) {
  const schema = rec['tool.json_schema'];
  const parsed = typeof schema === 'string' ? looseValue(ctx, 'llm.tools.tool.json_schema', schema) : schema;
  if (isRecord(parsed)) return toolDefinition(parsed);
  const name = rec['tool.name'];
  return typeof name === 'string'
    ? toolDefinition({ name, description: rec['tool.description'], parameters: rec['tool.parameters'] })
    : undefined;
}

function readPromptTemplate(ctx: ReadContext, r: LlmReading): void {
  const a = ctx.attrs;
  const template = str(a, 'llm.prompt_template.template');
  const version = str(a, 'llm.prompt_template.version');
  const id = str(a, 'prompt.id');
  if (!template && !version && !id) return;
  const vars = jsonAttr(ctx, 'llm.prompt_template.variables');
  r.prompt = {
    source: 'openinference',
    ...(id ? { name: id } : {}),
    ...(version ? { version } : {}),
    ...(template ? { template } : {}),
    ...(isRecord(vars) ? { variables: vars } : {}),
  };
}

/** input.value / output.value (JSON when their mime type says so, or when they look like JSON),
 *  plus retrieved documents as the output of retriever spans. */
export function openInferenceIo(ctx: ReadContext): SpanIo | undefined {
  const a = ctx.attrs;
  const io: SpanIo = {};
  if (a['input.value'] !== undefined) io.input = looseValue(ctx, 'input.value', a['input.value']);
  if (a['output.value'] !== undefined) io.output = looseValue(ctx, 'output.value', a['output.value']);
  const docs = inOrder(collectIndexed(a, [DOCS]).get(DOCS)).map((d) => {
    const doc: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d))
      doc[k.startsWith('document.') ? k.slice(9) : k] =
        k === 'document.metadata' ? looseValue(ctx, DOCS + 'metadata', v) : v;
    return doc;
  });
  if (docs.length) io.output = docs;
  return io.input === undefined && io.output === undefined ? undefined : io;
}
