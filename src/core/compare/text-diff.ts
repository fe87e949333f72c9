// Word-level and JSON-aware diffs with the `diff` package, turned into neutral chunks.
import { diffJson, diffWords, type Change } from 'diff';
import type { DiffChunk, TextDiff } from './comparison-types';

// Myers' diff costs O((N+M)*D) for D edits: cap D so that two huge, very different texts give up
// (shown as a whole replacement) in well under a second instead of blocking the CLI or the
// extension host. Small texts get an uncapped diff.
const WORK_BUDGET = 60_000_000;
const maxEditLength = (a: string, b: string): number =>
  Math.max(200, Math.floor(WORK_BUDGET / Math.max(1, a.length + b.length)));

function chunksOf(changes: Change[]): DiffChunk[] {
  const out: DiffChunk[] = [];
  for (const c of changes) {
    if (!c.value) continue;
    const op = c.added ? 'insert' : c.removed ? 'delete' : 'equal';
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += c.value;
    else out.push({ op, text: c.value });
  }
  return out;
}

function replacement(a: string, b: string): DiffChunk[] {
  const out: DiffChunk[] = [];
  if (a) out.push({ op: 'delete', text: a });
  if (b) out.push({ op: 'insert', text: b });
  return out;
}

function result(format: TextDiff['format'], chunks: DiffChunk[]): TextDiff {
  return { format, changed: chunks.some((c) => c.op !== 'equal'), chunks };
}

export function wordDiff(a: string, b: string): TextDiff {
  if (a === b) return result('words', a ? [{ op: 'equal', text: a }] : []);
  const changes = diffWords(a, b, { maxEditLength: maxEditLength(a, b) });
  return result('words', changes ? chunksOf(changes) : replacement(a, b));
}

/** A JSON object or array in a text (a single ``` fence around it is tolerated), else undefined. */
export function parseStructured(text: string): object | undefined {
  let t = text.trim();
  const fence = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(t);
  if (fence) t = fence[1].trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Structured values: line diff of canonical pretty JSON (key order never counts as a change). */
export function jsonDiff(a: unknown, b: unknown): TextDiff {
  const left = a === undefined ? '' : canonicalJson(a);
  const right = b === undefined ? '' : canonicalJson(b);
  if (left === right) return result('json', left ? [{ op: 'equal', text: left }] : []);
  const changes = diffJson(left, right, { maxEditLength: maxEditLength(left, right) });
  return result('json', changes ? chunksOf(changes) : replacement(left, right));
}

/** Texts: JSON-aware when both sides hold a JSON object/array, word-level otherwise. */
export function outputDiff(a: string, b: string): TextDiff {
  const pa = parseStructured(a);
  const pb = pa !== undefined ? parseStructured(b) : undefined;
  if (pa !== undefined && pb !== undefined) return jsonDiff(pa, pb);
  return wordDiff(a, b);
}

/** Tool-call arguments: parsed JSON when recorded as such (or as a JSON string), else words. */
export function argumentsDiff(a: unknown, b: unknown): TextDiff {
  const asValue = (v: unknown): unknown => (typeof v === 'string' ? (parseStructured(v) ?? v) : v);
  const va = asValue(a);
  const vb = asValue(b);
  if (typeof va === 'string' || typeof vb === 'string') {
    const text = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : canonicalJson(v));
    return wordDiff(text(va), text(vb));
  }
  return jsonDiff(va, vb);
}
