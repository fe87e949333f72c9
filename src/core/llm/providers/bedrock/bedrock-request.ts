// LlmCall -> the ConverseCommandInput of @aws-sdk/client-bedrock-runtime, as JSON. Leading system
// messages become `system` [{text}]; the conversation becomes user/assistant messages of content
// blocks (bedrock-messages.ts); tools -> toolConfig; parameters -> inferenceConfig, model-specific ones -> additionalModelRequestFields.
// `modelId` is not sent in the body (the SDK puts it in the URL path); the rest is sent exactly.
// There is no stream flag: a streamed recorded call is sent with ConverseStream (BuiltRequest.stream,
// from call.streamed). Image bytes stay base64 here (the body is JSON); send() hands the SDK the
// bytes, which it base64-encodes again on the wire.
import type { Message, ToolChoice, ToolDefinition } from '../../../model/trace';
import { dropParameter, extraParameters, splitSystem, type BuildContext, type Json } from '../../request-common';
import { bedrockMessages } from './bedrock-messages';

export const JSON_OBJECT_INSTRUCTION = 'Respond with a single JSON object and nothing else.';
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);
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
