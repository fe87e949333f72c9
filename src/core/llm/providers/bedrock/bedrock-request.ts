// LlmCall -> the ConverseCommandInput of @aws-sdk/client-bedrock-runtime, as JSON. Leading system
// messages become `system` [{text}]; the conversation becomes user/assistant messages of content
// blocks ({text}, {image}, {toolUse}, {toolResult}); tool results travel in the user message right
// after the toolUse they answer, consecutive same-role turns are merged (Converse alternates roles);
// tools -> toolConfig; parameters -> inferenceConfig, model-specific ones -> additionalModelRequestFields.
// `modelId` is not sent in the body (the SDK puts it in the URL path); the rest is sent exactly.
// There is no stream flag: a streamed recorded call is sent with ConverseStream (BuiltRequest.stream,
// from call.streamed). Image bytes stay base64 here (the body is JSON); send() hands the SDK the
// bytes, which it base64-encodes again on the wire.
import type { Message, MessagePart, ToolChoice, ToolDefinition } from '../../../model/trace';
import {
  argumentsObject,
  dropParameter,
  extraParameters,
  splitSystem,
  type BuildContext,
  type Json,
  keepOtherPart,
} from '../../request-common';

export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object and nothing else.';
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
/** ConverseRequest members besides messages/system/inferenceConfig/toolConfig: recorded extras of
 *  these names go to the top level, any other recorded extra to additionalModelRequestFields. */
const TOP_LEVEL = new Set([
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'guardrailConfig',
  'outputConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
  'serviceTier',
]);
/** Bedrock's toolUseId: 1-64 of [a-zA-Z0-9_-]. */
const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** The model family of a Bedrock model id (`us.anthropic.claude-...` -> anthropic), if it has one. */
export function bedrockModelFamily(modelId: string): string | undefined {
  const m = /^(?:[a-z]{2,6}(?:-[a-z]+)?\.)?([a-z0-9-]+)\./.exec(modelId.toLowerCase());
  if (m === null || m[1] === 'arn') return undefined;
  return m[1];
}

/** top_k where the family takes it, in that family's own spelling. */
function topKField(modelId: string, topK: number): Json | undefined {
  const family = bedrockModelFamily(modelId);
  if (family === 'anthropic') return { top_k: topK };
  if (family === 'amazon' && /nova/.test(modelId)) return { inferenceConfig: { topK } };
  if (family === 'cohere') return { k: topK };
  return undefined;
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: Json[];
}

class ToolIds {
  private readonly map = new Map<string, string>();
  constructor(private readonly warnings: string[]) {}
  /** The id as Converse accepts it; a recorded id outside [a-zA-Z0-9_-]{1,64} is rewritten the same way everywhere. */
  get(id: string): string {
    // An unanswerable result keeps no id (pairToolCalls reported it); it is sent as text below.
    if (id === '' || TOOL_USE_ID.test(id)) return id;
    let safe = this.map.get(id);
    if (safe === undefined) {
      safe = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || `tool_${this.map.size + 1}`;
      this.map.set(id, safe);
      this.warnings.push(
        `tool call id "${id}" is not a valid Bedrock toolUseId ([a-zA-Z0-9_-], at most 64); sent as "${safe}".`,
      );
    }
    return safe;
  }
}

function imageBlock(ctx: BuildContext, p: Extract<MessagePart, { type: 'image' }>, where: string): Json | undefined {
  let data = p.data;
  let mediaType = p.mediaType;
  const dataUrl = p.url !== undefined ? /^data:([^;,]+);base64,(.*)$/s.exec(p.url) : null;
  if (data === undefined && dataUrl) {
    mediaType = dataUrl[1];
    data = dataUrl[2];
  }
  const format = IMAGE_FORMATS[(mediaType ?? 'image/png').toLowerCase()];
  if (format === undefined) {
    ctx.warnings.push(`${where}: an image of type ${mediaType} was dropped (Converse takes png, jpeg, gif, webp).`);
    return undefined;
  }
  if (data !== undefined) return { image: { format, source: { bytes: data } } };
  if (p.url !== undefined && p.url.startsWith('s3://'))
    return { image: { format, source: { s3Location: { uri: p.url } } } };
  ctx.warnings.push(
    `${where}: an image given by URL (${(p.url ?? '').slice(0, 80)}) was dropped: Converse takes image bytes or an s3:// location, not a web URL; record the image inline to replay it on Bedrock.`,
  );
  return undefined;
}

function blocksOf(ctx: BuildContext, m: Message, where: string, ids: ToolIds): Json[] {
  const out: Json[] = [];
  const assistant = m.role === 'assistant';
  for (const p of m.parts) {
    switch (p.type) {
      case 'text':
        // Converse refuses blank text blocks.
        if (p.text.trim() !== '') out.push({ text: p.text });
        else if (p.text !== '')
          ctx.warnings.push(`${where}: a whitespace-only text part was dropped (Converse refuses blank text).`);
        break;
      case 'tool_call':
        if (assistant)
          out.push({
            toolUse: {
              toolUseId: ids.get(p.id ?? ''),
              name: p.name,
              input: argumentsObject(p.arguments, `${where} tool call ${p.name}`, ctx.warnings),
            },
          });
        else ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
        break;
      case 'tool_result': {
        if (assistant) {
          ctx.warnings.push(`${where}: a tool result inside an assistant turn was dropped.`);
          break;
        }
        const block: Json = { toolUseId: ids.get(p.toolCallId ?? ''), content: [{ text: p.content }] };
        if (p.isError) block.status = 'error';
        out.push({ toolResult: block });
        break;
      }
      case 'image': {
        if (assistant) {
          ctx.warnings.push(`${where}: an image in an assistant turn was dropped.`);
          break;
        }
        const block = imageBlock(ctx, p, where);
        if (block !== undefined) out.push(block);
        break;
      }
      case 'reasoning':
        ctx.warnings.push(
          `${where}: reasoning text cannot be sent back as a reasoningContent block without its signature; dropped.`,
        );
        break;
      case 'other':
        keepOtherPart(ctx, p.value, out, where, 'Converse');
        break;
    }
  }
  return out;
}

function toolUseText(b: Json): Json {
  const u = b.toolUse as Json;
  return { text: `Tool call ${String(u.name)} (${String(u.toolUseId)}): ${JSON.stringify(u.input)}` };
}

function toolResultText(b: Json): Json {
  const r = b.toolResult as Json;
  const text = (r.content as Json[]).map((c) => String(c.text)).join('');
  const id = r.toolUseId !== '' ? ` (${String(r.toolUseId)})` : '';
  return { text: `Tool result${id}${r.status === 'error' ? ' [error]' : ''}: ${text}` };
}

/** Tool results answering a toolUse that is not in the assistant turn right before cannot be sent as
 *  toolResult (Bedrock refuses them): they become text. Results go first in their turn. */
function checkPairing(ctx: BuildContext, turns: Turn[]): void {
  turns.forEach((turn, i) => {
    if (turn.role !== 'user') return;
    const prev = i > 0 && turns[i - 1].role === 'assistant' ? turns[i - 1] : undefined;
    const ids = new Set(
      (prev?.blocks ?? []).filter((b) => b.toolUse !== undefined).map((b) => (b.toolUse as Json).toolUseId),
    );
    turn.blocks = turn.blocks.map((b) => {
      if (b.toolResult === undefined || ids.has((b.toolResult as Json).toolUseId)) return b;
      const id = (b.toolResult as Json).toolUseId;
      ctx.warnings.push(
        id !== ''
          ? `tool result ${String(id)} does not follow its tool call; sent as text.`
          : 'a tool result without a call id was sent as text.',
      );
      return toolResultText(b);
    });
    const results = turn.blocks.filter((b) => b.toolResult !== undefined);
    const others = turn.blocks.filter((b) => b.toolResult === undefined);
    const reordered = [...results, ...others];
    if (reordered.some((b, k) => b !== turn.blocks[k])) {
      ctx.warnings.push(`message turn ${i}: tool results were moved before the other content of the turn.`);
      turn.blocks = reordered;
    }
  });
}

/** Converse requires toolConfig whenever a message holds toolUse/toolResult blocks; without tools
 *  they are sent as text. */
function toolBlocksAsText(ctx: BuildContext, turns: Turn[], why: string): void {
  let changed = false;
  for (const turn of turns) {
    turn.blocks = turn.blocks.map((b) => {
      if (b.toolUse !== undefined) {
        changed = true;
        return toolUseText(b);
      }
      if (b.toolResult !== undefined) {
        changed = true;
        return toolResultText(b);
      }
      return b;
    });
  }
  if (changed)
    ctx.warnings.push(
      `the conversation's tool calls and results were sent as text: ${why}, and Converse refuses toolUse/toolResult blocks without a toolConfig.`,
    );
}

export function bedrockMessages(
  ctx: BuildContext,
  messages: Message[],
  toolsSent: boolean,
  noToolsReason = '',
): Json[] {
  const ids = new ToolIds(ctx.warnings);
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined)
      ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in Converse; dropped.`);
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(ctx, m, where, ids);
    if (blocks.length === 0) {
      ctx.warnings.push(`${where}: empty message dropped (Converse refuses empty content).`);
      return;
    }
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  });
  if (!toolsSent) toolBlocksAsText(ctx, turns, noToolsReason);
  else checkPairing(ctx, turns);
  if (turns.length > 0 && turns[0].role !== 'user') {
    ctx.warnings.push(
      'the conversation starts with an assistant turn; Converse expects a user message first and may refuse the request.',
    );
  }
  return turns.map((t) => ({ role: t.role, content: t.blocks }));
}

export function bedrockTools(ctx: BuildContext, tools: ToolDefinition[]): Json[] {
  return tools.map((t) => {
    const spec: Json = { name: t.name };
    if (t.description !== undefined && t.description !== '') spec.description = t.description;
    if (t.parameters === undefined)
      ctx.warnings.push(`tool ${t.name} has no recorded schema; sent with an empty object schema.`);
    spec.inputSchema = { json: t.parameters ?? { type: 'object', properties: {} } };
    return { toolSpec: spec };
  });
}

export function bedrockToolChoice(choice: Exclude<ToolChoice, 'none'>): Json {
  if (typeof choice !== 'string') return { tool: { name: choice.name } };
  return choice === 'required' ? { any: {} } : { auto: {} };
}

function systemTexts(ctx: BuildContext, system: Message[], rest: Message[]): { texts: string[]; rest: Message[] } {
  const texts: string[] = [];
  for (const m of system) {
    for (const p of m.parts) {
      if (p.type === 'text') {
        if (p.text.trim() !== '') texts.push(p.text);
      } else ctx.warnings.push(`a non-text system part (${p.type}) was dropped: Converse's system takes text only.`);
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
    for (const p of m.parts) if (p.type === 'text' && p.text.trim() !== '') texts.push(p.text);
  });
  return { texts, rest: kept };
}

function inferenceConfig(ctx: BuildContext): Json {
  const p = ctx.call.parameters;
  const out: Json = {};
  if (p.maxTokens !== undefined) out.maxTokens = p.maxTokens;
  if (p.temperature !== undefined) {
    if (p.temperature > 1 && bedrockModelFamily(ctx.model) === 'anthropic') {
      ctx.warnings.push(`temperature=${p.temperature} is above Claude's maximum of 1; sent 1.`);
      out.temperature = 1;
    } else out.temperature = p.temperature;
  }
  if (p.topP !== undefined) out.topP = p.topP;
  if (p.stop !== undefined && p.stop.length > 0) out.stopSequences = p.stop;
  return out;
}

export function buildBedrockConverseBody(ctx: BuildContext, messages: Message[]): Json {
  const { call, model } = ctx;
  const p = call.parameters;
  const body: Json = { modelId: model };
  const additional: Json = {};
  // Recorded Bedrock-only fields (same API): Converse members to the top level, the rest to the model.
  for (const [key, value] of Object.entries(extraParameters(ctx))) {
    if (key === 'additionalModelRequestFields' && typeof value === 'object' && value !== null)
      Object.assign(additional, value);
    else if (TOP_LEVEL.has(key)) body[key] = value;
    else {
      additional[key] = value;
      ctx.warnings.push(`parameter ${key} sent in additionalModelRequestFields (it is no Converse field).`);
    }
  }

  const split = splitSystem(messages);
  const { texts, rest } = systemTexts(ctx, split.system, split.rest);
  if (call.responseFormat?.type === 'json_object') {
    texts.push(JSON_OBJECT_INSTRUCTION);
    ctx.warnings.push(
      `response_format json_object: Converse has no JSON mode; added the instruction "${JSON_OBJECT_INSTRUCTION}" to the system prompt.`,
    );
  }

  const tools = call.tools ?? [];
  let toolsSent = tools.length > 0;
  let noToolsReason = 'the call defines no tools';
  if (toolsSent && call.toolChoice === 'none') {
    toolsSent = false;
    noToolsReason = 'tool_choice "none" has no Converse equivalent, so the tools were not sent';
    ctx.warnings.push(
      `tool_choice "none": Converse has no "none"; the ${tools.length} tool definition(s) were not sent so the model cannot call them.`,
    );
  }
  body.messages = bedrockMessages(ctx, rest, toolsSent, noToolsReason);
  if (texts.length > 0) body.system = texts.map((text) => ({ text }));

  const inference = inferenceConfig(ctx);
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (p.topK !== undefined) {
    const field = topKField(model, p.topK);
    if (field === undefined)
      dropParameter(
        ctx,
        'top_k',
        p.topK,
        `Converse has no top_k and ${model} has no known model-specific field for it`,
      );
    else {
      mergeDeep(additional, field);
      if (!ctx.sameApi)
        ctx.warnings.push(
          `top_k sent in additionalModelRequestFields as ${JSON.stringify(field)} (model-specific; Converse has no top_k).`,
        );
    }
  }
  dropParameter(ctx, 'seed', p.seed, 'Converse has no seed');
  dropParameter(ctx, 'frequency_penalty', p.frequencyPenalty, 'Converse has no penalties');
  dropParameter(ctx, 'presence_penalty', p.presencePenalty, 'Converse has no penalties');
  if (p.n !== undefined && p.n !== 1) dropParameter(ctx, 'n', p.n, 'Converse returns one answer');

  const outputConfig: Json = { ...(body.outputConfig as Json | undefined) };
  if (p.reasoningEffort !== undefined) {
    if (!EFFORTS.has(p.reasoningEffort))
      dropParameter(ctx, 'reasoning effort', p.reasoningEffort, 'Converse efforts are low, medium, high, xhigh, max');
    else if (!ctx.sameApi && bedrockModelFamily(model) !== 'anthropic')
      dropParameter(
        ctx,
        'reasoning effort',
        p.reasoningEffort,
        `Bedrock's outputConfig.effort is for Claude models, not ${model}`,
      );
    else {
      outputConfig.effort = p.reasoningEffort;
      if (!ctx.sameApi)
        ctx.warnings.push(
          `reasoning effort "${p.reasoningEffort}" sent as outputConfig.effort (not every Bedrock model accepts it).`,
        );
    }
  }
  if (call.responseFormat?.type === 'json_schema') {
    const rf = call.responseFormat;
    const jsonSchema: Json = { schema: JSON.stringify(rf.schema ?? { type: 'object' }) };
    if (rf.name !== undefined) jsonSchema.name = rf.name;
    outputConfig.textFormat = { type: 'json_schema', structure: { jsonSchema } };
    if (!ctx.sameApi)
      ctx.warnings.push(
        `response_format json_schema sent as outputConfig.textFormat (Bedrock structured output; not every model accepts it)${rf.strict !== undefined ? '; the strict flag is not carried' : ''}.`,
      );
  }
  if (Object.keys(outputConfig).length > 0) body.outputConfig = outputConfig;
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;

  if (toolsSent) {
    const toolConfig: Json = { tools: bedrockTools(ctx, tools) };
    if (call.toolChoice !== undefined && call.toolChoice !== 'none')
      toolConfig.toolChoice = bedrockToolChoice(call.toolChoice);
    body.toolConfig = toolConfig;
  } else if (call.toolChoice !== undefined && call.toolChoice !== 'none' && tools.length === 0) {
    ctx.warnings.push(`tool_choice ${JSON.stringify(call.toolChoice)} not sent: the call defines no tools.`);
  }
  return body;
}

function mergeDeep(into: Json, from: Json): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      typeof cur === 'object' &&
      cur !== null &&
      !Array.isArray(cur)
    )
      mergeDeep(cur as Json, v as Json);
    else into[k] = v;
  }
}
