// Phoenix's OTel GenAI -> OpenInference synthesis, ported from Arize-ai/phoenix
// src/phoenix/trace/gen_ai/conversion.py (get_openinference_attributes), which decode_otlp_span runs on
// every span with gen_ai.* attributes before storing it: the synthesized keys are added where the span
// lacks them (setdefault), so a span from an OTel GenAI instrumentation gets an openinference.span.kind,
// llm.model_name, llm.token_count.*, llm.input_messages / llm.output_messages, llm.tools, tool.* and
// retrieval.documents as Phoenix shows them. The JSON attributes (gen_ai.input_messages, ...) are
// validated as Phoenix's generated pydantic models do: one malformed item drops the whole list; a part
// of an unknown or malformed type becomes a generic part, which the flattening skips.
type Json = Record<string, unknown>;
type Flat = Record<string, unknown>;

const REQUEST_PARAMETER_KEYS: [string, string][] = [
  ['gen_ai.request.temperature', 'temperature'],
  ['gen_ai.request.top_p', 'top_p'],
  ['gen_ai.request.top_k', 'top_k'],
  ['gen_ai.request.max_tokens', 'max_tokens'],
  ['gen_ai.request.frequency_penalty', 'frequency_penalty'],
  ['gen_ai.request.presence_penalty', 'presence_penalty'],
  ['gen_ai.request.seed', 'seed'],
  ['gen_ai.request.stream', 'stream'],
  ['gen_ai.request.choice.count', 'n'],
];

const PROVIDERS: Record<string, [string | null, string | null]> = {
  openai: ['openai', 'openai'],
  anthropic: ['anthropic', 'anthropic'],
  cohere: ['cohere', 'cohere'],
  mistral_ai: ['mistralai', 'mistralai'],
  deepseek: ['deepseek', null],
  groq: ['groq', null],
  perplexity: ['perplexity', null],
  x_ai: ['xai', null],
  'azure.ai.openai': ['azure', 'openai'],
  'azure.ai.inference': ['azure', null],
  'aws.bedrock': ['aws', null],
  'gcp.vertex_ai': ['google', 'vertexai'],
  'gcp.gen_ai': ['google', null],
  'gcp.gemini': ['google', null],
};

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's repr of a float, as json.dumps writes it (1.0, 0.5, 1e-05, 1e+16). */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const fixed = String(x);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** json.dumps(value, ensure_ascii=False), numbers in `doubles` paths written as Python floats. */
function dumps(value: unknown, isDouble: (v: number) => boolean = () => false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return isDouble(value) ? pythonFloat(value) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => dumps(v, isDouble)).join(', ')}]`;
  return `{${Object.entries(value as Json)
    .map(([k, v]) => `${JSON.stringify(k)}: ${dumps(v, isDouble)}`)
    .join(', ')}}`;
}

function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v) || isObject(v)) return dumps(v);
  return String(v);
}

const asOptionalStr = (v: unknown): string | null => (v === null || v === undefined ? null : pyStr(v));
const asString = (v: unknown): string => (typeof v === 'string' ? v : dumps(v));

function coerceInt(v: unknown): number | null {
  if (typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return null;
}

function stringSequence(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map(pyStr);
  return null;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function parseJsonList(value: unknown): unknown[] | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const optStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

type Part =
  | { kind: 'text' | 'reasoning'; content: string }
  | { kind: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { kind: 'tool_call_response'; id: string | null; response: unknown }
  | { kind: 'uri'; uri: string }
  | { kind: 'blob'; content: string; mimeType: string | null }
  | { kind: 'other' };

/** One part as the pydantic union resolves it; undefined when no member (not even GenericPart) accepts it. */
function part(p: unknown): Part | undefined {
  if (!isObject(p)) return undefined;
  const generic: Part | undefined = typeof p.type === 'string' ? { kind: 'other' } : undefined;
  switch (p.type) {
    case 'text':
    case 'reasoning':
      return typeof p.content === 'string' ? { kind: p.type, content: p.content } : generic;
    case 'tool_call':
      return typeof p.name === 'string' && optStr(p.id)
        ? { kind: 'tool_call', id: (p.id as string | undefined) ?? null, name: p.name, arguments: p.arguments ?? null }
        : generic;
    case 'tool_call_response':
      return 'response' in p && optStr(p.id)
        ? { kind: 'tool_call_response', id: (p.id as string | undefined) ?? null, response: p.response }
        : generic;
    case 'uri':
      return typeof p.uri === 'string' && typeof p.modality === 'string' && optStr(p.mime_type)
        ? { kind: 'uri', uri: p.uri }
        : generic;
    case 'blob':
      return typeof p.content === 'string' && typeof p.modality === 'string' && optStr(p.mime_type)
        ? { kind: 'blob', content: p.content, mimeType: (p.mime_type as string | undefined) ?? null }
        : generic;
    default:
      return generic;
  }
}

interface Message {
  role: string;
  name: string | null;
  finishReason?: string;
  parts: Part[];
}

/** _validate_root_list for InputMessages / OutputMessages / SystemInstructions. */
function messages(value: unknown, kind: 'input' | 'output'): Message[] {
  const list = parseJsonList(value);
  if (!list) return [];
  const out: Message[] = [];
  for (const m of list) {
    if (!isObject(m) || typeof m.role !== 'string' || !Array.isArray(m.parts) || !optStr(m.name)) return [];
    if (kind === 'output' && typeof m.finish_reason !== 'string') return [];
    const parts = m.parts.map((p) => part(p));
    if (parts.some((p) => p === undefined)) return [];
    out.push({
      role: m.role,
      name: (m.name as string | undefined) ?? null,
      finishReason: m.finish_reason as string | undefined,
      parts: parts as Part[],
    });
  }
  return out;
}

function systemInstructions(value: unknown): Part[] {
  const list = parseJsonList(value);
  if (!list) return [];
  const parts = list.map((p) => part(p));
  return parts.some((p) => p === undefined) ? [] : (parts as Part[]);
}

function flattenMessage(message: Message, prefix: string, index: number): Flat {
  const flat: Flat = {};
  const base = `${prefix}.${index}`;
  flat[`${base}.message.role`] = message.role;
  if (message.name) flat[`${base}.message.name`] = message.name;
  if (message.finishReason) flat[`${base}.message.finish_reason`] = message.finishReason;
  const texts: string[] = [];
  const contents: Part[] = [];
  const calls: Extract<Part, { kind: 'tool_call' }>[] = [];
  let response: Extract<Part, { kind: 'tool_call_response' }> | undefined;
  for (const p of message.parts) {
    if (p.kind === 'text') {
      texts.push(p.content);
      contents.push(p);
    } else if (p.kind === 'uri' || p.kind === 'blob' || p.kind === 'reasoning') contents.push(p);
    else if (p.kind === 'tool_call') calls.push(p);
    else if (p.kind === 'tool_call_response') response = p;
  }
  if (response) {
    if (response.id) flat[`${base}.message.tool_call_id`] = response.id;
    if (response.response !== null && response.response !== undefined)
      flat[`${base}.message.content`] = asString(response.response);
    return flat;
  }
  const nonText = contents.some((p) => p.kind !== 'text');
  if (contents.length && (nonText || texts.length > 1)) {
    contents.forEach((p, i) => {
      const c = `${base}.message.contents.${i}.message_content`;
      if (p.kind === 'text' || p.kind === 'reasoning') {
        flat[`${c}.type`] = p.kind;
        flat[`${c}.text`] = p.content;
      } else {
        flat[`${c}.type`] = 'image';
        const url =
          p.kind === 'uri'
            ? p.uri
            : p.kind === 'blob' && isAscii(p.content)
              ? `data:${p.mimeType || 'application/octet-stream'};base64,${p.content}`
              : undefined;
        if (url) flat[`${c}.image.image.url`] = url;
      }
    });
  } else if (texts.length) {
    flat[`${base}.message.content`] = texts.join('');
  }
  calls.forEach((call, i) => {
    const c = `${base}.message.tool_calls.${i}.tool_call`;
    if (call.id) flat[`${c}.id`] = call.id;
    if (call.name) flat[`${c}.function.name`] = call.name;
    if (call.arguments !== null && call.arguments !== undefined)
      flat[`${c}.function.arguments`] = asString(call.arguments);
  });
  return flat;
}

function inferSpanKind(a: Flat): string | null {
  const operation = asOptionalStr(a['gen_ai.operation.name']);
  if (operation === null) {
    if (truthy(a['gen_ai.tool.call.id']) || truthy(a['gen_ai.tool.name'])) return 'TOOL';
    if (truthy(a['gen_ai.retrieval.documents']) || truthy(a['gen_ai.retrieval.query.text'])) return 'RETRIEVER';
    if (a['gen_ai.embeddings.dimension.count'] !== undefined && a['gen_ai.embeddings.dimension.count'] !== null)
      return 'EMBEDDING';
    if (truthy(a['gen_ai.input.messages']) || truthy(a['gen_ai.output.messages']) || truthy(a['gen_ai.request.model']))
      return 'LLM';
    return null;
  }
  if (['chat', 'text_completion', 'generate_content'].includes(operation)) return 'LLM';
  if (operation === 'embeddings') return 'EMBEDDING';
  if (operation === 'execute_tool') return 'TOOL';
  if (operation === 'retrieval') return 'RETRIEVER';
  if (operation === 'invoke_agent' || operation === 'create_agent') return 'AGENT';
  return null;
}

function toolDefinitions(value: unknown): Json[] {
  const items = parseJsonList(value);
  if (!items) return [];
  const out: Json[] = [];
  for (const item of items) {
    if (isObject(item) && !('type' in item)) item.type = 'function';
    if (!isObject(item) || typeof item.type !== 'string' || typeof item.name !== 'string') return [];
    const isFunction =
      item.type === 'function' &&
      optStr(item.description) &&
      (item.parameters === undefined || item.parameters === null || isObject(item.parameters));
    const fn: Json = { name: item.name };
    const description = item.description;
    const parameters = isFunction ? (item.parameters ?? null) : item.parameters;
    if (truthy(description)) fn.description = description;
    if (parameters !== null && parameters !== undefined) fn.parameters = parameters;
    out.push({ type: item.type, function: fn });
  }
  return out;
}

/** get_openinference_attributes(attributes); `doubles`: keys whose values were sent as doubleValue. */
export function openInferenceFromGenAi(a: Flat, doubles: ReadonlySet<string> = new Set()): Flat {
  if (!Object.keys(a).some((k) => k.startsWith('gen_ai.'))) return {};
  const oi: Flat = {};
  const kind = inferSpanKind(a);
  if (kind !== null) oi['openinference.span.kind'] = kind;

  let provider = asOptionalStr(a['gen_ai.provider.name']);
  if (provider === null) {
    const legacy = asOptionalStr(a['gen_ai.system']);
    provider = legacy === null ? null : legacy.toLowerCase();
  }
  if (provider !== null) {
    const [oiProvider, system] = PROVIDERS[provider] ?? [null, provider];
    if (oiProvider !== null) oi['llm.provider'] = oiProvider;
    if (system !== null) oi['llm.system'] = system;
  }
  const conversation = asOptionalStr(a['gen_ai.conversation.id']);
  if (conversation) oi['session.id'] = conversation;

  const model = asOptionalStr(a['gen_ai.request.model']);
  if (model) oi[kind === 'EMBEDDING' ? 'embedding.model_name' : 'llm.model_name'] = model;
  const parameters: Json = {};
  const doubleParams = new Set<unknown>();
  for (const [key, name] of REQUEST_PARAMETER_KEYS) {
    if (key in a && a[key] !== null && a[key] !== undefined) {
      parameters[name] = a[key];
      if (doubles.has(key)) doubleParams.add(name);
    }
  }
  const stop = stringSequence(a['gen_ai.request.stop_sequences']);
  if (stop?.length) parameters.stop = stop;
  const formats = stringSequence(a['gen_ai.request.encoding_formats']);
  if (formats?.length) {
    if (formats.length === 1) parameters.encoding_format = formats[0];
    else parameters.encoding_formats = formats;
  }
  const outputType = asOptionalStr(a['gen_ai.output.type']);
  if (outputType === 'json') parameters.response_format = { type: 'json_object' };
  else if (outputType === 'text') parameters.response_format = { type: 'text' };
  if (Object.keys(parameters).length) {
    const text = `{${Object.entries(parameters)
      .map(([k, v]) => `${JSON.stringify(k)}: ${dumps(v, () => doubleParams.has(k))}`)
      .join(', ')}}`;
    oi[kind === 'EMBEDDING' ? 'embedding.invocation_parameters' : 'llm.invocation_parameters'] = text;
  }

  const input = coerceInt(a['gen_ai.usage.input_tokens']);
  const output = coerceInt(a['gen_ai.usage.output_tokens']);
  const cacheRead = coerceInt(a['gen_ai.usage.cache_read.input_tokens']);
  const cacheWrite = coerceInt(a['gen_ai.usage.cache_creation.input_tokens']);
  if (input !== null) oi['llm.token_count.prompt'] = input;
  if (output !== null) oi['llm.token_count.completion'] = output;
  if (input !== null && output !== null) oi['llm.token_count.total'] = input + output;
  if (cacheRead !== null) oi['llm.token_count.prompt_details.cache_read'] = cacheRead;
  if (cacheWrite !== null) oi['llm.token_count.prompt_details.cache_write'] = cacheWrite;

  let next = 0;
  const system = systemInstructions(a['gen_ai.system_instructions']);
  if (system.length)
    Object.assign(oi, flattenMessage({ role: 'system', name: null, parts: system }, 'llm.input_messages', next++));
  for (const m of messages(a['gen_ai.input.messages'], 'input'))
    Object.assign(oi, flattenMessage(m, 'llm.input_messages', next++));
  messages(a['gen_ai.output.messages'], 'output').forEach((m, i) =>
    Object.assign(oi, flattenMessage(m, 'llm.output_messages', i)),
  );

  const reasons = stringSequence(a['gen_ai.response.finish_reasons']);
  if (reasons?.length) oi['llm.finish_reason'] = reasons.length === 1 ? reasons[0] : reasons;
  const payload: Json = {};
  const responseId = asOptionalStr(a['gen_ai.response.id']);
  const responseModel = asOptionalStr(a['gen_ai.response.model']);
  if (responseId) payload.id = responseId;
  if (responseModel) payload.model = responseModel;
  if (Object.keys(payload).length) {
    oi['output.value'] = dumps(payload);
    oi['output.mime_type'] = 'application/json';
  }

  toolDefinitions(a['gen_ai.tool.definitions']).forEach((d, i) => {
    oi[`llm.tools.${i}.tool.json_schema`] = dumps(d);
  });
  if (kind === 'TOOL') {
    const name = asOptionalStr(a['gen_ai.tool.name']);
    if (name) oi['tool.name'] = name;
    const description = asOptionalStr(a['gen_ai.tool.description']);
    if (description) oi['tool.description'] = description;
    const callId = asOptionalStr(a['gen_ai.tool.call.id']);
    if (callId) oi['tool.id'] = callId;
    const args = a['gen_ai.tool.call.arguments'];
    if (args !== null && args !== undefined) {
      const parsed = maybeJson(args);
      oi['tool.parameters'] = isObject(parsed) ? dumps(parsed) : asString(args);
    }
    const result = a['gen_ai.tool.call.result'];
    if (result !== null && result !== undefined) {
      oi['output.value'] = asString(result);
      const parsed = maybeJson(result);
      if (isObject(parsed) || Array.isArray(parsed)) oi['output.mime_type'] = 'application/json';
    }
  }
  if (kind === 'RETRIEVER') {
    const query = asOptionalStr(a['gen_ai.retrieval.query.text']);
    if (query) {
      oi['input.value'] = query;
      oi['input.mime_type'] = 'text/plain';
    }
    const documents = parseJsonList(a['gen_ai.retrieval.documents']);
    const valid =
      documents && documents.every((d) => isObject(d) && typeof d.id === 'string' && typeof d.score === 'number');
    (valid ? (documents as Json[]) : []).forEach((d, i) => {
      const base = `retrieval.documents.${i}.document`;
      if (d.id) oi[`${base}.id`] = d.id;
      oi[`${base}.score`] = d.score;
      if (d.content !== undefined && d.content !== null) oi[`${base}.content`] = asString(d.content);
      if (d.metadata !== undefined && d.metadata !== null)
        oi[`${base}.metadata`] = typeof d.metadata === 'string' ? d.metadata : dumps(d.metadata);
    });
  }
  return oi;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}
