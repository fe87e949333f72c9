// The built-in offline stand-in provider (`offline:echo`): a deterministic "model" that answers
// without any network, so the demo and first runs work with no API key. It is a stand-in, never a
// real model: it echoes the last user message, counts tokens with gpt-tokenizer (o200k), and is
// only used when chosen (or by the demo when no key exists). Its cost is unknown (no price data).
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';

// The o200k tables are megabytes: loaded when the offline model first answers, not at start-up.
let tokenizer: typeof O200k | undefined;
function countTokens(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  tokenizer ??= require('gpt-tokenizer/encoding/o200k_base') as typeof O200k;
  return tokenizer.countTokens(text);
}
import type { BuiltRequest } from '../../llm-types';
import type { ReadResult } from '../../response-common';

export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_PREFIX = '(offline echo)';

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = part as Json;
      if (typeof p.text === 'string') return p.text;
      if (typeof p.content === 'string') return p.content;
      return '';
    })
    .filter(Boolean)
    .join('\n');
}

/** Every message of the request in order, as role + text, whatever the API's shape. */
function messagesOf(request: BuiltRequest): { role: string; text: string }[] {
  const body = request.body;
  const out: { role: string; text: string }[] = [];
  if (typeof body.system === 'string' || Array.isArray(body.system))
    out.push({ role: 'system', text: textOf(body.system) });
  if (typeof body.instructions === 'string') out.push({ role: 'system', text: body.instructions });
  const list = request.api === 'responses' ? body.input : body.messages;
  if (typeof list === 'string') out.push({ role: 'user', text: list });
  else if (Array.isArray(list)) {
    for (const m of list as Json[])
      out.push({
        role: typeof m.role === 'string' ? m.role : String(m.type ?? 'item'),
        text: textOf(m.content ?? m.output),
      });
  }
  return out;
}

/** The stand-in's answer to a built request (the gateway adds the timings). */
export function runOfflineModel(request: BuiltRequest): ReadResult {
  const messages = messagesOf(request);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user' && m.text.trim() !== '');
  const text = `${OFFLINE_PREFIX} ${lastUser ? lastUser.text.trim() : '(no user message)'}`;
  const inputTokens = messages.reduce((n, m) => n + countTokens(m.text), 0);
  const outputTokens = countTokens(text);
  return {
    output: { text, toolCalls: [], finishReason: 'stop' },
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, inputIncludesCache: true },
    responseModel: `${OFFLINE_PROVIDER}:${String(request.body.model)}`,
    warnings: ['answered by the built-in offline stand-in (deterministic echo), not a real model'],
  };
}
