// LlmCall -> the body @anthropic-ai/sdk messages.create() sends (1.x). System messages go to the
// top-level `system`, tool results travel in the user turn right after the tool_use they answer,
// and consecutive same-role turns are merged, as the Messages API requires.
import type { Message, MessagePart, ToolChoice, ToolDefinition } from '../../../model/trace';
import {
  argumentsObject,
  dropParameter,
  extraParameters,
  put,
  splitSystem,
  type BuildContext,
  type Json,
  keepOtherPart,
} from '../../request-common';

/** Sent when an Anthropic target gets a call without max_tokens (Anthropic requires one). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object and nothing else.';

function imageBlock(p: Extract<MessagePart, { type: 'image' }>): Json | undefined {
  if (p.data)
    return { type: 'image', source: { type: 'base64', media_type: p.mediaType ?? 'image/png', data: p.data } };
  const dataUrl = p.url !== undefined ? /^data:([^;,]+);base64,(.*)$/s.exec(p.url) : null;
  if (dataUrl) return { type: 'image', source: { type: 'base64', media_type: dataUrl[1], data: dataUrl[2] } };
  if (p.url) return { type: 'image', source: { type: 'url', url: p.url } };
  return undefined;
}

function blocksOf(ctx: BuildContext, m: Message, where: string): Json[] {
  const out: Json[] = [];
  const assistant = m.role === 'assistant';
  for (const p of m.parts) {
    switch (p.type) {
      case 'text':
        // The API rejects empty text blocks.
        if (p.text !== '') out.push({ type: 'text', text: p.text });
        break;
      case 'tool_call':
        if (assistant)
          out.push({
            type: 'tool_use',
            id: p.id ?? '',
            name: p.name,
            input: argumentsObject(p.arguments, `${where} tool call ${p.name}`, ctx.warnings),
          });
        else ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
        break;
      case 'tool_result': {
        const block: Json = { type: 'tool_result', tool_use_id: p.toolCallId ?? '', content: p.content };
        if (p.isError) block.is_error = true;
        if (assistant) ctx.warnings.push(`${where}: a tool result inside an assistant turn was dropped.`);
        else out.push(block);
        break;
      }
      case 'image': {
        const block = imageBlock(p);
        if (block !== undefined && !assistant) out.push(block);
        else ctx.warnings.push(`${where}: an image part was dropped (no URL/data, or in an assistant turn).`);
        break;
      }
      case 'reasoning':
        ctx.warnings.push(
          `${where}: reasoning text cannot be sent back as a thinking block without its signature; dropped.`,
        );
        break;
      case 'other':
        keepOtherPart(ctx, p.value, out, where, 'the Messages API');
        break;
    }
  }
  return out;
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: Json[];
}

/** Tool results answering a tool_use that is not in the assistant turn right before cannot be
 *  sent as tool_result (the API refuses them); they become plain text. */
function checkPairing(ctx: BuildContext, turns: Turn[]): void {
  turns.forEach((turn, i) => {
    if (turn.role !== 'user') return;
    const prev = i > 0 && turns[i - 1].role === 'assistant' ? turns[i - 1] : undefined;
    const ids = new Set((prev?.blocks ?? []).filter((b) => b.type === 'tool_use').map((b) => b.id));
    turn.blocks = turn.blocks.map((b) => {
      if (b.type !== 'tool_result' || ids.has(b.tool_use_id)) return b;
      ctx.warnings.push(`tool result ${String(b.tool_use_id)} does not follow its tool call; sent as text.`);
      return { type: 'text', text: `Tool result (${String(b.tool_use_id)}): ${String(b.content)}` };
    });
    const results = turn.blocks.filter((b) => b.type === 'tool_result');
    const others = turn.blocks.filter((b) => b.type !== 'tool_result');
    const reordered = [...results, ...others];
    if (reordered.some((b, k) => b !== turn.blocks[k])) {
      ctx.warnings.push(`message turn ${i}: tool results were moved before the other content of the turn.`);
      turn.blocks = reordered;
    }
  });
}

export function anthropicMessages(ctx: BuildContext, messages: Message[]): Json[] {
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined)
      ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in the Messages API; dropped.`);
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(ctx, m, where);
    if (blocks.length === 0) {
      ctx.warnings.push(`${where}: empty message dropped (the Messages API refuses empty content).`);
      return;
    }
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  });
  checkPairing(ctx, turns);
  return turns.map((t) => ({
    role: t.role,
    content: t.blocks.length === 1 && t.blocks[0].type === 'text' ? t.blocks[0].text : t.blocks,
  }));
}

export function anthropicTools(ctx: BuildContext, tools: ToolDefinition[]): Json[] {
  return tools.map((t) => {
    const tool: Json = { name: t.name };
    put(tool, 'description', t.description);
    if (t.parameters === undefined)
      ctx.warnings.push(`tool ${t.name} has no recorded schema; sent with an empty object schema.`);
    tool.input_schema = t.parameters ?? { type: 'object', properties: {} };
    return tool;
  });
}

export function anthropicToolChoice(choice: ToolChoice): Json {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.name };
  return { type: choice === 'required' ? 'any' : choice };
}

function systemValue(ctx: BuildContext, system: Message[], rest: Message[]): { texts: string[]; rest: Message[] } {
  const texts: string[] = [];
  for (const m of system) {
    for (const p of m.parts) {
      if (p.type === 'text') texts.push(p.text);
      else ctx.warnings.push(`a non-text system part (${p.type}) was dropped: Anthropic's system takes text only.`);
    }
  }
  const kept: Message[] = [];
  rest.forEach((m, i) => {
    if (m.role !== 'system') {
      kept.push(m);
      return;
    }
    ctx.warnings.push(
      `a system message in the middle of the conversation (message ${system.length + i}) was moved to the system prompt.`,
    );
    for (const p of m.parts) if (p.type === 'text') texts.push(p.text);
  });
  return { texts, rest: kept };
}

export function buildAnthropicMessagesBody(ctx: BuildContext, messages: Message[]): Json {
  const { call, model } = ctx;
  const p = call.parameters;
  const body: Json = extraParameters(ctx);
  body.model = model;
  const split = splitSystem(messages);
  const { texts, rest } = systemValue(ctx, split.system, split.rest);
  if (call.responseFormat?.type === 'json_object') {
    texts.push(JSON_OBJECT_INSTRUCTION);
    ctx.warnings.push(
      `response_format json_object: Anthropic has no JSON mode; added the instruction "${JSON_OBJECT_INSTRUCTION}" to the system prompt.`,
    );
  }
  if (texts.length === 1) body.system = texts[0];
  else if (texts.length > 1) body.system = texts.map((text) => ({ type: 'text', text }));
  body.messages = anthropicMessages(ctx, rest);
  if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
  else {
    body.max_tokens = DEFAULT_ANTHROPIC_MAX_TOKENS;
    ctx.warnings.push(`max_tokens was not recorded and Anthropic requires it: sent ${DEFAULT_ANTHROPIC_MAX_TOKENS}.`);
  }
  // The 1.x SDK types no longer list temperature/top_p/top_k, but the API takes them and recorded
  // Claude calls carry them, so they are sent as plain body fields.
  if (p.temperature !== undefined && p.temperature > 1) {
    ctx.warnings.push(`temperature=${p.temperature} is above Anthropic's maximum of 1; sent 1.`);
    body.temperature = 1;
  } else put(body, 'temperature', p.temperature);
  put(body, 'top_p', p.topP);
  put(body, 'top_k', p.topK);
  put(body, 'stop_sequences', p.stop);
  dropParameter(ctx, 'seed', p.seed, 'Anthropic has no seed');
  dropParameter(ctx, 'frequency_penalty', p.frequencyPenalty, 'Anthropic has no penalties');
  dropParameter(ctx, 'presence_penalty', p.presencePenalty, 'Anthropic has no penalties');
  if (p.n !== undefined && p.n !== 1) dropParameter(ctx, 'n', p.n, 'Anthropic returns one answer');
  const outputConfig: Json = { ...(body.output_config as Json | undefined) };
  if (p.reasoningEffort !== undefined) {
    if (!EFFORTS.has(p.reasoningEffort))
      dropParameter(ctx, 'reasoning effort', p.reasoningEffort, 'Anthropic efforts are low, medium, high, xhigh, max');
    else {
      outputConfig.effort = p.reasoningEffort;
      if (!ctx.sameApi)
        ctx.warnings.push(
          `reasoning effort "${p.reasoningEffort}" sent as output_config.effort, Claude's nearest control (not every Claude model accepts it).`,
        );
    }
  }
  if (call.responseFormat?.type === 'json_schema') {
    outputConfig.format = { type: 'json_schema', schema: call.responseFormat.schema ?? { type: 'object' } };
    if (!ctx.sameApi) {
      const lost = [
        call.responseFormat.name !== undefined ? `name "${call.responseFormat.name}"` : '',
        call.responseFormat.strict !== undefined ? 'strict flag' : '',
      ].filter(Boolean);
      ctx.warnings.push(
        `response_format json_schema sent as output_config.format (Claude structured outputs)${lost.length ? `; ${lost.join(' and ')} not carried` : ''}.`,
      );
    }
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  if (call.tools !== undefined && call.tools.length > 0) body.tools = anthropicTools(ctx, call.tools);
  if (call.toolChoice !== undefined) body.tool_choice = anthropicToolChoice(call.toolChoice);
  if (call.streamed === true) body.stream = true;
  return body;
}
