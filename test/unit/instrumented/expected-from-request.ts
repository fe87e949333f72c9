// The test oracle: what a normalized LlmCall must say was sent, read independently from the exact
// request body the fake LLM server received (OpenAI chat, Responses, Anthropic Messages, Gemini
// generateContent wire shapes).
import type { LlmApi, Message, MessagePart } from '../../../src/core/model/trace';
import type { RecordedRequest } from '../../support/fake-llm/fake-llm-types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON

/** A message reduced to what every convention can carry: role, joined text, tool calls, tool results. */
export interface MessageView {
  role: string;
  text: string;
  toolCalls: { id?: string; name: string; arguments: unknown }[];
  toolResults: { toolCallId?: string; content: unknown }[];
}

export interface ExpectedCall {
  api: LlmApi;
  provider: 'openai' | 'anthropic' | 'gcp.gemini';
  requestModel: string;
  messages: MessageView[];
  toolNames: string[];
  toolSchemas: Record<string, unknown>;
  temperature?: number;
  maxTokens?: number;
}

/** JSON text is compared by value so `{"a":1}` and `{ "a": 1 }` are equal. */
export function jsonValue(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function view(role: string, parts: MessagePart[]): MessageView {
  const v: MessageView = { role, text: '', toolCalls: [], toolResults: [] };
  for (const p of parts) {
    if (p.type === 'text') v.text += p.text;
    else if (p.type === 'tool_call') v.toolCalls.push({ id: p.id, name: p.name, arguments: jsonValue(p.arguments) });
    else if (p.type === 'tool_result') v.toolResults.push({ toolCallId: p.toolCallId, content: jsonValue(p.content) });
    else v.text += `<${p.type}:${JSON.stringify(p)}>`;
  }
  // A message of tool results alone is role `tool` whichever way a convention files it (OpenAI sends
  // role tool, Anthropic a user message of tool_result blocks).
  if (v.toolResults.length > 0 && v.text === '' && v.toolCalls.length === 0) v.role = 'tool';
  return v;
}

/** Reduces normalized messages; consecutive tool-result messages merge so one-per-result and
 *  all-in-one filings compare equal. */
export function viewMessages(messages: Message[]): MessageView[] {
  const out: MessageView[] = [];
  for (const m of messages) {
    const v = view(m.role, m.parts);
    const prev = out[out.length - 1];
    if (v.role === 'tool' && prev?.role === 'tool') prev.toolResults.push(...v.toolResults);
    else out.push(v);
  }
  return out;
}

function text(t: string): MessagePart {
  return { type: 'text', text: t };
}

function contentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return content === '' ? [] : [text(content)];
  if (!Array.isArray(content)) return [];
  const parts: MessagePart[] = [];
  for (const block of content as Json[]) {
    if (block.type === 'text' || block.type === 'input_text' || block.type === 'output_text')
      parts.push(text(block.text));
    else if (block.type === 'tool_use')
      parts.push({ type: 'tool_call', id: block.id, name: block.name, arguments: block.input });
    else if (block.type === 'tool_result') {
      const c =
        typeof block.content === 'string' ? block.content : (block.content as Json[]).map((b) => b.text).join('');
      parts.push({ type: 'tool_result', toolCallId: block.tool_use_id, content: c });
    }
  }
  return parts;
}

function chatMessages(body: Json): Message[] {
  return (body.messages as Json[]).map((m): Message => {
    if (m.role === 'tool')
      return { role: 'tool', parts: [{ type: 'tool_result', toolCallId: m.tool_call_id, content: m.content }] };
    const parts = contentParts(m.content);
    for (const c of (m.tool_calls ?? []) as Json[]) {
      parts.push({ type: 'tool_call', id: c.id, name: c.function.name, arguments: jsonValue(c.function.arguments) });
    }
    return { role: m.role === 'developer' ? 'system' : m.role, parts };
  });
}

function responsesMessages(body: Json): Message[] {
  const out: Message[] = [];
  if (typeof body.instructions === 'string') out.push({ role: 'system', parts: [text(body.instructions)] });
  if (typeof body.input === 'string') return [...out, { role: 'user', parts: [text(body.input)] }];
  for (const item of body.input as Json[]) {
    if (item.type === 'function_call')
      out.push({
        role: 'assistant',
        parts: [{ type: 'tool_call', id: item.call_id, name: item.name, arguments: jsonValue(item.arguments) }],
      });
    else if (item.type === 'function_call_output')
      out.push({ role: 'tool', parts: [{ type: 'tool_result', toolCallId: item.call_id, content: item.output }] });
    else out.push({ role: item.role === 'developer' ? 'system' : item.role, parts: contentParts(item.content) });
  }
  return out;
}

function anthropicMessages(body: Json): Message[] {
  const out: Message[] = [];
  if (body.system !== undefined) out.push({ role: 'system', parts: contentParts(body.system) });
  for (const m of body.messages as Json[]) out.push({ role: m.role, parts: contentParts(m.content) });
  return out;
}

/** Gemini `response` of a functionResponse: @ai-sdk/google wraps the tool output as {name, content};
 *  any other object (as @google/genai apps send it) is the output itself. */
function geminiToolOutput(response: Json, name: string): unknown {
  const keys = Object.keys(response ?? {});
  return keys.length === 2 && response.name === name && 'content' in response ? response.content : response;
}

function geminiMessages(body: Json): Message[] {
  const out: Message[] = [];
  const system = body.systemInstruction as Json | undefined;
  if (system !== undefined)
    out.push({ role: 'system', parts: ((system.parts ?? []) as Json[]).map((p) => text(p.text)) });
  for (const c of body.contents as Json[]) {
    const parts: MessagePart[] = [];
    for (const p of (c.parts ?? []) as Json[]) {
      if (typeof p.text === 'string') parts.push(text(p.text));
      else if (p.functionCall)
        parts.push({
          type: 'tool_call',
          id: p.functionCall.id,
          name: p.functionCall.name,
          arguments: p.functionCall.args,
        });
      else if (p.functionResponse) {
        const r = p.functionResponse;
        parts.push({
          type: 'tool_result',
          toolCallId: r.id,
          content: JSON.stringify(geminiToolOutput(r.response, r.name)),
        });
      }
    }
    out.push({ role: c.role === 'model' ? 'assistant' : 'user', parts });
  }
  return out;
}

function toolsOf(api: LlmApi, body: Json): { names: string[]; schemas: Record<string, unknown> } {
  if (api === 'gemini.generate_content') {
    const decls = ((body.tools ?? []) as Json[]).flatMap((t) => (t.functionDeclarations ?? []) as Json[]);
    return {
      names: decls.map((d) => d.name),
      schemas: Object.fromEntries(decls.map((d) => [d.name, d.parametersJsonSchema ?? d.parameters])),
    };
  }
  const tools = (body.tools ?? []) as Json[];
  const pairs = tools.map((t): [string, unknown] => {
    if (api === 'anthropic.messages') return [t.name, t.input_schema];
    if (api === 'responses') return [t.name, t.parameters];
    return [t.function.name, t.function.parameters];
  });
  return { names: pairs.map(([n]) => n), schemas: Object.fromEntries(pairs) };
}

export function expectedFromRequest(req: RecordedRequest): ExpectedCall {
  const body = req.body as Json;
  if (
    req.api !== 'chat.completions' &&
    req.api !== 'responses' &&
    req.api !== 'anthropic.messages' &&
    req.api !== 'gemini.generate_content'
  ) {
    throw new Error(`no oracle for ${req.api} requests`);
  }
  const api: LlmApi = req.api;
  const tools = toolsOf(api, body);
  if (api === 'gemini.generate_content') {
    // The model is in the path (/v1beta/models/{model}:generateContent), the settings in generationConfig.
    const config = (body.generationConfig ?? {}) as Json;
    return {
      api,
      provider: 'gcp.gemini',
      requestModel: decodeURIComponent(/\/models\/([^/:]+):/.exec(req.path)?.[1] ?? ''),
      messages: viewMessages(geminiMessages(body)),
      toolNames: tools.names,
      toolSchemas: tools.schemas,
      temperature: config.temperature,
      maxTokens: config.maxOutputTokens,
    };
  }
  const messages =
    api === 'chat.completions'
      ? chatMessages(body)
      : api === 'responses'
        ? responsesMessages(body)
        : anthropicMessages(body);
  return {
    api,
    provider: api === 'anthropic.messages' ? 'anthropic' : 'openai',
    requestModel: body.model,
    messages: viewMessages(messages),
    toolNames: tools.names,
    toolSchemas: tools.schemas,
    temperature: body.temperature,
    maxTokens: body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens,
  };
}
