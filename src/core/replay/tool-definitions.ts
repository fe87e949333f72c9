// Tool definitions for a span that used tools but recorded none. Some instrumentations record the
// tool calls and results but not the definitions (Traceloop's Anthropic instrumentation, the OTel
// openai-v2 latest conventions); sending such a conversation without tools would leave the
// replayed model unable to call the tool the conversation is about. The definitions are taken, per
// tool name and in this order, from (a) another span of the same trace, then of the store, that
// recorded a definition with that name; (b) the tool-definitions file the user named (`--tools
// FILE`, setting traceReplay.replay.toolDefinitionsPath); (c) a schema inferred from the recorded
// arguments. Every case leaves a warning on the span naming where the definition came from.
import { errorMessage } from '../util/error-message';
import { UserError } from '../util/user-error';
import { readFile } from 'node:fs/promises';
import type { LlmCall, Span, ToolDefinition, Trace } from '../model/trace';

/** A tool-definitions file that cannot be read or has no usable definition. */
export class ToolDefinitionsFileError extends UserError {
  readonly code = 'TOOL_DEFINITIONS_FILE_INVALID';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `The tool-definitions file ${path} ${detail}; give a JSON file with OpenAI ([{"type":"function","function":{...}}]), Anthropic ([{"name","input_schema"}]) or JSON-Schema ({"<tool>": <schema>}) definitions.`,
    );
    this.name = 'ToolDefinitionsFileError';
  }
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definitionFrom(item: unknown): ToolDefinition | undefined {
  if (!isRecord(item)) return undefined;
  // OpenAI chat: {type: 'function', function: {name, description, parameters}}
  const fn = isRecord(item.function) ? item.function : item;
  const name = fn.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const def: ToolDefinition = { name };
  if (typeof fn.description === 'string') def.description = fn.description;
  // OpenAI (chat / Responses): parameters; Anthropic: input_schema; MCP: inputSchema; plain: schema.
  const schema = fn.parameters ?? fn.input_schema ?? fn.inputSchema ?? fn.schema;
  if (isRecord(schema)) def.parameters = schema;
  return def;
}

/** OpenAI, Anthropic or JSON-Schema definitions, as a list, `{tools: [...]}`, or `{name: schema}`. */
export function parseToolDefinitions(value: unknown): ToolDefinition[] {
  const list = isRecord(value) && Array.isArray(value.tools) ? value.tools : value;
  if (Array.isArray(list)) return list.map(definitionFrom).filter((d): d is ToolDefinition => d !== undefined);
  if (!isRecord(list)) return [];
  // {name: JSON Schema} (or {name: {description, parameters}})
  const out: ToolDefinition[] = [];
  for (const [name, v] of Object.entries(list)) {
    if (!isRecord(v)) continue;
    const nested = definitionFrom({ name, ...v });
    if (nested?.parameters !== undefined) out.push(nested);
    else
      out.push(
        typeof v.description === 'string' && v.type === undefined
          ? { name, description: v.description }
          : { name, parameters: v },
      );
  }
  return out;
}

export async function loadToolDefinitionsFile(path: string): Promise<ToolDefinition[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ToolDefinitionsFileError(
      path,
      code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? errorMessage(err)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ToolDefinitionsFileError(path, `is not valid JSON (${errorMessage(err)})`);
  }
  const tools = parseToolDefinitions(value);
  if (tools.length === 0) throw new ToolDefinitionsFileError(path, 'holds no tool definition');
  return tools;
}

/** Tool names the call used (calls in the conversation and in the recorded output), in first-use order. */
export function toolNamesUsed(call: LlmCall): string[] {
  const names: string[] = [];
  const add = (n: string): void => {
    if (n !== '' && !names.includes(n)) names.push(n);
  };
  for (const m of call.messages) for (const p of m.parts) if (p.type === 'tool_call') add(p.name);
  for (const c of call.output.toolCalls) add(c.name);
  return names;
}

/** True when the span used tools but recorded no definitions. */
export function needsToolDefinitions(call: LlmCall): boolean {
  return (call.tools === undefined || call.tools.length === 0) && toolNamesUsed(call).length > 0;
}

function recordedArguments(trace: Trace | undefined, call: LlmCall, name: string): unknown[] {
  const out: unknown[] = [];
  const calls = (c: LlmCall): void => {
    for (const m of c.messages)
      for (const p of m.parts) if (p.type === 'tool_call' && p.name === name) out.push(p.arguments);
    for (const p of c.output.toolCalls) if (p.name === name) out.push(p.arguments);
  };
  calls(call);
  for (const s of trace?.spans ?? []) if (s.llm && s.llm !== call) calls(s.llm);
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** A JSON Schema from the arguments the tool was called with: each seen property with the types it
 *  had, required when every call had it. No descriptions: they were never recorded. */
export function inferToolSchema(argumentsSeen: unknown[]): Json {
  const objects = argumentsSeen
    .map((a) => {
      if (typeof a !== 'string') return a;
      try {
        return JSON.parse(a) as unknown;
      } catch {
        return undefined;
      }
    })
    .filter(isRecord);
  const types = new Map<string, Set<string>>();
  for (const o of objects) {
    for (const [k, v] of Object.entries(o)) {
      let set = types.get(k);
      if (!set) types.set(k, (set = new Set()));
      const t = jsonType(v);
      // An integer seen next to a float is a number.
      set.add(t);
      if (set.has('integer') && set.has('number')) set.delete('integer');
    }
  }
  const properties: Json = {};
  for (const [k, set] of types) {
    const list = [...set];
    properties[k] = { type: list.length === 1 ? list[0] : list };
  }
  const required = [...types.keys()].filter((k) => objects.length > 0 && objects.every((o) => k in o));
  const schema: Json = { type: 'object', properties };
  if (required.length) schema.required = required;
  return schema;
}

/** Where the definitions of the store's other traces are looked up (the newest first, bounded). */
export interface ToolDefinitionCatalog {
  /** A recorded definition for `name` and where it was found ("trace <id>"), or undefined. */
  find(name: string): Promise<{ definition: ToolDefinition; where: string } | undefined>;
}

export interface ToolFillContext {
  trace?: Trace;
  /** The store's other traces (rule a). */
  catalog?: ToolDefinitionCatalog;
  /** The user's tool-definitions file, loaded (rule b), and its path for the warnings. */
  file?: { path: string; tools: ToolDefinition[] };
}

export interface ToolFill {
  call: LlmCall;
  warnings: string[];
}

function fromTrace(
  trace: Trace | undefined,
  span: Span,
  name: string,
): { definition: ToolDefinition; spanId: string } | undefined {
  for (const s of trace?.spans ?? []) {
    if (s.id === span.id) continue;
    const def = s.llm?.tools?.find((t) => t.name === name) ?? s.wrappedLlm?.tools?.find((t) => t.name === name);
    if (def !== undefined) return { definition: def, spanId: s.id };
  }
  return undefined;
}

const FIX = 'give the real definitions with --tools FILE (VS Code: the traceReplay.replay.toolDefinitionsPath setting)';

/** The call with tool definitions filled in when it used tools but recorded none; unchanged otherwise. */
export async function fillToolDefinitions(call: LlmCall, span: Span, ctx: ToolFillContext): Promise<ToolFill> {
  if (!needsToolDefinitions(call)) return { call, warnings: [] };
  const tools: ToolDefinition[] = [];
  const bySource = new Map<string, string[]>();
  const note = (source: string, name: string): void => {
    const list = bySource.get(source) ?? [];
    list.push(name);
    bySource.set(source, list);
  };
  for (const name of toolNamesUsed(call)) {
    const inTrace = fromTrace(ctx.trace, span, name);
    if (inTrace) {
      tools.push(inTrace.definition);
      note(`recorded on span ${inTrace.spanId} of this trace`, name);
      continue;
    }
    const inStore = await ctx.catalog?.find(name);
    if (inStore) {
      tools.push(inStore.definition);
      note(`recorded in ${inStore.where}`, name);
      continue;
    }
    const inFile = ctx.file?.tools.find((t) => t.name === name);
    if (inFile && ctx.file) {
      tools.push(inFile);
      note(`from ${ctx.file.path}`, name);
      continue;
    }
    tools.push({ name, parameters: inferToolSchema(recordedArguments(ctx.trace, call, name)) });
    note('inferred from the recorded arguments (types only, no descriptions)', name);
  }
  const warnings = [...bySource].map(([source, names]) => {
    const what = `${names.length > 1 ? 'tools' : 'tool'} ${names.join(', ')}`;
    const inferred = source.startsWith('inferred');
    return `the span recorded calls to ${what} but no tool definitions; ${names.length > 1 ? 'their definitions were' : 'its definition was'} ${source}${inferred ? `; ${FIX}` : ''}`;
  });
  return { call: { ...call, tools }, warnings };
}

/** Searches the newest `limit` recorded traces of a store for tool definitions, once per name. */
export function storeToolCatalog(
  store: {
    listTraces(options: { limit?: number; filter?: { origin?: 'recorded' } }): Promise<{ id: string }[]>;
    getTrace(id: string): Promise<Trace | undefined>;
  },
  excludeTraceId: string,
  limit = 200,
): ToolDefinitionCatalog {
  let index: Promise<Map<string, { definition: ToolDefinition; where: string }>> | undefined;
  const build = async (): Promise<Map<string, { definition: ToolDefinition; where: string }>> => {
    const found = new Map<string, { definition: ToolDefinition; where: string }>();
    for (const summary of await store.listTraces({ limit, filter: { origin: 'recorded' } })) {
      if (summary.id === excludeTraceId) continue;
      const trace = await store.getTrace(summary.id).catch(() => undefined);
      for (const s of trace?.spans ?? []) {
        for (const def of s.llm?.tools ?? [])
          if (!found.has(def.name)) found.set(def.name, { definition: def, where: `trace ${summary.id}` });
      }
    }
    return found;
  };
  return {
    async find(name) {
      index ??= build();
      return (await index).get(name);
    },
  };
}

/** Tools the trace's LLM spans called without recording their definitions (what the catalog and
 *  the file are asked for): a queue submitter sends these along with the job. */
export function toolNamesNeeded(trace: Trace): string[] {
  const names = new Set<string>();
  for (const span of trace.spans) {
    if (span.llm && needsToolDefinitions(span.llm)) for (const name of toolNamesUsed(span.llm)) names.add(name);
  }
  return [...names];
}
