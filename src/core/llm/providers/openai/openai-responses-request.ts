// LlmCall -> the body openai.responses.create() sends (openai 6.x): leading system messages become
// `instructions`, tool calls and results become function_call / function_call_output items.
import type { Message, MessagePart, ResponseFormat, ToolChoice, ToolDefinition } from '../../../model/trace';
import {
  argumentsJson,
  dropParameter,
  extraParameters,
  imageUrl,
  put,
  splitSystem,
  textOf,
  type BuildContext,
  type Json,
  keepOtherPart,
} from '../../request-common';
import type { OpenAiDialect } from './openai-dialect';

/** Recorded Chat Completions parameters that the Responses API takes under the same name. */
const PORTABLE_FROM_CHAT = new Set([
  'user',
  'metadata',
  'store',
  'parallel_tool_calls',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
  'top_logprobs',
]);

function inputParts(ctx: BuildContext, parts: MessagePart[], where: string, role: string): Json[] {
  const out: Json[] = [];
  const textType = role === 'assistant' ? 'output_text' : 'input_text';
  for (const p of parts) {
    if (p.type === 'text') out.push({ type: textType, text: p.text });
    else if (p.type === 'image') {
      const url = imageUrl(p);
      if (url !== undefined && role !== 'assistant') out.push({ type: 'input_image', image_url: url });
      else ctx.warnings.push(`${where}: an image part was dropped (no URL/data, or in an assistant turn).`);
    } else if (p.type === 'other') {
      keepOtherPart(ctx, p.value, out, where, 'the Responses API');
    } else if (p.type === 'reasoning') {
      ctx.warnings.push(`${where}: reasoning text cannot be sent back without its reasoning item; dropped.`);
    }
  }
  return out;
}

function messageItem(role: string, parts: Json[]): Json {
  const onlyText = parts.length === 1 && (parts[0].type === 'input_text' || parts[0].type === 'output_text');
  return { role, content: onlyText ? parts[0].text : parts };
}

export function responsesInput(ctx: BuildContext, messages: Message[]): Json[] {
  const items: Json[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined)
      ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in the Responses API; dropped.`);
    for (const p of m.parts) {
      if (p.type === 'tool_result') {
        if (p.isError)
          ctx.warnings.push(
            `${where}: tool result ${p.toolCallId} is marked as an error; the Responses API has no error flag.`,
          );
        items.push({ type: 'function_call_output', call_id: p.toolCallId ?? '', output: p.content });
      }
    }
    const role = m.role === 'tool' ? 'user' : m.role;
    const parts = inputParts(ctx, m.parts, where, role);
    if (parts.length > 0) items.push(messageItem(role, parts));
    for (const p of m.parts) {
      if (p.type !== 'tool_call') continue;
      if (m.role !== 'assistant')
        ctx.warnings.push(`${where}: a tool call outside an assistant turn is sent as the assistant's.`);
      items.push({ type: 'function_call', call_id: p.id ?? '', name: p.name, arguments: argumentsJson(p.arguments) });
    }
    if (m.parts.length === 0) items.push({ role, content: '' });
  });
  return items;
}

export function responsesTools(tools: ToolDefinition[]): Json[] {
  return tools.map((t) => {
    const tool: Json = { type: 'function', name: t.name };
    put(tool, 'description', t.description);
    put(tool, 'parameters', t.parameters);
    return tool;
  });
}

export function responsesToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

export function responsesFormat(ctx: BuildContext, rf: ResponseFormat): Json {
  if (rf.type !== 'json_schema') return { type: rf.type };
  const format: Json = { type: 'json_schema', name: rf.name ?? 'response' };
  if (rf.name === undefined) ctx.warnings.push('text.format json_schema had no recorded name; sent as "response".');
  put(format, 'schema', rf.schema);
  put(format, 'strict', rf.strict);
  return format;
}

export function buildOpenAiResponsesBody(ctx: BuildContext, messages: Message[], dialect: OpenAiDialect): Json {
  const { call, model } = ctx;
  const p = call.parameters;
  const reasoning = dialect.reasoningModel(model);
  const reasoningModel = reasoning === true;
  const body: Json = extraParameters(ctx, PORTABLE_FROM_CHAT);
  body.model = model;
  const { system, rest } = splitSystem(messages);
  if (system.length > 0) {
    body.instructions = system.map((m) => textOf(m.parts)).join('\n\n');
    if (system.some((m) => m.parts.some((part) => part.type !== 'text')))
      ctx.warnings.push('instructions take text only; non-text system parts were dropped.');
  }
  const input = responsesInput(ctx, rest);
  // A lone user text goes as the plain string input, the form applications usually write.
  const lone = input.length === 1 && input[0].role === 'user' && typeof input[0].content === 'string';
  body.input = lone ? input[0].content : input;
  const rejects = `${model} (a reasoning model) accepts only the default`;
  if (reasoningModel && p.temperature !== undefined && p.temperature !== 1)
    dropParameter(ctx, 'temperature', p.temperature, rejects);
  else put(body, 'temperature', p.temperature);
  if (reasoningModel && p.topP !== undefined && p.topP !== 1) dropParameter(ctx, 'top_p', p.topP, rejects);
  else put(body, 'top_p', p.topP);
  put(body, 'max_output_tokens', p.maxTokens);
  const unsupported = 'the Responses API has no such parameter';
  dropParameter(ctx, 'stop', p.stop, unsupported);
  dropParameter(ctx, 'seed', p.seed, unsupported);
  dropParameter(ctx, 'frequency_penalty', p.frequencyPenalty, unsupported);
  dropParameter(ctx, 'presence_penalty', p.presencePenalty, unsupported);
  dropParameter(ctx, 'top_k', p.topK, unsupported);
  // n=1 is the only value the Responses API produces, so it is not a loss.
  if (p.n !== undefined && p.n !== 1) dropParameter(ctx, 'n', p.n, 'the Responses API returns one answer');
  if (p.reasoningEffort !== undefined) {
    if (reasoning === false)
      dropParameter(ctx, 'reasoning.effort', p.reasoningEffort, `${model} is not a reasoning model`);
    else body.reasoning = { ...(body.reasoning as Json | undefined), effort: p.reasoningEffort };
  }
  if (call.tools !== undefined && call.tools.length > 0) body.tools = responsesTools(call.tools);
  if (call.toolChoice !== undefined) body.tool_choice = responsesToolChoice(call.toolChoice);
  if (call.responseFormat !== undefined)
    body.text = { ...(body.text as Json | undefined), format: responsesFormat(ctx, call.responseFormat) };
  if (call.streamed === true) body.stream = true;
  return body;
}
