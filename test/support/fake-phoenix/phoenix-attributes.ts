// Phoenix's span attribute rules, ported from Arize-ai/phoenix (src/phoenix/trace/otel.py
// decode_otlp_span and src/phoenix/trace/attributes.py) so the fake stores and answers attributes
// exactly as the real server does:
// - on ingest the flat OTLP keys go through coerce_otlp_span_attributes (llm.token_count.* to int),
//   load_json_strings (keys ending in metadata / tool.parameters / llm.prompt_template.variables /
//   document.metadata are JSON-parsed; a JSON null drops the key) and unflatten (a prefix tree where
//   a numeric segment followed by more segments is an array index: "llm.input_messages.0.message.role"
//   becomes a list of objects, sparse indices compacted; "tags.0" stays an object key);
//   a non-string input.value becomes its JSON text with input.mime_type application/json;
// - GET /v1/projects/{id}/spans answers flatten(stored, recurse_on_sequence=True): dotted keys again,
//   arrays of objects spelled with indices, arrays of primitives kept, and the JSON-parsed keys
//   spread into dotted sub-keys (metadata {"a":{"b":1}} -> "metadata.a.b": 1).
// Before all that, the gen_ai.* -> OpenInference synthesis (phoenix-genai.ts) adds the keys a span lacks.
import type { AttrValue, Attributes } from '../../../src/core/model/trace';
import { openInferenceFromGenAi } from './phoenix-genai';

export type Stored = Record<string, unknown>;

const JSON_STRING_SUFFIXES = ['document.metadata', 'llm.prompt_template.variables', 'metadata', 'tool.parameters'];
const TOKEN_COUNT_KEYS = new Set(['llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total']);

function isMapping(v: unknown): v is Stored {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's int(value) for the token counts; the value unchanged when int() would raise. */
function pythonInt(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : value;
  if (typeof value === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  return value;
}

/** Python's json.dumps with its defaults (", " / ": " separators, ensure_ascii). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value as Stored)
    .map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`)
    .join(', ')}}`;
}

class Trie {
  value: unknown = null;
  readonly indices = new Set<number>();
  readonly branches = new Set<string | number>();
  private readonly children = new Map<string | number, Trie>();

  child(key: string | number): Trie {
    let c = this.children.get(key);
    if (!c) this.children.set(key, (c = new Trie()));
    return c;
  }

  setValue(value: unknown): void {
    this.value = value;
    for (const i of this.indices) this.branches.add(i);
    this.indices.clear();
  }

  addIndex(index: number): Trie {
    if (this.value !== null) this.branches.add(index);
    else if (!this.branches.has(index)) this.indices.add(index);
    return this.child(index);
  }

  addBranch(branch: string | number): Trie {
    if (typeof branch === 'number') this.indices.delete(branch);
    this.branches.add(branch);
    return this.child(branch);
  }
}

function partition(key: string): [string, string] {
  const at = key.indexOf('.');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

function buildTrie(pairs: Iterable<[string, unknown]>): Trie {
  const trie = new Trie();
  for (const [fullKey, value] of pairs) {
    if (value === null || value === undefined) continue;
    let t = trie;
    let key = fullKey;
    for (;;) {
      const [raw, suffix] = partition(key);
      const prefix = raw.trim();
      if (/^\d+$/.test(prefix)) t = suffix ? t.addIndex(Number(prefix)) : t.addBranch(Number(prefix));
      else t = t.addBranch(prefix);
      if (!suffix) break;
      key = suffix;
    }
    t.setValue(value);
  }
  return trie;
}

function* walk(trie: Trie, prefix = ''): Generator<[string, unknown]> {
  if (trie.value !== null) {
    yield [prefix, trie.value];
  } else if (prefix && trie.indices.size > 0) {
    yield [prefix, [...trie.indices].sort((a, b) => a - b).map((i) => toObject(walk(trie.child(i))))];
  } else if (trie.indices.size > 0) {
    for (const i of trie.indices) yield* walk(trie.child(i), String(i));
  } else if (prefix) {
    yield [prefix, toObject(walk(trie))];
    return;
  }
  for (const branch of trie.branches) yield* walk(trie.child(branch), prefix ? `${prefix}.${branch}` : String(branch));
}

function toObject(pairs: Iterable<[string, unknown]>): Stored {
  const out: Stored = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** phoenix.trace.attributes.unflatten */
export function unflatten(pairs: Iterable<[string, unknown]>): Stored {
  return toObject(walk(buildTrie(pairs)));
}

/** phoenix.trace.attributes.flatten(obj, recurse_on_sequence=True) */
export function* flatten(obj: Stored, prefix = ''): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(obj)) {
    const prefixed = prefix ? `${prefix}.${key}` : key;
    if (isMapping(value)) yield* flatten(value, prefixed);
    else if (Array.isArray(value)) yield* flattenSequence(value, prefixed);
    else if (value !== null && value !== undefined) yield [prefixed, value];
  }
}

function* flattenSequence(sequence: unknown[], prefix: string): Generator<[string, unknown]> {
  if (!sequence.some(isMapping)) yield [prefix, sequence];
  for (const [idx, item] of sequence.entries()) {
    if (isMapping(item)) yield* flatten(item, prefix ? `${prefix}.${idx}` : String(idx));
  }
}

/** The attributes Phoenix stores for a span whose OTLP attributes (flat keys, decoded) are `otlp`;
 *  `doubles` (keys sent as doubleValue) gains the synthesized keys Python holds as floats. */
export function storedSpanAttributes(otlp: Attributes, doubles: Set<string> = new Set()): Stored {
  const withOpenInference: Record<string, unknown> = { ...otlp };
  for (const [key, value] of Object.entries(openInferenceFromGenAi(otlp, doubles))) {
    if (!(key in withOpenInference)) {
      withOpenInference[key] = value;
      if (key.endsWith('.document.score')) doubles.add(key);
    }
  }
  const pairs: [string, unknown][] = [];
  for (const [key, raw] of Object.entries(withOpenInference)) {
    let value: unknown = TOKEN_COUNT_KEYS.has(key) ? pythonInt(raw) : raw;
    if (JSON_STRING_SUFFIXES.some((s) => key.endsWith(s)) && typeof value === 'string') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        pairs.push([key, value]);
        continue;
      }
      if (parsed === null) continue;
      value = parsed;
    }
    pairs.push([key, value]);
  }
  const attributes = unflatten(pairs);
  const input = attributes.input;
  if (isMapping(input) && isTruthy(input.value) && typeof input.value !== 'string') {
    input.value = pythonJsonDumps(input.value);
    input.mime_type = 'application/json';
  }
  return attributes;
}

function isTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Phoenix's get_attribute_value: the value at a dotted path through nested objects. */
export function attributeAt(attributes: Stored, path: string): unknown {
  let node: unknown = attributes;
  for (const part of path.split('.')) {
    if (!isMapping(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** The `attributes` of a Span in GET /v1/projects/{id}/spans, and its span_kind (popped from them). */
export function apiSpanAttributes(stored: Stored): { attributes: Record<string, AttrValue>; spanKind: string } {
  const attributes = toObject(flatten(stored)) as Record<string, AttrValue>;
  const kind = attributes['openinference.span.kind'];
  delete attributes['openinference.span.kind'];
  return { attributes, spanKind: kind === undefined ? 'UNKNOWN' : (kind as string) };
}
