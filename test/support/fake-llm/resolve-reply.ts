// A scripted FakeReply with every default filled in, the same way for every wire protocol: the
// caller says what its API calls the model, how it names tool-call ids, the last user text and
// the request's parts to count words from.
import type { FakeReply, ResolvedReply } from './fake-llm-types';
import { countWords } from './text-chunks';

export interface ReplyDefaults {
  model: string;
  /** The id of the i-th scripted tool call that has none. */
  toolCallId(i: number): string;
  /** Echoed in the default text. */
  lastUserText: string;
  /** Parts of the request counted as its input words (default usage). */
  requestParts: unknown[];
}

export function resolveScriptedReply(reply: FakeReply, d: ReplyDefaults): ResolvedReply {
  const model = reply.model ?? d.model;
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? d.toolCallId(i),
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
  }));
  const text = reply.text ?? (toolCalls.length > 0 ? '' : `fake:${model}: ${d.lastUserText.slice(0, 40)}`);
  const requestWords = countWords(d.requestParts);
  const outputWords =
    countWords(text) + toolCalls.reduce((n, c) => n + countWords(c.name) + countWords(c.arguments), 0);
  return {
    text,
    toolCalls,
    finishReason: reply.finishReason,
    model,
    chunkDelayMs: reply.chunkDelayMs ?? 0,
    usage: {
      input: reply.usage?.input ?? Math.max(1, requestWords),
      output: reply.usage?.output ?? Math.max(1, outputWords),
      cacheRead: reply.usage?.cacheRead ?? 0,
      cacheWrite: reply.usage?.cacheWrite ?? 0,
      reasoning: reply.usage?.reasoning ?? 0,
    },
  };
}
