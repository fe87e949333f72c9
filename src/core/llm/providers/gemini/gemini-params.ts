// The REST body gemini-request.ts builds -> the GenerateContentParameters @google/genai 2.x takes,
// so that the body the SDK puts on the wire is the built one. How the SDK maps its parameters
// (generateContentParametersToMldev, Gemini API mode): `model` goes in the URL; `contents` is sent
// as given (Content objects; per part only the known Part fields); `config.systemInstruction`,
// `tools`, `toolConfig`, `safetySettings`, `cachedContent`, `labels`, `serviceTier`, `store` go to
// the top level of the body; the config's sampling/output fields go into `generationConfig`, which
// is always sent once a config is given (`{}` when empty). Three fields are rewritten on the way:
// `responseSchema` (its JSON Schema is turned into Google's Schema), the `parameters` / `response`
// of function declarations (likewise, in place) and `imageConfig`. Those, and any field the SDK does
// not know, travel in httpOptions.extraBody, which the SDK deep-merges into the body unchanged.
import type { GenerateContentConfig, GenerateContentParameters } from '@google/genai';
import type { Json } from '../../request-common';

/** Body fields the SDK takes from config and puts at the top level unchanged. */
const CONFIG_TOP_LEVEL = [
  'systemInstruction',
  'toolConfig',
  'safetySettings',
  'labels',
  'serviceTier',
  'store',
] as const;
/** generationConfig fields the SDK copies unchanged from config. */
const CONFIG_GENERATION = new Set([
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'responseLogprobs',
  'logprobs',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'responseMimeType',
  'responseJsonSchema',
  'responseModalities',
  'mediaResolution',
  'thinkingConfig',
  'audioTranscriptionConfig',
  'enableEnhancedCivicAnswers',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tools the SDK would rewrite (a function declaration with a Schema-dialect `parameters` or `response`). */
function rewritesTools(tools: unknown): boolean {
  if (!Array.isArray(tools)) return true;
  return tools.some(
    (t) =>
      !isObject(t) ||
      (Array.isArray(t.functionDeclarations) &&
        t.functionDeclarations.some(
          (d: unknown) => isObject(d) && (d.parameters !== undefined || d.response !== undefined),
        )),
  );
}

export function geminiParams(body: Json, signal: AbortSignal | undefined): GenerateContentParameters {
  // A copy: the SDK edits some objects in place, and the built request is kept as it was built.
  const { model, contents, generationConfig, tools, cachedContent, ...rest } = structuredClone(body);
  const config: Json = {};
  const extraBody: Json = {};
  for (const key of CONFIG_TOP_LEVEL) {
    if (rest[key] !== undefined) config[key] = rest[key];
    delete rest[key];
  }
  Object.assign(extraBody, rest);
  if (tools !== undefined) {
    if (rewritesTools(tools)) extraBody.tools = tools;
    else config.tools = tools;
  }
  // The SDK prefixes a bare cache name with cachedContents/; a recorded full name is sent as it is.
  if (typeof cachedContent === 'string' && cachedContent.startsWith('cachedContents/'))
    config.cachedContent = cachedContent;
  else if (cachedContent !== undefined) extraBody.cachedContent = cachedContent;
  const extraGeneration: Json = {};
  for (const [key, value] of Object.entries(isObject(generationConfig) ? generationConfig : {})) {
    if (CONFIG_GENERATION.has(key)) config[key] = value;
    else extraGeneration[key] = value;
  }
  if (Object.keys(extraGeneration).length > 0) extraBody.generationConfig = extraGeneration;
  if (Object.keys(extraBody).length > 0) config.httpOptions = { extraBody };
  if (signal !== undefined) config.abortSignal = signal;
  return {
    model: String(model),
    contents: contents as GenerateContentParameters['contents'],
    config: config as GenerateContentConfig,
  };
}
