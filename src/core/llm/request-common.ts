// Shared by the request builders of every API: the build context, tool-call id pairing, argument
// and image encodings, and the rules for parameters a target does not take.
import type { LlmApi, LlmCall, Message, MessagePart, ToolCallPart } from '../model/trace';
import type { ProviderConfig } from './llm-types';

export type Json = Record<string, unknown>;

export interface BuildContext {
  call: LlmCall;
  /** Model the request goes to (the override, or the recorded one). */
  model: string;
  /** Kind of the target provider config: the id of its adapter in the provider registry. */
  kind: ProviderConfig['kind'];
  /** Target API. */
  api: LlmApi;
  /** True when the call was recorded with the same API family it is sent with: provider-specific
   *  recorded parameters (`parameters.extra`, raw `other` parts) are passed through as they are. */
  sameApi: boolean;
  warnings: string[];
}

/** Tool-call arguments as the JSON string OpenAI sends; a recorded raw (unparsable) string is kept. */
export function argumentsJson(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args ?? {});
}

/** Tool-call arguments as the object Anthropic's tool_use.input needs. */
export function argumentsObject(args: unknown, where: string, warnings: string[]): Json {
  let value = args;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      warnings.push(`${where}: arguments are not JSON; sent as {"input": <text>}.`);
      return { input: value };
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  if (value === undefined || value === null) return {};
  warnings.push(`${where}: arguments are not a JSON object; sent as {"input": <value>}.`);
  return { input: value };
}

export function textOf(parts: MessagePart[]): string {
  return parts
    .filter((p) => p.type === 'text')
    .map((p) => (p as { text: string }).text)
    .join('');
}

/** An image part as a URL (inline data becomes a data: URL). */
export function imageUrl(part: Extract<MessagePart, { type: 'image' }>): string | undefined {
  if (part.url) return part.url;
  if (part.data) return `data:${part.mediaType ?? 'image/png'};base64,${part.data}`;
  return undefined;
}

/**
 * Gives every tool call an id and every tool result the id of the call it answers, so each target
 * can pair them (Anthropic's tool_use_id, OpenAI's tool_call_id / call_id). Recorded ids are kept
 * as they are; missing ones are filled in order and reported.
 */
export function pairToolCalls(messages: Message[], warnings: string[]): Message[] {
  const pending: string[] = [];
  let generated = 0;
  return messages.map((m, mi) => {
    const parts = m.parts.map((p): MessagePart => {
      if (p.type === 'tool_call') {
        let id = p.id;
        if (id === undefined || id === '') {
          id = `call_replay_${++generated}`;
          warnings.push(`message ${mi}: tool call ${p.name} had no recorded id; sent as ${id}.`);
        }
        pending.push(id);
        return { ...p, id } satisfies ToolCallPart;
      }
      if (p.type === 'tool_result') {
        if (p.toolCallId !== undefined && p.toolCallId !== '') {
          const at = pending.indexOf(p.toolCallId);
          if (at >= 0) pending.splice(at, 1);
          return p;
        }
        const id = pending.shift();
        if (id === undefined) {
          warnings.push(`message ${mi}: a tool result has no call id and no earlier tool call to answer.`);
          return p;
        }
        warnings.push(`message ${mi}: a tool result had no recorded call id; paired with ${id} in order.`);
        return { ...p, toolCallId: id };
      }
      return p;
    });
    return { ...m, parts };
  });
}

/** Recorded provider-specific parameters: passed through for the same API, else listed as dropped. */
export function extraParameters(ctx: BuildContext, portable: ReadonlySet<string> = new Set()): Json {
  const extra = ctx.call.parameters.extra ?? {};
  const out: Json = {};
  for (const [key, value] of Object.entries(extra)) {
    if (ctx.sameApi || portable.has(key)) out[key] = value;
    else ctx.warnings.push(`parameter ${key} (recorded for ${ctx.call.api}) is not sent to ${ctx.api}.`);
  }
  return out;
}

export function dropParameter(ctx: BuildContext, name: string, value: unknown, reason: string): void {
  if (value === undefined) return;
  ctx.warnings.push(`${name}=${JSON.stringify(value)} not sent: ${reason}.`);
}

/** Leading system messages (instructions) and the rest of the conversation. */
export function splitSystem(messages: Message[]): { system: Message[]; rest: Message[] } {
  let i = 0;
  while (i < messages.length && messages[i].role === 'system') i++;
  return { system: messages.slice(0, i), rest: messages.slice(i) };
}

/** A content part recorded in a shape we do not model: sent again as it was to the API that
 *  recorded it, else dropped with a warning naming it (`api`: "the Messages API", "Converse"...). */
export function keepOtherPart(ctx: BuildContext, value: unknown, out: Json[], where: string, api: string): void {
  if (ctx.sameApi && typeof value === 'object' && value !== null) out.push(value as Json);
  else
    ctx.warnings.push(
      `${where}: a content part ${api} cannot carry was dropped (${JSON.stringify(value).slice(0, 80)}).`,
    );
}

/** Adds `key: value` to `body` unless value is undefined. */
export function put(body: Json, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}
