// LlmCall -> the body openai.chat.completions.create() sends (openai 6.x), for OpenAI, Azure OpenAI
// and OpenAI-compatible endpoints (their differences come in the dialect).
import type { Message, MessagePart, ResponseFormat, ToolChoice, ToolDefinition } from '../../../model/trace';
import {
  argumentsJson,
  dropParameter,
  extraParameters,
  imageUrl,
  put,
  textOf,
  type BuildContext,
  type Json,
  keepOtherPart,
} from '../../request-common';
import type { OpenAiDialect } from './openai-dialect';

/** Recorded Responses parameters that Chat Completions takes under the same name. */
const PORTABLE_FROM_RESPONSES = new Set([
  'user',
  'metadata',
  'store',
  'parallel_tool_calls',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
  'top_logprobs',
]);

function contentParts(ctx: BuildContext, parts: MessagePart[], where: string): Json[] {
  const out: Json[] = [];
  for (const p of parts) {
    if (p.type === 'text') out.push({ type: 'text', text: p.text });
    else if (p.type === 'image') {
      const url = imageUrl(p);
      if (url !== undefined) out.push({ type: 'image_url', image_url: { url } });
      else ctx.warnings.push(`${where}: an image part without URL or data was dropped.`);
    } else if (p.type === 'other') {
      keepOtherPart(ctx, p.value, out, where, 'chat.completions');
    } else if (p.type === 'reasoning') {
      ctx.warnings.push(`${where}: reasoning text is not sent back through chat.completions; dropped.`);
    }
  }
  return out;
}

/** A single text part goes as a plain string, as applications usually write it. */
function content(parts: Json[]): string | Json[] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text as string;
  return parts;
}

function withName(msg: Json, m: Message): Json {
  if (m.name !== undefined) msg.name = m.name;
  return msg;
}

function toolMessages(ctx: BuildContext, m: Message, where: string): Json[] {
  const out: Json[] = [];
  for (const p of m.parts) {
    if (p.type !== 'tool_result') continue;
    if (p.isError)
      ctx.warnings.push(
        `${where}: tool result ${p.toolCallId} is marked as an error; chat.completions has no error flag.`,
      );
    out.push({ role: 'tool', tool_call_id: p.toolCallId ?? '', content: p.content });
  }
  return out;
}

function assistantMessage(ctx: BuildContext, m: Message, where: string): Json {
  const toolCalls = m.parts
    .filter((p) => p.type === 'tool_call')
    .map((p) => ({
      id: p.id ?? '',
      type: 'function',
      function: { name: p.name, arguments: argumentsJson(p.arguments) },
    }));
  for (const p of m.parts) {
    if (p.type === 'reasoning')
      ctx.warnings.push(`${where}: reasoning text is not sent back through chat.completions; dropped.`);
    else if (p.type === 'image' || p.type === 'other' || p.type === 'tool_result') {
      ctx.warnings.push(`${where}: an assistant ${p.type} part cannot be sent through chat.completions; dropped.`);
    }
  }
  const text = textOf(m.parts);
  // The API (and the SDK's own response objects) use null content for a tool-call-only turn.
  const msg: Json = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  return withName(msg, m);
}

export function chatMessages(ctx: BuildContext, messages: Message[]): Json[] {
  const out: Json[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.role === 'assistant') {
      out.push(assistantMessage(ctx, m, where));
      return;
    }
    // Tool results travel as role "tool" messages, before anything else the same turn said.
    out.push(...toolMessages(ctx, m, where));
    if (m.parts.some((p) => p.type === 'tool_call'))
      ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
    const parts = contentParts(ctx, m.parts, where);
    if (parts.length === 0) {
      if (!m.parts.some((p) => p.type === 'tool_result'))
        out.push(withName({ role: m.role === 'tool' ? 'user' : m.role, content: '' }, m));
      return;
    }
    const role = m.role === 'tool' ? 'user' : m.role;
    if (role === 'system' && parts.some((p) => p.type !== 'text'))
      ctx.warnings.push(`${where}: system messages take text only; other parts sent anyway.`);
    out.push(withName({ role, content: content(parts) }, m));
  });
  return out;
}

export function chatTools(tools: ToolDefinition[]): Json[] {
  return tools.map((t) => {
    const fn: Json = { name: t.name };
    put(fn, 'description', t.description);
    put(fn, 'parameters', t.parameters);
    return { type: 'function', function: fn };
  });
}

export function chatToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

export function chatResponseFormat(ctx: BuildContext, rf: ResponseFormat): Json {
  if (rf.type !== 'json_schema') return { type: rf.type };
  const schema: Json = { name: rf.name ?? 'response' };
  if (rf.name === undefined) ctx.warnings.push('response_format json_schema had no recorded name; sent as "response".');
  put(schema, 'schema', rf.schema);
  put(schema, 'strict', rf.strict);
  return { type: 'json_schema', json_schema: schema };
}

export function buildOpenAiChatBody(ctx: BuildContext, messages: Message[], dialect: OpenAiDialect): Json {
  const { call, model } = ctx;
  const p = call.parameters;
  const reasoning = dialect.reasoningModel(model);
  const reasoningModel = reasoning === true;
  const body: Json = extraParameters(ctx, PORTABLE_FROM_RESPONSES);
  body.model = model;
  body.messages = chatMessages(ctx, messages);
  const rejects = `${model} (a reasoning model) accepts only the default`;
  if (reasoningModel && p.temperature !== undefined && p.temperature !== 1)
    dropParameter(ctx, 'temperature', p.temperature, rejects);
  else put(body, 'temperature', p.temperature);
  if (reasoningModel && p.topP !== undefined && p.topP !== 1) dropParameter(ctx, 'top_p', p.topP, rejects);
  else put(body, 'top_p', p.topP);
  // Reasoning models refuse max_tokens; everything else is sent max_tokens as most apps record it.
  put(body, reasoningModel ? 'max_completion_tokens' : 'max_tokens', p.maxTokens);
  put(body, 'stop', p.stop);
  put(body, 'seed', p.seed);
  if (reasoningModel) {
    dropParameter(ctx, 'frequency_penalty', p.frequencyPenalty, `${model} (a reasoning model) does not take penalties`);
    dropParameter(ctx, 'presence_penalty', p.presencePenalty, `${model} (a reasoning model) does not take penalties`);
  } else {
    put(body, 'frequency_penalty', p.frequencyPenalty);
    put(body, 'presence_penalty', p.presencePenalty);
  }
  put(body, 'n', p.n);
  if (dialect.topK) put(body, 'top_k', p.topK);
  else dropParameter(ctx, 'top_k', p.topK, 'OpenAI has no top_k');
  if (p.reasoningEffort !== undefined && reasoning === false) {
    dropParameter(ctx, 'reasoning_effort', p.reasoningEffort, `${model} is not a reasoning model`);
  } else put(body, 'reasoning_effort', p.reasoningEffort);
  if (call.tools !== undefined && call.tools.length > 0) body.tools = chatTools(call.tools);
  if (call.toolChoice !== undefined) body.tool_choice = chatToolChoice(call.toolChoice);
  if (call.responseFormat !== undefined) body.response_format = chatResponseFormat(ctx, call.responseFormat);
  if (call.streamed === true) {
    body.stream = true;
    // Without include_usage a streamed answer reports no token counts at all.
    if (body.stream_options === undefined) body.stream_options = { include_usage: true };
  }
  return body;
}
