// File import: OTLP JSON request bodies as a single body, an array of bodies, or JSONL (one body
// per line). A broken file — or a broken body inside a file — is reported with its reason while
// everything readable still imports: one bad export never costs the others.
import { readFile } from 'node:fs/promises';
import { decodeOtlpJson } from '../otlp/decode-otlp-json';
import type { TraceStore } from '../store/trace-store';

export interface FileImportResult {
  path: string;
  /** True when every body of the file was read; false when the file or any body in it was not. */
  ok: boolean;
  traceIds: string[];
  spans: number;
  duplicateSpans: number;
  rejectedSpans: number;
  /** One sentence per problem: unreadable file, a body that is not OTLP, rejected spans. */
  errors: string[];
}

export interface ImportReport {
  files: FileImportResult[];
}

export async function importOtlpFiles(store: TraceStore, paths: string[]): Promise<ImportReport> {
  const files: FileImportResult[] = [];
  for (const path of paths) files.push(await importOne(store, path));
  return { files };
}

async function importOne(store: TraceStore, path: string): Promise<FileImportResult> {
  const result: FileImportResult = { path, ok: true, traceIds: [], spans: 0, duplicateSpans: 0, rejectedSpans: 0, errors: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return fail(result, `cannot read the file: ${(err as Error).message}`);
  }
  const bodies = parseBodies(text);
  if ('error' in bodies) return fail(result, bodies.error);
  const traceIds = new Set<string>();
  for (const [index, body] of bodies.values.entries()) {
    const where = bodies.values.length > 1 ? `${bodies.unit} ${index + 1}: ` : '';
    if (body instanceof LineError) {
      result.ok = false;
      result.errors.push(`${where}not valid JSON (${body.message})`);
      continue;
    }
    let decoded;
    try {
      decoded = decodeOtlpJson(body);
    } catch (err) {
      result.ok = false;
      result.errors.push(`${where}not an OTLP trace export (${(err as Error).message})`);
      continue;
    }
    for (const r of decoded.rejected) {
      result.errors.push(`${where}span ${r.spanId ?? '(no id)'} rejected: ${r.reason}`);
    }
    result.rejectedSpans += decoded.rejected.length;
    if (decoded.rejected.length) result.ok = false;
    if (!decoded.spans.length) continue;
    const ingested = await store.ingest(decoded.spans);
    result.spans += ingested.acceptedSpans;
    result.duplicateSpans += ingested.duplicateSpans;
    for (const id of ingested.traceIds) traceIds.add(id);
  }
  result.traceIds = [...traceIds];
  return result;
}

function fail(result: FileImportResult, message: string): FileImportResult {
  result.ok = false;
  result.errors.push(message);
  return result;
}

/** A JSONL line that does not parse; the other lines still import. */
class LineError extends Error {}

type Parsed = { values: unknown[]; unit: 'body' | 'line' } | { error: string };

function parseBodies(text: string): Parsed {
  const trimmed = text.trim();
  if (!trimmed) return { error: 'the file is empty' };
  try {
    const value: unknown = JSON.parse(trimmed);
    return { values: Array.isArray(value) ? value : [value], unit: 'body' };
  } catch (wholeError) {
    // Not one JSON document: try JSONL, where each non-empty line is one export body.
    const lines = trimmed.split(/\r?\n/).filter(l => l.trim());
    if (lines.length < 2) return { error: `not valid JSON: ${(wholeError as Error).message}` };
    const values = lines.map((line): unknown => {
      try {
        return JSON.parse(line);
      } catch (err) {
        return new LineError((err as Error).message);
      }
    });
    if (values.every(v => v instanceof LineError)) return { error: `not valid JSON or JSONL: ${(wholeError as Error).message}` };
    return { values, unit: 'line' };
  }
}
