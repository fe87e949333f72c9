// LlmCall -> the Gemini API generateContent request (REST v1beta, camelCase JSON), as the wire
// carries it (ai.google.dev/api/generate-content):
//   body = { contents: Content[], systemInstruction?: Content, tools?: [{functionDeclarations}],
//            toolConfig?: {functionCallingConfig: {mode, allowedFunctionNames?}}, generationConfig }
// Each part has its own file: contents and systemInstruction (gemini-contents.ts, with tool-call
// pairing in gemini-tool-pairing.ts), tools and toolConfig (gemini-tools.ts), generationConfig
// (gemini-generation-config.ts), JSON Schemas (gemini-schema.ts). This file puts them together.
// One field is not part of the wire body: `model`, which @google/genai puts in the URL
// (models/{model}:generateContent); a streamed call picks :streamGenerateContent instead of a flag.
// send() hands the rest to the SDK so that the body on the wire equals the one built here.
import type { Message } from '../../../model/trace';
import { extraParameters, splitSystem, type BuildContext, type Json } from '../../request-common';
import { geminiContents, systemInstruction } from './gemini-contents';
import { generationConfig } from './gemini-generation-config';
import { pairingOf, restatePairingWarnings } from './gemini-tool-pairing';
import { geminiToolConfig, geminiTools } from './gemini-tools';

// The placeholder is part of what this builder sends (gemini-request.test.ts checks it from here).
export { SKIP_THOUGHT_SIGNATURE } from './gemini-contents';

/** Top-level request fields besides contents/systemInstruction/tools/toolConfig/generationConfig
 *  (a recorded Gemini call's extra parameters with these names stay at the top level). */
const TOP_LEVEL_FIELDS = new Set(['safetySettings', 'cachedContent', 'labels', 'serviceTier', 'store']);

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
