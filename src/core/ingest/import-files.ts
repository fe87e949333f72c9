// File import: OTLP JSON request bodies as a single body, an array of bodies, or JSONL (one body
// per line). Trace bodies (ExportTraceServiceRequest) and logs bodies (ExportLogsServiceRequest,
// whose GenAI events the store joins to their spans) may be mixed in one file, in any order. A
// broken file — or a broken body inside a file — is reported with its reason while everything
// readable still imports: one bad export never costs the others.
import { readFile } from 'node:fs/promises';
import { decodeOtlpJson } from '../otlp/decode-otlp-json';
import { decodeOtlpLogsJson } from '../otlp/decode-otlp-logs';
import { isLogsRequest } from '../otlp/otlp-logs-converter';
import { isPlainObject } from '../otlp/otlp-values';
import type { TraceStore } from '../store/trace-store';
import { errorMessage } from '../util/error-message';

export interface FileImportResult {
  path: string;
  /** True when every body of the file was read; false when the file or any body in it was not. */
  ok: boolean;
  traceIds: string[];
  spans: number;
  duplicateSpans: number;
  rejectedSpans: number;
  /** Log records read from the file's logs bodies. */
  logRecords: number;
  /** Log records joined to their spans while importing this file: its own records whose span was
   *  stored, and records waiting from earlier files or runs whose span this file brought. */
  joinedLogRecords: number;
  /** Log records of this file whose span is not stored yet: they wait in the store. */
  pendingLogRecords: number;
  /** Log records without span context or that are not gen_ai.* events. */
  ignoredLogRecords: number;
  /** Pending log records dropped (oldest first) to keep the store's pending buffer bounded. */
  droppedLogRecords: number;
  /** Log records that could not be decoded (counted like rejected spans). */
  rejectedLogRecords: number;
  /** One sentence per problem: unreadable file, a body that is not OTLP, rejected spans. */
  errors: string[];
  /** One sentence per span kept with a value not as sent (e.g. an intValue longer than an int64,
   *  kept as a string); they do not make the file fail. */
  warnings: string[];
}

export interface ImportReport {
  files: FileImportResult[];
  /** Log records waiting in the store for their spans after the import (they join when the spans
   *  are imported or received later). */
  pendingLogRecords: number;
}

export async function importOtlpFiles(store: TraceStore, paths: string[]): Promise<ImportReport> {
  const files: FileImportResult[] = [];
  for (const path of paths) {
    const result: FileImportResult = {
      path,
      ok: true,
      traceIds: [],
      spans: 0,
      duplicateSpans: 0,
      rejectedSpans: 0,
      logRecords: 0,
      joinedLogRecords: 0,
      pendingLogRecords: 0,
      ignoredLogRecords: 0,
      droppedLogRecords: 0,
      rejectedLogRecords: 0,
      errors: [],
      warnings: [],
    };
    try {
      await importOne(store, path, result);
    } catch (err) {
      // Whatever goes wrong with one file is that file's failure; the next files still import.
      fail(result, `import stopped: ${errorText(err)}`);
    }
    files.push(result);
  }
  return { files, pendingLogRecords: store.pendingLogRecordCount };
}

async function importOne(store: TraceStore, path: string, result: FileImportResult): Promise<FileImportResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return fail(result, `cannot read the file: ${errorMessage(err)}`);
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
    const logs = isLogsRequest(body);
    if (logs) await importLogs(store, body, where, result, traceIds);
    // A logs body without resourceSpans is not also a (broken) trace body.
    if (logs && !(isPlainObject(body) && (body.resourceSpans !== undefined || body.resource_spans !== undefined)))
      continue;
    let decoded;
    try {
      decoded = decodeOtlpJson(body);
    } catch (err) {
      result.ok = false;
      result.errors.push(`${where}not an OTLP trace or logs export (${errorMessage(err)})`);
      continue;
    }
    for (const r of decoded.rejected) {
      result.errors.push(`${where}span ${r.spanId ?? '(no id)'} rejected: ${r.reason}`);
    }
    for (const w of decoded.warnings ?? []) {
      result.warnings.push(`${where}${w.spanId !== undefined ? `span ${w.spanId}: ` : ''}${w.reason}`);
    }
    result.rejectedSpans += decoded.rejected.length;
    if (decoded.rejected.length) result.ok = false;
    if (!decoded.spans.length) continue;
    let ingested;
    try {
      ingested = await store.ingest(decoded.spans);
    } catch (err) {
      // The store writes every trace it can; the body's other traces and the next bodies go on.
      result.ok = false;
      result.errors.push(`${where}could not store ${decoded.spans.length} span(s): ${errorText(err)}`);
      continue;
    }
    result.spans += ingested.acceptedSpans;
    result.duplicateSpans += ingested.duplicateSpans;
    result.joinedLogRecords += ingested.joinedLogRecords ?? 0;
    for (const id of ingested.traceIds) traceIds.add(id);
  }
  result.traceIds = [...traceIds];
  return result;
}

async function importLogs(
  store: TraceStore,
  body: unknown,
  where: string,
  result: FileImportResult,
  traceIds: Set<string>,
): Promise<void> {
  let decoded;
  try {
    decoded = decodeOtlpLogsJson(body);
  } catch (err) {
    result.ok = false;
    result.errors.push(`${where}not an OTLP logs export (${errorMessage(err)})`);
    return;
  }
  for (const r of decoded.rejected) {
    result.errors.push(`${where}log record${r.spanId ? ` of span ${r.spanId}` : ''} rejected: ${r.reason}`);
  }
  for (const w of decoded.warnings ?? []) {
    result.warnings.push(`${where}${w.spanId !== undefined ? `log record of span ${w.spanId}: ` : ''}${w.reason}`);
  }
  result.rejectedLogRecords += decoded.rejected.length;
  if (decoded.rejected.length) result.ok = false;
  result.logRecords += decoded.records.length;
  if (!decoded.records.length) return;
  let ingested;
  try {
    ingested = await store.ingestLogs(decoded.records);
  } catch (err) {
    result.ok = false;
    result.errors.push(`${where}could not store ${decoded.records.length} log record(s): ${errorText(err)}`);
    return;
  }
  result.joinedLogRecords += ingested.joinedLogRecords;
  result.pendingLogRecords += ingested.pendingLogRecords;
  result.ignoredLogRecords += ingested.ignoredWithoutSpan + ingested.ignoredNotGenAi;
  if (ingested.droppedLogRecords) {
    result.droppedLogRecords += ingested.droppedLogRecords;
    result.errors.push(
      `${where}${ingested.droppedLogRecords} pending log record(s) dropped: the store keeps at most ` +
        `${ingested.pendingLimit} log records waiting for spans; import the matching trace files too`,
    );
  }
  for (const id of ingested.traceIds) traceIds.add(id);
}

function errorText(err: unknown): string {
  return errorMessage(err);
}

function fail(result: FileImportResult, message: string): FileImportResult {
  result.ok = false;
  result.errors.push(message);
  return result;
}

/** A JSONL line that does not parse; the other lines still import. Internal control flow that
 *  never reaches a user, so a plain Error rather than a UserError. */
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
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
    if (lines.length < 2) return { error: `not valid JSON: ${errorMessage(wholeError)}` };
    const values = lines.map((line): unknown => {
      try {
        return JSON.parse(line);
      } catch (err) {
        return new LineError(errorMessage(err));
      }
    });
    if (values.every((v) => v instanceof LineError))
      return { error: `not valid JSON or JSONL: ${errorMessage(wholeError)}` };
    return { values, unit: 'line' };
  }
}
