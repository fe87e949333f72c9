// Leaf conversions shared by the JSON and protobuf decoders: OTLP AnyValue -> AttrValue, ids, and
// nanosecond timestamps. Inputs are plain objects in OTLP/JSON shape (the protobuf decoder turns
// its messages into that shape first), so both encodings go through this one implementation.

import type { AttrValue, Attributes } from '../model/trace';

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Reads a field by its OTLP/JSON lowerCamelCase name, falling back to the original proto
 *  snake_case name, which some exporters emit despite the spec. */
export function field(obj: PlainObject, camel: string, snake?: string): unknown {
  const value = obj[camel];
  if (value !== undefined) return value;
  return obj[snake ?? toSnake(camel)];
}

// Field names are a small fixed set; optional fields miss on every record, so cache the spelling.
const snakeNames = new Map<string, string>();

function toSnake(camel: string): string {
  let snake = snakeNames.get(camel);
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snakeNames.size < 256) snakeNames.set(camel, snake);
  }
  return snake;
}

// Deeper nesting than this is not a real attribute; stopping keeps a hostile body from
// exhausting the stack.
const MAX_DEPTH = 64;

/** Receives a sentence about a value that was kept but not as sent (e.g. an intValue too long for
 *  an int64, kept as a string), so the decoder can pass it on as a warning. */
export type ValueNote = (message: string) => void;

// A span or record with thousands of odd values says enough with a few.
const MAX_KEPT_NOTES = 3;

/** The notes of one span, record or resource, the first few kept verbatim. */
export class ValueNotes {
  count = 0;
  private readonly kept: string[] = [];
  readonly note: ValueNote = (message) => {
    this.count++;
    if (this.kept.length < MAX_KEPT_NOTES) this.kept.push(message);
  };

  text(): string {
    const more = this.count > this.kept.length ? `; and ${this.count - this.kept.length} more` : '';
    return this.kept.join('; ') + more;
  }
}

/** Flattens an OTLP AnyValue. Never throws: an unreadable value becomes null, a raw JSON
 *  primitive (a sender that skipped the AnyValue wrapper) is kept as it is. */
export function anyValueToAttr(value: unknown, depth = 0, note?: ValueNote): AttrValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (!isPlainObject(value) || depth > MAX_DEPTH) return null;

  const str = field(value, 'stringValue');
  if (str !== undefined) return typeof str === 'string' ? str : primitiveOrNull(str);
  const bool = field(value, 'boolValue');
  if (bool !== undefined) return readBool(bool);
  const int = field(value, 'intValue');
  if (int !== undefined) return readInt(int, note);
  const dbl = field(value, 'doubleValue');
  if (dbl !== undefined) return readDouble(dbl);
  const bytes = field(value, 'bytesValue');
  if (bytes !== undefined) return anyValueToAttr(bytes, depth + 1);
  const arr = field(value, 'arrayValue');
  if (arr !== undefined) return readArray(arr, depth + 1, note);
  const kvlist = field(value, 'kvlistValue');
  if (kvlist !== undefined) return readKvList(kvlist, depth + 1, note);
  return null;
}

function primitiveOrNull(value: unknown): AttrValue {
  if (typeof value === 'number' || typeof value === 'boolean') return anyValueToAttr(value);
  return null;
}

function readBool(value: unknown): AttrValue {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

const INT_RE = /^[+-]?\d+$/;
/** The longest int64 in decimal: '-9223372036854775808'. */
const MAX_INT64_CHARS = 20;

/** int64 arrives as a decimal string (proto3 JSON) or a number; large values stay strings so
 *  no digit is lost. A string longer than any int64 is not parsed at all (BigInt over megabytes of
 *  digits takes seconds): it is kept as the string it is, and `note` hears why. */
export function readInt(value: unknown, note?: ValueNote): AttrValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value).toString();
    return value;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!INT_RE.test(text)) return null;
  if (text.length > MAX_INT64_CHARS) {
    note?.(
      `intValue of ${text.length} characters is longer than an int64 (at most ${MAX_INT64_CHARS}); kept as a string. ` +
        'Send such values as stringValue from the instrumentation.',
    );
    return text;
  }
  const big = BigInt(text);
  const asNumber = Number(big);
  return Number.isSafeInteger(asNumber) ? asNumber : big.toString();
}

function readDouble(value: unknown): AttrValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'string') return null;
  // proto3 JSON spells non-finite doubles as strings; JSON has no number for them, so they stay strings.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

function readArray(value: unknown, depth: number, note?: ValueNote): AttrValue {
  const values = Array.isArray(value) ? value : isPlainObject(value) ? field(value, 'values') : undefined;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) return null;
  return values.map((v) => anyValueToAttr(v, depth, note));
}

function readKvList(value: unknown, depth: number, note?: ValueNote): AttrValue {
  const values = Array.isArray(value) ? value : isPlainObject(value) ? field(value, 'values') : undefined;
  if (values === undefined || values === null) return {};
  return keyValuesToAttributes(values, depth, note);
}

/** Converts a repeated KeyValue (or, leniently, a plain `{key: value}` map) to Attributes.
 *  Entries without a string key cannot be named and are skipped; later duplicates win. */
export function keyValuesToAttributes(list: unknown, depth = 0, note?: ValueNote): Attributes {
  const out: Attributes = {};
  // Notes name the attribute (the outermost key when values nest).
  const about = (key: string): ValueNote | undefined =>
    note === undefined ? undefined : depth === 0 ? (message) => note(`attribute "${key}": ${message}`) : note;
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (!isPlainObject(entry)) continue;
      const key = entry.key;
      if (typeof key !== 'string') continue;
      out[key] = anyValueToAttr(entry.value, depth + 1, about(key));
    }
  } else if (isPlainObject(list)) {
    for (const [key, value] of Object.entries(list)) out[key] = anyValueToAttr(value, depth + 1, about(key));
  }
  return out;
}

export type IdResult = { ok: true; hex: string } | { ok: false; reason: string };

const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Reads a trace id (16 bytes) or span id (8 bytes): hex per OTLP/JSON, or base64 (the standard
 *  proto3 JSON mapping, which older exporters and our protobuf path produce). */
export function readId(value: unknown, byteLength: 16 | 8, label: string): IdResult {
  if (value === undefined || value === null || value === '') return { ok: false, reason: `missing ${label}` };
  let bytes: Buffer | undefined;
  if (value instanceof Uint8Array) {
    bytes = Buffer.from(value);
  } else if (typeof value === 'string') {
    if (value.length === byteLength * 2 && /^[0-9a-fA-F]+$/.test(value)) bytes = Buffer.from(value, 'hex');
    else if (BASE64_RE.test(value)) bytes = Buffer.from(value, 'base64');
  }
  if (bytes === undefined || bytes.length !== byteLength) {
    return { ok: false, reason: `invalid ${label}: expected ${byteLength * 2} hex characters` };
  }
  if (bytes.every((b) => b === 0)) return { ok: false, reason: `invalid ${label}: all zeros` };
  return { ok: true, hex: bytes.toString('hex') };
}

const UINT64_MAX = (1n << 64n) - 1n;

/** A fixed64 nanosecond timestamp as a canonical decimal string, or undefined when unreadable
 *  (also when it has more digits than any fixed64: those are never handed to BigInt). */
export function readNanos(value: unknown): string | undefined {
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) return undefined;
    big = BigInt(value);
  } else if (typeof value === 'string' && /^\d+$/.test(value)) {
    const digits = value.length > 20 ? value.replace(/^0+(?=\d)/, '') : value;
    if (digits.length > 20) return undefined;
    big = BigInt(digits);
  } else {
    return undefined;
  }
  return big <= UINT64_MAX ? big.toString() : undefined;
}
