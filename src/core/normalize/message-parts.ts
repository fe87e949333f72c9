// Message, tool and output shapes as the conventions record them, turned into the model's.
// One lenient reader covers the recorded formats seen in practice: OTel GenAI parts
// ({role, parts}), OpenAI chat/responses messages, Anthropic content blocks and Vercel AI SDK
// prompt messages, because several conventions (Langfuse input, OpenInference input.value,
// Vercel ai.prompt.messages) carry whichever of them the application sent.
import type {
  LlmOutput,
  Message,
  MessagePart,
  ResponseFormat,
  Role,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
} from '../model/trace';
import { asText, isRecord, parseArguments, recStr, tryParseJson } from './attribute-readers';

const ROLE_MAP: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
};

export function normalizeRole(role: unknown): Role {
  return (typeof role === 'string' && ROLE_MAP[role.toLowerCase()]) || 'user';
}

/** Messages in any of the recorded formats; items that are not messages are skipped. */
export function looseMessages(value: unknown): Message[] {
  if (typeof value === 'string') return [{ role: 'user', parts: [{ type: 'text', text: value }] }];
  if (!Array.isArray(value)) return isRecord(value) && 'role' in value ? looseMessages([value]) : [];
  const out: Message[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      out.push({ role: 'user', parts: [{ type: 'text', text: item }] });
      continue;
    }
    if (!isRecord(item)) continue;
    const msg = looseMessage(item);
    if (msg) out.push(msg);
  }
  return out;
}

function looseMessage(item: Record<string, unknown>): Message | undefined {
  const itemType = recStr(item, 'type');
  // OpenAI Responses input items that are not role messages.
  if (itemType === 'function_call') {
    return { role: 'assistant', parts: [toolCall(recStr(item, 'call_id'), recStr(item, 'name'), item.arguments)] };
  }
  if (itemType === 'function_call_output') {
    return {
      role: 'tool',
      parts: [{ type: 'tool_result', toolCallId: recStr(item, 'call_id'), content: asText(item.output) }],
    };
  }
  if (!('role' in item)) return undefined;
  const role = normalizeRole(item.role);
  const parts: MessagePart[] = [];
  if (Array.isArray(item.parts)) {
    for (const p of item.parts) parts.push(contentPart(p));
  } else if (typeof item.content === 'string') {
    if (role === 'tool' || item.tool_call_id !== undefined) {
      parts.push({
        type: 'tool_result',
        toolCallId: recStr(item, 'tool_call_id') ?? recStr(item, 'name'),
        content: item.content,
      });
    } else if (item.content !== '') {
      parts.push({ type: 'text', text: item.content });
    }
  } else if (Array.isArray(item.content)) {
    for (const p of item.content) parts.push(contentPart(p));
  } else if (item.content !== undefined && item.content !== null) {
    parts.push({ type: 'other', value: item.content });
  }
  if (Array.isArray(item.tool_calls)) {
    for (const tc of item.tool_calls) if (isRecord(tc)) parts.push(openAiToolCall(tc));
  }
  if (isRecord(item.function_call)) {
    parts.push(toolCall(undefined, recStr(item.function_call, 'name'), item.function_call.arguments));
  }
  if (typeof item.reasoning === 'string' && item.reasoning) parts.push({ type: 'reasoning', text: item.reasoning });
  const name = recStr(item, 'name');
  return name && role !== 'tool' ? { role, parts, name } : { role, parts };
}

function openAiToolCall(tc: Record<string, unknown>): ToolCallPart {
  const fn = isRecord(tc.function) ? tc.function : tc;
  return toolCall(recStr(tc, 'id'), recStr(fn, 'name'), fn.arguments);
}

function toolCall(id: string | undefined, name: string | undefined, args: unknown): ToolCallPart {
  const part: ToolCallPart = { type: 'tool_call', name: name ?? '', arguments: parseArguments(args) };
  if (id) part.id = id;
  return part;
}

/** One content part/block in any recorded format. */
export function contentPart(p: unknown): MessagePart {
  if (typeof p === 'string') return { type: 'text', text: p };
  if (!isRecord(p)) return { type: 'other', value: p };
  switch (p.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: recStr(p, 'text') ?? recStr(p, 'content') ?? '' };
    case 'tool_call':
      return toolCall(recStr(p, 'id'), recStr(p, 'name'), p.arguments);
    case 'tool_use':
      return toolCall(recStr(p, 'id'), recStr(p, 'name'), p.input);
    case 'tool-call':
      return toolCall(recStr(p, 'toolCallId'), recStr(p, 'toolName'), p.input ?? p.args);
    case 'tool_call_response':
      return { type: 'tool_result', toolCallId: recStr(p, 'id'), content: asText(p.response) };
    case 'tool_result':
      return withError(
        { type: 'tool_result', toolCallId: recStr(p, 'tool_use_id'), content: asText(p.content) },
        p.is_error === true,
      );
    case 'tool-result':
      return vercelToolResult(p);
    case 'reasoning':
    case 'thinking':
      return { type: 'reasoning', text: recStr(p, 'content') ?? recStr(p, 'text') ?? recStr(p, 'thinking') ?? '' };
    case 'image_url': {
      const iu = p.image_url;
      const url = typeof iu === 'string' ? iu : isRecord(iu) ? recStr(iu, 'url') : undefined;
      return imageFromUrl(url);
    }
    case 'input_image':
      return imageFromUrl(recStr(p, 'image_url'));
    case 'image':
      return imageBlock(p);
    case 'blob':
    case 'uri':
    case 'file':
      return mediaPart(p);
    case undefined:
      return geminiPart(p) ?? { type: 'other', value: p };
    default:
      return { type: 'other', value: p };
  }
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** A Gemini Part (`{text}`, `{functionCall}`, `{functionResponse}`, in the SDKs' camelCase or the
 *  Python SDK's snake_case dump with every unset field null), as the OTel google-genai events carry
 *  it; undefined when the record is no such part. */
function geminiPart(p: Record<string, unknown>): MessagePart | undefined {
  const call = p.function_call ?? p.functionCall;
  if (isRecord(call)) return toolCall(recStr(call, 'id'), recStr(call, 'name'), call.args ?? {});
  const response = p.function_response ?? p.functionResponse;
  if (isRecord(response)) {
    const id = recStr(response, 'id');
    return { type: 'tool_result', ...(id ? { toolCallId: id } : {}), content: asText(response.response) };
  }
  if (
    typeof p.text === 'string' &&
    Object.entries(p).every(
      ([k, v]) =>
        k === 'text' || k === 'thought' || k === 'thought_signature' || k === 'thoughtSignature' || !present(v),
    )
  ) {
    return p.thought === true ? { type: 'reasoning', text: p.text } : { type: 'text', text: p.text };
  }
  return undefined;
}

function withError(part: ToolResultPart, isError: boolean): ToolResultPart {
  if (isError) part.isError = true;
  return part;
}

function vercelToolResult(p: Record<string, unknown>): MessagePart {
  const out = p.output ?? p.result;
  let content: string;
  let isError = p.isError === true;
  if (isRecord(out) && typeof out.type === 'string' && 'value' in out) {
    content = asText(out.value);
    if (out.type.startsWith('error')) isError = true;
  } else {
    content = asText(out);
  }
  return withError({ type: 'tool_result', toolCallId: recStr(p, 'toolCallId'), content }, isError);
}

function imageFromUrl(url: string | undefined): MessagePart {
  return url ? { type: 'image', url } : { type: 'image' };
}

function imageBlock(p: Record<string, unknown>): MessagePart {
  const src = p.source;
  if (isRecord(src)) {
    if (src.type === 'base64')
      return { type: 'image', data: recStr(src, 'data'), mediaType: recStr(src, 'media_type') };
    if (src.type === 'url') return imageFromUrl(recStr(src, 'url'));
  }
  // Vercel image parts: { image: url-or-base64, mediaType }
  const image = recStr(p, 'image');
  const mediaType = recStr(p, 'mediaType') ?? recStr(p, 'mimeType');
  if (image && /^(https?|data):/.test(image)) return { type: 'image', url: image, ...(mediaType ? { mediaType } : {}) };
  if (image) return { type: 'image', data: image, ...(mediaType ? { mediaType } : {}) };
  return { type: 'other', value: p };
}

function mediaPart(p: Record<string, unknown>): MessagePart {
  const mediaType = recStr(p, 'mime_type') ?? recStr(p, 'mediaType');
  const isImage = p.modality === 'image' || (mediaType?.startsWith('image/') ?? false);
  if (!isImage) return { type: 'other', value: p };
  const part: MessagePart = { type: 'image' };
  if (mediaType) part.mediaType = mediaType;
  if (p.type === 'uri') part.url = recStr(p, 'uri');
  else if (p.type === 'blob') part.data = recStr(p, 'content');
  else {
    const data = recStr(p, 'data');
    if (data && /^(https?|data):/.test(data)) part.url = data;
    else if (data) part.data = data;
    else return { type: 'other', value: p };
  }
  return part;
}

/** `gen_ai.system_instructions`: a bare list of parts (or a string) that becomes one system message. */
export function systemInstructionMessage(value: unknown): Message | undefined {
  if (typeof value === 'string') return value ? { role: 'system', parts: [{ type: 'text', text: value }] } : undefined;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return { role: 'system', parts: value.map(contentPart) };
}

/** What the model produced, read from its output messages. */
export function outputFromMessages(messages: Message[], finishReason?: string): LlmOutput {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ToolCallPart[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant') continue;
    for (const p of m.parts) {
      if (p.type === 'text') texts.push(p.text);
      else if (p.type === 'reasoning') reasoning.push(p.text);
      else if (p.type === 'tool_call') toolCalls.push(p);
    }
  }
  const out: LlmOutput = { text: texts.join(''), toolCalls };
  if (finishReason) out.finishReason = finishReason;
  if (reasoning.length) out.reasoning = reasoning.join('');
  return out;
}

/** Tool definitions in OpenAI chat/responses, Anthropic, Vercel or semconv shape (or their JSON text). */
export function toolDefinitions(value: unknown): ToolDefinition[] {
  if (!Array.isArray(value)) return [];
  const out: ToolDefinition[] = [];
  for (let item of value) {
    if (typeof item === 'string') {
      const parsed = tryParseJson(item);
      if (!parsed.ok) continue;
      item = parsed.value;
    }
    // Gemini Tool objects group their declarations ({function_declarations: [...]}).
    const declarations = isRecord(item) ? (item.function_declarations ?? item.functionDeclarations) : undefined;
    for (const d of Array.isArray(declarations) ? declarations : [item]) {
      const def = toolDefinition(d);
      if (def) out.push(def);
    }
  }
  return out;
}

export function toolDefinition(item: unknown): ToolDefinition | undefined {
  if (!isRecord(item)) return undefined;
  const fn = isRecord(item.function) ? item.function : item;
  const name = recStr(fn, 'name');
  if (!name) return undefined;
  const def: ToolDefinition = { name };
  const description = recStr(fn, 'description');
  if (description) def.description = description;
  let params =
    fn.parameters ?? fn.input_schema ?? fn.inputSchema ?? fn.parameters_json_schema ?? fn.parametersJsonSchema;
  if (typeof params === 'string') {
    const parsed = tryParseJson(params);
    params = parsed.ok ? parsed.value : undefined;
  }
  if (isRecord(params)) def.parameters = params;
  return def;
}

const CHOICE_WORDS: Record<string, ToolChoice> = { auto: 'auto', none: 'none', required: 'required', any: 'required' };

/** tool_choice as OpenAI ("auto", {type:"function",function:{name}}), Anthropic ({type:"tool",name},
 *  {type:"any"}) or Vercel ({type:"tool",toolName}) record it. */
export function toolChoiceFrom(value: unknown): ToolChoice | undefined {
  if (typeof value === 'string') {
    const parsed = value.startsWith('{') ? tryParseJson(value) : undefined;
    if (parsed?.ok) return toolChoiceFrom(parsed.value);
    return CHOICE_WORDS[value];
  }
  if (!isRecord(value)) return undefined;
  const name =
    recStr(value, 'name') ??
    recStr(value, 'toolName') ??
    (isRecord(value.function) ? recStr(value.function, 'name') : undefined);
  if (name) return { type: 'tool', name };
  return typeof value.type === 'string' ? CHOICE_WORDS[value.type] : undefined;
}

/** response_format (chat), text.format (responses) or a Vercel/Langfuse {type:'json', schema}. */
export function responseFormatFrom(value: unknown): ResponseFormat | undefined {
  if (typeof value === 'string') {
    if (value === 'text' || value === 'json_object') return { type: value };
    if (value === 'json') return { type: 'json_object' };
    const parsed = value.startsWith('{') ? tryParseJson(value) : undefined;
    return parsed?.ok ? responseFormatFrom(parsed.value) : undefined;
  }
  if (!isRecord(value)) return undefined;
  if (value.type === 'text') return { type: 'text' };
  if (value.type === 'json_object') return { type: 'json_object' };
  if (value.type === 'json_schema' || value.type === 'json') {
    const inner = isRecord(value.json_schema) ? value.json_schema : value;
    if (value.type === 'json' && !isRecord(inner.schema)) return { type: 'json_object' };
    const rf: ResponseFormat = { type: 'json_schema' };
    const name = recStr(inner, 'name');
    if (name) rf.name = name;
    if (isRecord(inner.schema)) rf.schema = inner.schema;
    if (typeof inner.strict === 'boolean') rf.strict = inner.strict;
    return rf;
  }
  return undefined;
}

/** Rough size of a message list, used to prefer the richest of several readings. */
export function messageWeight(messages: Message[] | undefined): number {
  if (!messages) return 0;
  let n = 0;
  for (const m of messages) n += 1 + m.parts.filter((p) => p.type !== 'other').length * 2 + m.parts.length;
  return n;
}

/**
 * Tool results in one shape whatever the dialect: a message of role `tool` holding only
 * tool_result parts. Anthropic-style conversations (OpenInference Anthropic, Langfuse, Vercel
 * anthropic) record them inside a user turn; such a turn is split into the tool message (results
 * first, in order) and a user message with whatever else it held. The Messages API builder merges
 * them back into one user turn, so a same-API replay sends what the app sent.
 */
export function toolResultsInToolRole(messages: Message[]): Message[] {
  if (!messages.some((m) => m.role === 'user' && m.parts.some((p) => p.type === 'tool_result'))) return messages;
  const out: Message[] = [];
  for (const m of messages) {
    if (m.role !== 'user' || !m.parts.some((p) => p.type === 'tool_result')) {
      out.push(m);
      continue;
    }
    const results = m.parts.filter((p) => p.type === 'tool_result');
    const rest = m.parts.filter((p) => p.type !== 'tool_result');
    out.push({ role: 'tool', parts: results });
    if (rest.length)
      out.push(m.name !== undefined ? { role: 'user', parts: rest, name: m.name } : { role: 'user', parts: rest });
  }
  return out;
}
