// Typed reads of decoded OTLP attributes. Instrumentations disagree on value types (numbers sent
// as strings, arrays sent as JSON text), so every reader is lenient and never throws; JSON that
// fails to parse is reported on the span's warnings and the raw attribute stays untouched.
import type { Attributes, AttrValue } from '../model/trace';

/** Per-span reading state shared by the dialect readers. */
export interface ReadContext {
  attrs: Attributes;
  warnings: string[];
}

export function str(attrs: Attributes, key: string): string | undefined {
  const v = attrs[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(attrs: Attributes, key: string): number | undefined {
  return toNumber(attrs[key]);
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function bool(attrs: Attributes, key: string): boolean | undefined {
  const v = attrs[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A string array attribute; accepts a real array, a JSON array text, or a single string. */
export function strList(attrs: Attributes, key: string): string[] | undefined {
  const v = attrs[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') {
    if (v.startsWith('[')) {
      const parsed = tryParseJson(v);
      if (parsed.ok && Array.isArray(parsed.value)) return parsed.value.map((x) => String(x));
    }
    return [v];
  }
  return undefined;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false };

export function tryParseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Reads an attribute that carries JSON: strings are parsed (a warning is recorded when they do not
 *  parse), structured values (AnyValue arrays/maps) are returned as they are. */
export function jsonAttr(ctx: ReadContext, key: string): unknown {
  const v = ctx.attrs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return v;
  return parseJsonText(ctx, key, v);
}

export function parseJsonText(ctx: ReadContext, key: string, text: string): unknown {
  const parsed = tryParseJson(text);
  if (parsed.ok) return parsed.value;
  ctx.warnings.push(`${key}: not valid JSON, kept as recorded`);
  return undefined;
}

/** Values that may be JSON or plain text (tool arguments, io values): JSON-looking text is parsed,
 *  anything else is kept as the string. A JSON-looking value that does not parse is warned about. */
export function looseValue(ctx: ReadContext, key: string, v: AttrValue | undefined): unknown {
  if (typeof v !== 'string') return v ?? undefined;
  const t = v.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    const parsed = tryParseJson(v);
    if (parsed.ok) return parsed.value;
    ctx.warnings.push(`${key}: not valid JSON, kept as text`);
  }
  return v;
}

/** Parses tool-call arguments: JSON text becomes an object, anything else stays as recorded. */
export function parseArguments(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? {};
  const parsed = tryParseJson(v);
  return parsed.ok ? parsed.value : v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function recStr(r: Record<string, unknown>, key: string): string | undefined {
  const v = r[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Text of a value that may be a string or structured (tool results, io values). */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}

/**
 * Flattened indexed attributes (`llm.input_messages.0.message.role`, `gen_ai.prompt.1.content`)
 * grouped by index in one pass over the span's keys: prefix -> index -> rest-of-key -> value.
 * Keys whose segment after the prefix is not an integer (e.g. `gen_ai.prompt.name`) are skipped.
 */
export type IndexedGroups = Map<string, Map<number, Record<string, AttrValue>>>;

export function collectIndexed(attrs: Attributes, prefixes: readonly string[]): IndexedGroups {
  const out: IndexedGroups = new Map();
  for (const key in attrs) {
    for (const prefix of prefixes) {
      if (!key.startsWith(prefix)) continue;
      addIndexed(out, prefix, key.slice(prefix.length), attrs[key]);
      break;
    }
  }
  return out;
}

/** Groups a record's keys under `prefix<N>.` by N (used for nested lists inside one message). */
export function subIndexed(rec: Record<string, AttrValue>, prefix: string): Map<number, Record<string, AttrValue>> {
  const out: IndexedGroups = new Map();
  for (const key in rec) {
    if (key.startsWith(prefix)) addIndexed(out, prefix, key.slice(prefix.length), rec[key]);
  }
  return out.get(prefix) ?? new Map();
}

function addIndexed(out: IndexedGroups, prefix: string, rest: string, value: AttrValue): void {
  const dot = rest.indexOf('.');
  const idxText = dot < 0 ? rest : rest.slice(0, dot);
  if (idxText === '' || !isDigits(idxText)) return;
  const idx = Number(idxText);
  let byIndex = out.get(prefix);
  if (!byIndex) out.set(prefix, (byIndex = new Map()));
  let rec = byIndex.get(idx);
  if (!rec) byIndex.set(idx, (rec = {}));
  rec[dot < 0 ? '' : rest.slice(dot + 1)] = value;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Entries of an index map in index order. */
export function inOrder<T>(m: Map<number, T> | undefined): T[] {
  if (!m) return [];
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}
