// LlmCall -> the Gemini API generateContent request (REST v1beta, camelCase JSON), as the wire
// carries it. Wire facts relied on (ai.google.dev/api/generate-content):
//   body = { contents: Content[], systemInstruction?: Content, tools?: [{functionDeclarations}],
//            toolConfig?: {functionCallingConfig: {mode, allowedFunctionNames?}}, generationConfig }
//   Content = { role: 'user' | 'model', parts: Part[] }; Part = {text} | {inlineData: {mimeType, data}}
//     | {fileData: {mimeType, fileUri}} | {functionCall: {id?, name, args}} | {functionResponse: {id?, name, response}}
//   functionResponse.response is a JSON object: "output" holds the result, "error" the error.
//   A function-response turn follows the model turn with the calls, one response per call, paired
//   by function NAME (and id when there is one).
//   generationConfig: temperature, topP, topK, candidateCount, maxOutputTokens, stopSequences (<= 5),
//     seed, presencePenalty, frequencyPenalty, responseMimeType, responseJsonSchema (JSON Schema) or
//     responseSchema (Google's OpenAPI-subset Schema, types in capitals), thinkingConfig.
//   Gemini 3 models refuse a replayed functionCall without its thoughtSignature unless it carries the
//   documented placeholder "skip_thought_signature_validator" (ai.google.dev/gemini-api/docs/thought-signatures).
// One field is not part of the wire body: `model`, which @google/genai puts in the URL
// (models/{model}:generateContent); a streamed call picks :streamGenerateContent instead of a flag.
// send() hands the rest to the SDK so that the body on the wire equals the one built here.
import type { Message, MessagePart, ToolChoice, ToolDefinition } from '../../../model/trace';
import { argumentsObject, dropParameter, extraParameters, put, splitSystem, type BuildContext, type Json } from '../../request-common';

/** Gemini's documented placeholder for a replayed functionCall whose thought signature is unknown. */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';
/** The most stop sequences the API takes. */
export const MAX_STOP_SEQUENCES = 5;

/** Top-level request fields besides contents/systemInstruction/tools/toolConfig/generationConfig
 *  (a recorded Gemini call's extra parameters with these names stay at the top level). */
const TOP_LEVEL_FIELDS = new Set(['safetySettings', 'cachedContent', 'labels', 'serviceTier', 'store']);

/** JSON Schema keywords Gemini's responseJsonSchema / parametersJsonSchema honour (GenerationConfig
 *  docs), plus annotations that change nothing. Others are accepted but not enforced. */
const SUPPORTED_SCHEMA_KEYWORDS = new Set([
  '$id', '$defs', '$ref', '$anchor', '$schema', '$comment', 'type', 'format', 'title', 'description', 'enum',
  'items', 'prefixItems', 'minItems', 'maxItems', 'minimum', 'maximum', 'anyOf', 'oneOf', 'properties',
  'additionalProperties', 'required', 'propertyOrdering', 'default', 'examples', 'nullable',
]);
/** Keywords whose value is a map of sub-schemas / a list of sub-schemas / one sub-schema. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']);

const OPENAPI_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL', 'TYPE_UNSPECIFIED']);

/** Whether a schema is written in Google's own Schema dialect (types in capitals), as a call
 *  recorded from a Gemini app may carry it; such a schema goes in `parameters` / `responseSchema`. */
export function isGeminiSchema(schema: Record<string, unknown>): boolean {
  return typeof schema.type === 'string' && OPENAPI_TYPES.has(schema.type);
}

/** JSON Schema keywords in `schema` (at any depth) that Gemini does not enforce. */
export function unenforcedKeywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return found;
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED_SCHEMA_KEYWORDS.has(key)) found.add(key);
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      for (const sub of Object.values(value)) unenforcedKeywords(sub, found);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      for (const sub of value) unenforcedKeywords(sub, found);
    } else if (SCHEMA_ONE.has(key)) {
      unenforcedKeywords(value, found);
    }
  }
  return found;
}

function warnUnenforced(ctx: BuildContext, schema: Record<string, unknown>, where: string): void {
  const keywords = [...unenforcedKeywords(schema)];
  if (keywords.length === 0) return;
  ctx.warnings.push(`${where}: Gemini does not enforce the JSON Schema keyword${keywords.length > 1 ? 's' : ''} ${keywords.join(', ')}; sent as recorded (the model may not follow them).`);
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
};

function imagePart(ctx: BuildContext, p: Extract<MessagePart, { type: 'image' }>, where: string): Json | undefined {
  if (p.data) return { inlineData: { mimeType: p.mediaType ?? 'image/png', data: p.data } };
  if (p.url === undefined) return undefined;
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(p.url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  let mimeType = p.mediaType;
  if (mimeType === undefined) {
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(p.url)?.[1]?.toLowerCase();
    mimeType = ext !== undefined ? EXTENSION_TYPES[ext] : undefined;
    if (mimeType === undefined) {
      mimeType = 'image/jpeg';
      ctx.warnings.push(`${where}: the image URL has no recorded media type; sent as image/jpeg (Gemini's fileData needs one).`);
    }
  }
  if (!p.url.startsWith('https://')) {
    ctx.warnings.push(`${where}: Gemini fetches only https:// file URLs (and Files API URIs); ${p.url.slice(0, 60)} may be refused.`);
  } else if (/(^|\/)gemini-(1\.|2\.0)/.test(ctx.model)) {
    ctx.warnings.push(`${where}: ${ctx.model} does not fetch external image URLs (Gemini 2.5 and later do); the request may be refused.`);
  }
  return { fileData: { mimeType, fileUri: p.url } };
}

/** A tool result as the JSON object functionResponse.response needs: a recorded JSON object as it
 *  is, anything else under "output" ("error" for a failed call), as the API documents. */
function functionResponseValue(content: string, isError: boolean | undefined): Json {
  let value: unknown = content;
  try {
    value = JSON.parse(content) as unknown;
  } catch {
    // plain text
  }
  if (isError === true) return { error: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  return { output: value };
}

interface Turn {
  role: 'user' | 'model';
  parts: Json[];
}

interface Pairing {
  /** Tool name per call id (recorded or given by pairToolCalls). */
  names: Map<string, string>;
  /** Call ids that were recorded (sent as functionCall.id / functionResponse.id); ids invented by
   *  pairToolCalls are only for pairing here. */
  recorded: Set<string>;
}

function pairingOf(ctx: BuildContext, messages: Message[]): Pairing {
  const names = new Map<string, string>();
  for (const m of messages) for (const p of m.parts) if (p.type === 'tool_call' && p.id !== undefined) names.set(p.id, p.name);
  const recorded = new Set<string>();
  for (const m of ctx.call.messages) for (const p of m.parts) if (p.type === 'tool_call' && p.id !== undefined && p.id !== '') recorded.add(p.id);
  return { names, recorded };
}

/** pairToolCalls names the ids it invents for calls recorded without one; Gemini is sent no id for
 *  them (it pairs results by function name), so those warnings are restated without the id. */
function restatePairingWarnings(ctx: BuildContext, pairing: Pairing): void {
  for (const [i, w] of ctx.warnings.entries()) {
    const call = /^(message \d+): tool call (.+) had no recorded id; sent as (\S+)\.$/.exec(w);
    if (call !== null && !pairing.recorded.has(call[3])) {
      ctx.warnings[i] = `${call[1]}: tool call ${call[2]} had no recorded id; sent without one (Gemini pairs results by function name).`;
      continue;
    }
    const result = /^(message \d+): a tool result had no recorded call id; paired with (\S+) in order\.$/.exec(w);
    const name = result !== null ? pairing.names.get(result[2]) : undefined;
    if (result !== null && name !== undefined && !pairing.recorded.has(result[2])) {
      ctx.warnings[i] = `${result[1]}: a tool result had no recorded call id; paired in order with the call of ${name}.`;
    }
  }
}

function partsOf(ctx: BuildContext, m: Message, where: string, pairing: Pairing): Json[] {
  const out: Json[] = [];
  const model = m.role === 'assistant';
  for (const p of m.parts) {
    switch (p.type) {
      case 'text':
        // The API refuses empty text parts.
        if (p.text !== '') out.push({ text: p.text });
        break;
      case 'image': {
        const part = imagePart(ctx, p, where);
        if (part !== undefined) out.push(part);
        else ctx.warnings.push(`${where}: an image part without URL or data was dropped.`);
        break;
      }
      case 'tool_call': {
        if (!model) {
          ctx.warnings.push(`${where}: a tool call outside an assistant turn was dropped.`);
          break;
        }
        const call: Json = {};
        if (p.id !== undefined && pairing.recorded.has(p.id)) call.id = p.id;
        call.name = p.name;
        call.args = argumentsObject(p.arguments, `${where} tool call ${p.name}`, ctx.warnings);
        out.push({ functionCall: call });
        break;
      }
      case 'tool_result': {
        if (model) {
          ctx.warnings.push(`${where}: a tool result inside an assistant turn was dropped.`);
          break;
        }
        const id = p.toolCallId;
        const name = id !== undefined ? pairing.names.get(id) : undefined;
        if (name === undefined) {
          // Gemini pairs a response with its call by function name; without the call there is none.
          ctx.warnings.push(`${where}: tool result ${id ?? '(no id)'} answers no tool call in the conversation, so Gemini has no function name for it; sent as text.`);
          out.push({ text: `Tool result (${id ?? 'unknown call'}): ${p.content}` });
          break;
        }
        const response: Json = {};
        if (id !== undefined && pairing.recorded.has(id)) response.id = id;
        response.name = name;
        response.response = functionResponseValue(p.content, p.isError);
        out.push({ functionResponse: response });
        break;
      }
      case 'reasoning':
        ctx.warnings.push(`${where}: reasoning text cannot be sent back to Gemini as a thought without its signature; dropped.`);
        break;
      case 'other':
        if (ctx.sameApi && typeof p.value === 'object' && p.value !== null) out.push(p.value as Json);
        else ctx.warnings.push(`${where}: a content part the Gemini API cannot carry was dropped (${JSON.stringify(p.value).slice(0, 80)}).`);
        break;
    }
  }
  return out;
}

const nameOf = (part: Json, key: 'functionCall' | 'functionResponse'): string => String((part[key] as Json).name);
const idOf = (part: Json, key: 'functionCall' | 'functionResponse'): unknown => (part[key] as Json).id;

/** A function-response turn must follow the model turn with those calls, one response per call. */
function checkPairing(ctx: BuildContext, turns: Turn[]): void {
  turns.forEach((turn, i) => {
    const prev = i > 0 && turns[i - 1].role === 'model' ? turns[i - 1] : undefined;
    const calls = (prev?.parts ?? []).filter((p) => p.functionCall !== undefined);
    if (turn.role === 'user') {
      const open = [...calls];
      turn.parts = turn.parts.map((part) => {
        if (part.functionResponse === undefined) return part;
        const name = nameOf(part, 'functionResponse');
        const id = idOf(part, 'functionResponse');
        const at = open.findIndex((c) => nameOf(c, 'functionCall') === name && (id === undefined || idOf(c, 'functionCall') === id));
        if (at >= 0) {
          open.splice(at, 1);
          return part;
        }
        ctx.warnings.push(`message turn ${i}: the result of ${name} does not follow its tool call; sent as text.`);
        return { text: `Tool result (${name}): ${JSON.stringify((part.functionResponse as Json).response)}` };
      });
      const responses = turn.parts.filter((p) => p.functionResponse !== undefined);
      const others = turn.parts.filter((p) => p.functionResponse === undefined);
      const reordered = [...responses, ...others];
      if (reordered.some((p, k) => p !== turn.parts[k])) {
        ctx.warnings.push(`message turn ${i}: tool results were moved before the other content of the turn.`);
        turn.parts = reordered;
      }
      if (prev !== undefined && open.length > 0) {
        ctx.warnings.push(`message turn ${i - 1}: tool call${open.length > 1 ? 's' : ''} ${open.map((c) => nameOf(c, 'functionCall')).join(', ')} ha${open.length > 1 ? 've' : 's'} no result in the next turn; Gemini may refuse the request.`);
      }
    }
  });
  const last = turns[turns.length - 1];
  if (last?.role === 'model' && last.parts.some((p) => p.functionCall !== undefined)) {
    ctx.warnings.push(`message turn ${turns.length - 1}: the conversation ends with tool calls that have no results; Gemini may refuse the request.`);
  }
}

/** Gemini 3 checks the thought signature of the first function call of each model step; calls
 *  recorded elsewhere (or read back without their signature) get the documented placeholder. */
function addThoughtSignatures(ctx: BuildContext, turns: Turn[]): void {
  if (!/(^|\/)gemini-3/.test(ctx.model)) return;
  let added = 0;
  for (const turn of turns) {
    if (turn.role !== 'model') continue;
    const first = turn.parts.find((p) => p.functionCall !== undefined);
    if (first !== undefined && first.thoughtSignature === undefined) {
      first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
      added++;
    }
  }
  if (added > 0) {
    ctx.warnings.push(`${added} replayed tool-call turn${added > 1 ? 's' : ''} had no Gemini thought signature; sent with "${SKIP_THOUGHT_SIGNATURE}" as Gemini 3 requires (the model does not see its earlier reasoning).`);
  }
}

export function geminiContents(ctx: BuildContext, messages: Message[], pairing: Pairing): Json[] {
  const turns: Turn[] = [];
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.role})`;
    if (m.name !== undefined) ctx.warnings.push(`${where}: the participant name "${m.name}" has no place in the Gemini API; dropped.`);
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts = partsOf(ctx, m, where, pairing);
    if (parts.length === 0) {
      ctx.warnings.push(`${where}: empty message dropped (Gemini refuses empty content).`);
      return;
    }
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.parts.push(...parts);
    else turns.push({ role, parts });
  });
  checkPairing(ctx, turns);
  addThoughtSignatures(ctx, turns);
  return turns.map((t) => ({ role: t.role, parts: t.parts }));
}

export function geminiTools(ctx: BuildContext, tools: ToolDefinition[]): Json[] {
  const declarations = tools.map((t) => {
    const declaration: Json = { name: t.name };
    put(declaration, 'description', t.description);
    if (t.parameters === undefined) return declaration;
    if (isGeminiSchema(t.parameters)) declaration.parameters = t.parameters;
    else {
      // JSON Schema as recorded: parametersJsonSchema takes it as it is (the proto `parameters`
      // field refuses $schema, additionalProperties, const, ... with a 400).
      warnUnenforced(ctx, t.parameters, `tool ${t.name}`);
      declaration.parametersJsonSchema = t.parameters;
    }
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

export function geminiToolConfig(choice: ToolChoice, tools: ToolDefinition[] | undefined, ctx: BuildContext): Json {
  if (typeof choice !== 'string') {
    if (!(tools ?? []).some((t) => t.name === choice.name)) {
      ctx.warnings.push(`tool_choice names ${choice.name}, which is not among the tools sent; Gemini may refuse the request.`);
    }
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
  const mode = choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO';
  return { functionCallingConfig: { mode } };
}

function systemInstruction(ctx: BuildContext, system: Message[], rest: Message[]): { parts: Json[]; rest: Message[] } {
  const parts: Json[] = [];
  for (const m of system) {
    for (const p of m.parts) {
      if (p.type === 'text') {
        if (p.text !== '') parts.push({ text: p.text });
      } else ctx.warnings.push(`a non-text system part (${p.type}) was dropped: Gemini's systemInstruction takes text only.`);
    }
  }
  const kept: Message[] = [];
  rest.forEach((m, i) => {
    if (m.role !== 'system') {
      kept.push(m);
      return;
    }
    ctx.warnings.push(`a system message in the middle of the conversation (message ${system.length + i}) was moved to the system instruction.`);
    for (const p of m.parts) if (p.type === 'text' && p.text !== '') parts.push({ text: p.text });
  });
  return { parts, rest: kept };
}

/** Reasoning effort -> thinkingConfig: Gemini 3 takes a thinking level, Gemini 2.5 a token budget. */
function thinkingConfig(ctx: BuildContext, effort: string): Json | undefined {
  const e = effort.toLowerCase();
  if (/(^|\/)gemini-3/.test(ctx.model)) {
    if (['minimal', 'low', 'medium', 'high'].includes(e)) {
      if (!ctx.sameApi) ctx.warnings.push(`reasoning effort "${effort}" sent as thinkingConfig.thinkingLevel (not every Gemini 3 model takes every level).`);
      return { thinkingLevel: e };
    }
    dropParameter(ctx, 'reasoning effort', effort, 'Gemini 3 thinking levels are minimal, low, medium, high');
    return undefined;
  }
  const budgets: Record<string, number> = { none: 0, minimal: 0, low: 1024, medium: 8192, high: 24576 };
  const budget = budgets[e];
  if (budget === undefined) {
    dropParameter(ctx, 'reasoning effort', effort, 'it has no Gemini thinking budget equivalent');
    return undefined;
  }
  ctx.warnings.push(`reasoning effort "${effort}" sent as thinkingConfig.thinkingBudget=${budget} (an approximation; Gemini 2.5 takes a token budget).`);
  return { thinkingBudget: budget };
}

function generationConfig(ctx: BuildContext, extraGeneration: Json): Json {
  const { call } = ctx;
  const p = call.parameters;
  const config: Json = { ...extraGeneration };
  put(config, 'temperature', p.temperature);
  put(config, 'topP', p.topP);
  put(config, 'topK', p.topK);
  put(config, 'maxOutputTokens', p.maxTokens);
  if (p.stop !== undefined && p.stop.length > 0) {
    if (p.stop.length > MAX_STOP_SEQUENCES) {
      ctx.warnings.push(`Gemini takes at most ${MAX_STOP_SEQUENCES} stop sequences; ${JSON.stringify(p.stop.slice(MAX_STOP_SEQUENCES))} not sent.`);
    }
    config.stopSequences = p.stop.slice(0, MAX_STOP_SEQUENCES);
  }
  put(config, 'seed', p.seed);
  if (p.n !== undefined && p.n !== 1) {
    config.candidateCount = p.n;
    ctx.warnings.push(`n=${p.n} sent as candidateCount; only the first candidate is read back.`);
  }
  if (p.presencePenalty !== undefined || p.frequencyPenalty !== undefined) {
    put(config, 'presencePenalty', p.presencePenalty);
    put(config, 'frequencyPenalty', p.frequencyPenalty);
    if (!ctx.sameApi) ctx.warnings.push('presence/frequency penalties sent as recorded; not every Gemini model accepts them (a 400 names the field).');
  }
  if (p.reasoningEffort !== undefined) {
    const thinking = thinkingConfig(ctx, p.reasoningEffort);
    if (thinking !== undefined) config.thinkingConfig = { ...(config.thinkingConfig as Json | undefined), ...thinking };
  }
  const format = call.responseFormat;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = format.schema ?? { type: 'object' };
    if (isGeminiSchema(schema)) config.responseSchema = schema;
    else {
      warnUnenforced(ctx, schema, 'response_format json_schema');
      config.responseJsonSchema = schema;
    }
    if (!ctx.sameApi) {
      const lost = [format.name !== undefined ? `name "${format.name}"` : '', format.strict !== undefined ? 'strict flag' : ''].filter(Boolean);
      if (lost.length > 0) ctx.warnings.push(`response_format json_schema sent as generationConfig.responseJsonSchema; ${lost.join(' and ')} not carried (Gemini has no such fields).`);
    }
  }
  return config;
}

/** A Gemini model as the Gemini API names it: Vertex AI resource names and publisher-qualified ids
 *  (projects/p/locations/l/publishers/google/models/gemini-2.5-flash, google/gemini-2.5-flash) lose
 *  their prefix; the Gemini API's own models/ and tunedModels/ names stay. */
export function geminiModelName(model: string): string {
  const vertex = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/google\/models\/(.+)$/.exec(model);
  if (vertex) return vertex[1];
  const qualified = /^google\/(gemini-.+)$/.exec(model);
  return qualified ? qualified[1] : model;
}

export function buildGeminiBody(ctx: BuildContext, messages: Message[]): Json {
  const { call } = ctx;
  const model = geminiModelName(ctx.model);
  if (model !== ctx.model) ctx.warnings.push(`model ${ctx.model} sent as ${model}, its name on the Gemini API.`);
  const extra = extraParameters(ctx);
  const body: Json = { model };
  const extraGeneration: Json = {};
  for (const [key, value] of Object.entries(extra)) {
    if (TOP_LEVEL_FIELDS.has(key)) body[key] = value;
    else extraGeneration[key] = value;
  }
  const split = splitSystem(messages);
  const system = systemInstruction(ctx, split.system, split.rest);
  const pairing = pairingOf(ctx, messages);
  restatePairingWarnings(ctx, pairing);
  const contents = geminiContents(ctx, system.rest, pairing);
  if (contents.length === 0) {
    if (system.parts.length === 0) {
      ctx.warnings.push('the call has no messages to send; sent one empty user turn (Gemini requires contents).');
      contents.push({ role: 'user', parts: [{ text: ' ' }] });
    } else {
      ctx.warnings.push('the call has only system messages; sent them as the user turn (Gemini requires contents).');
      contents.push({ role: 'user', parts: system.parts.splice(0) });
    }
  }
  body.contents = contents;
  // role 'user', as both official SDKs (JS tContent, Python t_content) send a system instruction
  // given as text or parts; the API ignores the role there.
  if (system.parts.length > 0) body.systemInstruction = { role: 'user', parts: system.parts };
  if (call.tools !== undefined && call.tools.length > 0) body.tools = geminiTools(ctx, call.tools);
  if (call.toolChoice !== undefined) body.toolConfig = geminiToolConfig(call.toolChoice, call.tools, ctx);
  // @google/genai always sends generationConfig (an empty one when nothing is set).
  body.generationConfig = generationConfig(ctx, extraGeneration);
  return body;
}
