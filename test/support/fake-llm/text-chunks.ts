// Deterministic splitting of text into stream deltas, so streamed replies have several chunks.

/** Splits after each space for prose; fixed-width slices (size > 0) for JSON arguments. */
export function splitIntoChunks(text: string, size = 0): string[] {
  if (text === '') return [];
  if (size > 0) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

// Structural keys whose values are not text the model reads.
const NOT_TEXT = new Set(['role', 'type', 'id', 'tool_call_id', 'tool_use_id', 'call_id', 'cache_control']);

/** Words in every text string found in a JSON value; the fake server's stand-in for a tokenizer. */
export function countWords(value: unknown): number {
  if (typeof value === 'string') return value.split(/\s+/).filter((w) => w !== '').length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countWords(v), 0);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((n: number, [k, v]) => n + (NOT_TEXT.has(k) ? 0 : countWords(v)), 0);
  }
  return 0;
}
