// Chained mode: once an LLM span is replayed, later LLM spans see the replayed answer wherever their
// recorded input contained the recorded answer (the assistant turn of a later conversation, or the
// text an app pasted into a later prompt). Tool results are never re-run: when the replayed model
// asks for other tools or arguments, the recorded tool calls stay in the conversation (so recorded
// tool results stay paired with their call ids) and the span is flagged. What counts as a divergence
// is what the drift report (compare/tool-drift.ts) pairs as anything but matched: the same calls in
// another order, or with their keys in another order, are not one.
import { isDeepStrictEqual } from 'node:util';
import { normalizeArguments, pairToolCalls } from '../compare/tool-drift';
import type { LlmCall, LlmOutput, Message, MessagePart, ToolCallPart } from '../model/trace';
import type { ToolCallDivergence, ToolPolicy } from './replay-types';

export interface ChainLink {
  originalSpanId: string;
  recorded: LlmOutput;
  replayed: LlmOutput;
  /** The replayed tool calls differ from the recorded ones. */
  diverged: boolean;
  /** The span's replay failed: `replayed` is the recorded answer, and spans using it are flagged. */
  failed?: boolean;
}

// Shorter recorded answers ("ok", "4") would be replaced inside unrelated prompt text.
const MIN_EMBEDDED_TEXT = 12;

function normalizeArgs(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

function callShape(calls: ToolCallPart[]): Pick<ToolCallPart, 'name' | 'arguments'>[] {
  return calls.map((c) => ({ name: c.name, arguments: normalizeArguments(c.arguments) }));
}

/** Undefined when the replayed model asked for the same tools with the same arguments (in any order:
 *  the drift report's pairing, every call matched). The message says what the replay does next, by
 *  the tool policy (strict: it stops there). */
export function findToolCallDivergence(
  recorded: LlmOutput,
  replayed: LlmOutput,
  first: boolean,
  policy: ToolPolicy = 'recorded',
): ToolCallDivergence | undefined {
  if (pairToolCalls(recorded, replayed).every((p) => p.status === 'matched')) return undefined;
  const a = callShape(recorded.toolCalls);
  const b = callShape(replayed.toolCalls);
  const describe = (calls: typeof a): string =>
    calls.length === 0 ? 'no tool call' : calls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(', ');
  return {
    recorded: a,
    replayed: b,
    first,
    message: `the replayed model asked for ${describe(b)} where the recording has ${describe(a)}; ${
      policy === 'strict'
        ? 'the replay stops here (--tools strict; --tools recorded goes on with the recorded tool results)'
        : policy === 'live'
          ? 'the replay continues from the live tool results'
          : 'the replay continues with the recorded tool results'
    }`,
  };
}

function textOf(parts: MessagePart[]): string {
  return parts
    .filter((p): p is Extract<MessagePart, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

function sameCalls(parts: MessagePart[], recorded: ToolCallPart[]): boolean {
  const calls = parts.filter((p): p is ToolCallPart => p.type === 'tool_call');
  if (calls.length !== recorded.length) return false;
  return calls.every((c, i) => {
    const r = recorded[i];
    if (c.id && r.id) return c.id === r.id;
    return c.name === r.name && isDeepStrictEqual(normalizeArgs(c.arguments), normalizeArgs(r.arguments));
  });
}

function isRecordedTurn(message: Message, recorded: LlmOutput): boolean {
  if (message.role !== 'assistant') return false;
  if (recorded.text.trim() === '' && recorded.toolCalls.length === 0) return false;
  return textOf(message.parts).trim() === recorded.text.trim() && sameCalls(message.parts, recorded.toolCalls);
}

function replacedTurn(message: Message, link: ChainLink): Message {
  const kept = message.parts.filter((p) => p.type !== 'text' && p.type !== 'tool_call');
  const parts: MessagePart[] = [];
  if (link.replayed.text !== '') parts.push({ type: 'text', text: link.replayed.text });
  parts.push(...kept);
  // Recorded calls stay so the recorded tool results that follow keep their call ids; when the replayed
  // calls matched, these are the same calls anyway.
  parts.push(...message.parts.filter((p) => p.type === 'tool_call'));
  return { ...message, parts };
}

export interface ChainResult {
  call: LlmCall;
  /** Which earlier spans' answers were substituted. */
  usedSpanIds: string[];
  warnings: string[];
}

/** Substitutes replayed answers of earlier spans into `call` (a copy is returned). */
export function applyChain(call: LlmCall, links: readonly ChainLink[]): ChainResult {
  const used = new Set<string>();
  const warnings: string[] = [];
  const messages = call.messages.map((message) => {
    const turnLink = links.find((l) => isRecordedTurn(message, l.recorded));
    if (turnLink) {
      used.add(turnLink.originalSpanId);
      if (turnLink.diverged) {
        warnings.push(
          `the conversation keeps the recorded tool calls and results of span ${turnLink.originalSpanId}, whose replay asked for different tools`,
        );
      }
      return replacedTurn(message, turnLink);
    }
    let changed = false;
    const parts = message.parts.map((part) => {
      if (part.type !== 'text') return part;
      let text = part.text;
      for (const link of links) {
        const recorded = link.recorded.text.trim();
        if (recorded.length < MIN_EMBEDDED_TEXT || !text.includes(recorded)) continue;
        text = text.split(recorded).join(link.replayed.text.trim());
        used.add(link.originalSpanId);
        changed = true;
      }
      return text === part.text ? part : { ...part, text };
    });
    return changed ? { ...message, parts } : message;
  });
  for (const link of links) {
    if (link.failed && used.has(link.originalSpanId)) {
      warnings.push(`uses the recorded answer of span ${link.originalSpanId}, whose replay failed`);
    }
  }
  return { call: { ...call, messages }, usedSpanIds: [...used], warnings };
}
