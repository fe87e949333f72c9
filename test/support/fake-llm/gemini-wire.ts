// Gemini API (generativelanguage.googleapis.com, v1beta) wire format, as @google/genai 2.x speaks it:
//   POST /v1beta/models/{model}:generateContent                 -> one GenerateContentResponse (JSON)
//   POST /v1beta/models/{model}:streamGenerateContent?alt=sse   -> `data: <GenerateContentResponse>` SSE
//                                                                  chunks (no `event:` lines, no [DONE])
//   POST /v1beta/models/{model}:countTokens                     -> { totalTokens }
// The key travels in the `x-goog-api-key` header (the SDK; `?key=` is also accepted by Google).
// Answers: candidates[0].content { role: 'model', parts: [{text} | {functionCall: {name, args, id?}}] },
// candidates[0].finishReason (STOP, MAX_TOKENS, SAFETY, ...), usageMetadata (promptTokenCount
// including cachedContentTokenCount; candidatesTokenCount without thoughtsTokenCount; totalTokenCount
// = prompt + candidates + thoughts), modelVersion, responseId. Errors are Google's
// { error: { code, message, status, details? } }, a 429 carrying a google.rpc.RetryInfo detail.
import type { ResolvedReply, SseFrame } from './fake-llm-types';
import { splitIntoChunks } from './text-chunks';

type Json = Record<string, unknown>;

export interface GeminiRoute {
  /** 'count_tokens' for :countTokens. */
  api: 'gemini.generate_content' | 'count_tokens';
  model: string;
  stream: boolean;
}

const ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** The Gemini route of a request path (without its query), or undefined. */
export function geminiRoute(path: string): GeminiRoute | undefined {
  const m = ROUTE.exec(path);
  if (m === null) return undefined;
  const model = decodeURIComponent(m[1]);
  if (m[2] === 'countTokens') return { api: 'count_tokens', model, stream: false };
  return { api: 'gemini.generate_content', model, stream: m[2] === 'streamGenerateContent' };
}

/** Whether the request carries a Gemini API key (header, or the `key` query parameter). */
export function hasGeminiKey(headerValue: string | string[] | undefined, url: string): boolean {
  const header = Array.isArray(headerValue) ? headerValue.join('') : (headerValue ?? '');
  return header !== '' || new URL(url, 'http://fake').searchParams.get('key') !== null;
}

const ERRORS: Record<number, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  // The real API answers a missing key with 403 PERMISSION_DENIED and this message; the fake
  // answers 401 so every provider's "no key" looks alike in tests.
  401: {
    status: 'UNAUTHENTICATED',
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: {
    status: 'RESOURCE_EXHAUSTED',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  500: {
    status: 'INTERNAL',
    message:
      'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};

/** Google's error JSON; `retryAfter` (seconds) becomes a RetryInfo detail, as on a real 429. */
export function geminiErrorBody(status: number, retryAfter?: number, message?: string): Json {
  const e = ERRORS[status] ?? { status: status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', message: `Error ${status}` };
  const error: Json = { code: status, message: message ?? e.message, status: e.status };
  if (retryAfter !== undefined)
    error.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }];
  return { error };
}

const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function names(parts: Json[], key: 'functionCall' | 'functionResponse'): string[] {
  return parts
    .filter((p) => isObject(p[key]))
    .map((p) => String((p[key] as Json).name))
    .sort();
}

/**
 * The generateContent request rules the real API enforces with a 400 INVALID_ARGUMENT (the
 * messages are Google's where known), so a request the real API would refuse fails here too:
 * contents present, roles user/model, no empty parts or empty text, a function-response turn right
 * after its function-call turn with one response per call (same names), valid function names,
 * tool_config naming declared functions, at most 5 stop sequences, one response schema field.
 */
export function geminiRequestProblem(body: Json): string | undefined {
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0)
    return '* GenerateContentRequest.contents: contents is not specified';
  for (const [i, c] of contents.entries()) {
    // A missing role is taken as user (single-turn REST calls omit it).
    if (!isObject(c) || (c.role !== undefined && c.role !== 'user' && c.role !== 'model'))
      return `* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`;
    if (!Array.isArray(c.parts) || c.parts.length === 0)
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    for (const part of c.parts as unknown[]) {
      if (!isObject(part)) return `* GenerateContentRequest.contents[${i}].parts: a part is not an object.`;
      if (part.text === '')
        return 'Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again.';
      const call = part.functionCall;
      if (
        call !== undefined &&
        (!isObject(call) || typeof call.name !== 'string' || (call.args !== undefined && !isObject(call.args)))
      ) {
        return `* GenerateContentRequest.contents[${i}].parts: functionCall needs a name and an object args.`;
      }
      const response = part.functionResponse;
      if (
        response !== undefined &&
        (!isObject(response) || typeof response.name !== 'string' || !isObject(response.response))
      ) {
        return `* GenerateContentRequest.contents[${i}].parts: functionResponse needs a name and an object response.`;
      }
    }
    const parts = c.parts as Json[];
    const responses = names(parts, 'functionResponse');
    if (responses.length > 0) {
      const prev = i > 0 ? (contents[i - 1] as Json) : undefined;
      const calls = prev?.role === 'model' ? names(prev.parts as Json[], 'functionCall') : [];
      if (calls.length === 0)
        return 'Please ensure that function response turn comes immediately after a function call turn.';
      if (calls.length !== responses.length)
        return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
      if (calls.join('\n') !== responses.join('\n'))
        return `Function response names ${responses.join(', ')} do not match the function calls ${calls.join(', ')} of the previous turn.`;
    }
  }
  const declared = new Set<string>();
  for (const tool of Array.isArray(body.tools) ? (body.tools as unknown[]) : []) {
    const declarations =
      isObject(tool) && Array.isArray(tool.functionDeclarations) ? (tool.functionDeclarations as unknown[]) : [];
    for (const d of declarations) {
      if (!isObject(d) || typeof d.name !== 'string' || !FUNCTION_NAME.test(d.name))
        return '* GenerateContentRequest.tools[0].function_declarations: Invalid function name.';
      if (d.parameters !== undefined && d.parametersJsonSchema !== undefined)
        return `* function_declarations ${d.name}: parameters and parameters_json_schema are mutually exclusive.`;
      declared.add(d.name);
    }
  }
  const calling = isObject(body.toolConfig) ? body.toolConfig.functionCallingConfig : undefined;
  if (isObject(calling)) {
    if (calling.mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED'].includes(String(calling.mode)))
      return `* tool_config.function_calling_config.mode: invalid value ${String(calling.mode)}.`;
    for (const name of Array.isArray(calling.allowedFunctionNames) ? (calling.allowedFunctionNames as unknown[]) : []) {
      if (!declared.has(String(name)))
        return `* tool_config.function_calling_config.allowed_function_names: ${String(name)} is not a declared function.`;
    }
  }
  const generation = isObject(body.generationConfig) ? body.generationConfig : {};
  if (Array.isArray(generation.stopSequences) && generation.stopSequences.length > 5)
    return '* GenerateContentRequest.generation_config.stop_sequences: at most 5 stop sequences are allowed.';
  if (generation.responseSchema !== undefined && generation.responseJsonSchema !== undefined)
    return '* generation_config: response_schema and response_json_schema are mutually exclusive.';
  return undefined;
}

function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts
    .map((p: unknown) => (typeof (p as Json)?.text === 'string' ? ((p as Json).text as string) : ''))
    .join('');
}

/** Text of the last user content that has text (function responses alone do not count). */
export function geminiLastUserText(body: Json | undefined): string {
  const contents = body?.contents;
  if (!Array.isArray(contents)) return '';
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i] as Json;
    if (c.role !== undefined && c.role !== 'user') continue;
    const text = partsText(c.parts);
    if (text !== '') return text;
  }
  return '';
}

function finishReason(reply: ResolvedReply): string {
  // Gemini says STOP after function calls too (there is no tool-use finish reason).
  return reply.finishReason ?? 'STOP';
}

function usageJson(reply: ResolvedReply): Json {
  const u = reply.usage;
  const usage: Json = {
    promptTokenCount: u.input,
    candidatesTokenCount: u.output,
    totalTokenCount: u.input + u.output + u.reasoning,
  };
  if (u.cacheRead > 0) usage.cachedContentTokenCount = u.cacheRead;
  if (u.reasoning > 0) usage.thoughtsTokenCount = u.reasoning;
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: u.input }];
  return usage;
}

function functionCallParts(reply: ResolvedReply): Json[] {
  return reply.toolCalls.map((c) => {
    const call: Json = { name: c.name, args: JSON.parse(c.arguments) as unknown };
    // Gemini 2.x sends no id; a scripted one is sent as given.
    if (c.id !== '') call.id = c.id;
    return { functionCall: call };
  });
}

function response(reply: ResolvedReply, id: string, parts: Json[], final: boolean): Json {
  const candidate: Json = { content: { parts, role: 'model' } };
  if (final) candidate.finishReason = finishReason(reply);
  candidate.index = 0;
  return { candidates: [candidate], usageMetadata: usageJson(reply), modelVersion: reply.model, responseId: id };
}

export function geminiResponseJson(reply: ResolvedReply, id: string): Json {
  const parts: Json[] = [];
  if (reply.text !== '') parts.push({ text: reply.text });
  parts.push(...functionCallParts(reply));
  return response(reply, id, parts, true);
}

/** One chunk per text piece; function calls (whole, as Gemini streams them) and the finish reason
 *  come in the last chunk. Every chunk repeats usageMetadata, as the real stream does. */
export function geminiFrames(reply: ResolvedReply, id: string): SseFrame[] {
  const frames: SseFrame[] = [];
  const texts = splitIntoChunks(reply.text);
  const calls = functionCallParts(reply);
  const lastTextChunk = calls.length > 0 ? texts.length : texts.length - 1;
  texts.forEach((text, i) => {
    frames.push({ data: JSON.stringify(response(reply, id, [{ text }], i === lastTextChunk)) });
  });
  if (calls.length > 0 || texts.length === 0) {
    frames.push({ data: JSON.stringify(response(reply, id, calls.length > 0 ? calls : [{ text: '' }], true)) });
  }
  return frames;
}
