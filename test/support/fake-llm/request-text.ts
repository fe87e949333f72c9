// Reads the last user text out of a request body of any of the three APIs, for the default reply.
import type { FakeApi } from './fake-llm-types';

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => {
      const part = p as Json;
      return (part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string' ? part.text : '';
    })
    .join('');
}

/** The text of the last user message that has text (tool results alone do not count). */
export function lastUserText(api: FakeApi, body: Json | undefined): string {
  if (body === undefined) return '';
  const list = api === 'responses' ? body.input : body.messages;
  if (typeof list === 'string') return list;
  if (!Array.isArray(list)) return '';
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] as Json;
    if (m.role !== 'user') continue;
    const text = textOf(m.content);
    if (text !== '') return text;
  }
  return '';
}
