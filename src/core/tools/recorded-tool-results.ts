// The tool results a trace recorded, so a live replay can fall back to them for a tool no MCP server
// offers. They come from the conversations of the LLM spans (an assistant tool_call and the
// tool_result answering its id) and from tool spans (tool name, recorded input and output). A call
// finds the recorded result of the same call id (and name), else of the same name and arguments.
import { isDeepStrictEqual } from 'node:util';
import type { Span, ToolCallPart } from '../model/trace';

export interface RecordedToolResult {
  toolCallId?: string;
  name: string;
  arguments: unknown;
  content: string;
  isError?: boolean;
  /** The span it was read from. */
  spanId: string;
}

export interface RecordedToolResults {
  readonly all: readonly RecordedToolResult[];
  /** The recorded result of this call: same id and name, else same name and arguments. */
  find(call: Pick<ToolCallPart, 'id' | 'name' | 'arguments'>): RecordedToolResult | undefined;
}

/** JSON arguments parsed (a string that parses), so `{"a":1}` and {a: 1} compare equal. */
export function normalizeToolArguments(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fromConversations(spans: readonly Span[], out: RecordedToolResult[]): void {
  const seen = new Set<string>();
  for (const span of spans) {
    const messages = span.llm?.messages ?? [];
    const calls = new Map<string, ToolCallPart>();
    for (const m of messages)
      for (const p of m.parts) if (p.type === 'tool_call' && p.id !== undefined && p.id !== '') calls.set(p.id, p);
    for (const m of messages)
      for (const p of m.parts) {
        if (p.type !== 'tool_result' || p.toolCallId === undefined) continue;
        const call = calls.get(p.toolCallId);
        if (!call || seen.has(p.toolCallId)) continue;
        seen.add(p.toolCallId);
        const result: RecordedToolResult = {
          toolCallId: p.toolCallId,
          name: call.name,
          arguments: normalizeToolArguments(call.arguments),
          content: p.content,
          spanId: span.id,
        };
        if (p.isError === true) result.isError = true;
        out.push(result);
      }
  }
}

function fromToolSpans(spans: readonly Span[], out: RecordedToolResult[]): void {
  for (const span of spans) {
    if (span.kind !== 'tool' || span.io?.output === undefined) continue;
    const result: RecordedToolResult = {
      name: span.toolName ?? span.name,
      arguments: normalizeToolArguments(span.io.input),
      content: asText(span.io.output),
      spanId: span.id,
    };
    if (span.status.code === 'error') result.isError = true;
    out.push(result);
  }
}

export function recordedToolResults(trace: { spans: readonly Span[] }): RecordedToolResults {
  const all: RecordedToolResult[] = [];
  fromConversations(trace.spans, all);
  fromToolSpans(trace.spans, all);
  return {
    all,
    find(call) {
      if (call.id !== undefined && call.id !== '') {
        const byId = all.find((r) => r.toolCallId === call.id && r.name === call.name);
        if (byId) return byId;
      }
      const args = normalizeToolArguments(call.arguments);
      return all.find((r) => r.name === call.name && isDeepStrictEqual(r.arguments, args));
    },
  };
}
