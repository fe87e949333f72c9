// ExportLogsServiceRequest (as a plain object in OTLP/JSON shape) -> RawLogRecord[]. The JSON and
// protobuf log decoders both end here. The official GenAI instrumentations put message content in
// log records (one per message, or one gen_ai.client.inference.operation.details record per call)
// that point at their span through traceId/spanId; the store joins them to it. Like the span
// converter, a bad record is rejected on its own and only a broken envelope fails the request.

import type { AttrValue, Attributes } from '../model/trace';
import { OtlpDecodeError } from './otlp-errors';
import {
  anyValueToAttr,
  field,
  isPlainObject,
  keyValuesToAttributes,
  readId,
  readNanos,
  ValueNotes,
} from './otlp-values';

/** A decoded OTLP log record, before it is matched to a span. */
export interface RawLogRecord {
  /** 32 lowercase hex chars; absent when the record is not tied to a trace. */
  traceId?: string;
  /** 16 lowercase hex chars; absent when the record is not tied to a span. */
  spanId?: string;
  /** Nanoseconds as a decimal string; '0' when the record has no time. */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  /** The LogRecord `event_name` field, else the `event.name` attribute older SDKs use; '' when neither. */
  eventName: string;
  severityNumber?: number;
  severityText?: string;
  /** The body as a JSON value (a kvlist becomes an object); undefined when the record has none. */
  body?: AttrValue;
  attributes: Attributes;
  /** Shared by the records of one resource / scope (not copied per record). */
  resource: Attributes;
  scope: { name: string; version?: string };
}

export interface OtlpRejectedLogRecord {
  traceId?: string;
  spanId?: string;
  reason: string;
}

export interface OtlpLogsDecodeResult {
  records: RawLogRecord[];
  rejected: OtlpRejectedLogRecord[];
  /** Present when some kept record or resource has a value not kept as sent (see ValueNote). */
  warnings?: OtlpRejectedLogRecord[];
}

export function convertExportLogsRequest(request: unknown): OtlpLogsDecodeResult {
  if (!isPlainObject(request)) {
    throw new OtlpDecodeError(
      'INVALID_STRUCTURE',
      'The request body must be an ExportLogsServiceRequest object with "resourceLogs".',
    );
  }
  const result: OtlpLogsDecodeResult = { records: [], rejected: [] };
  listAt(field(request, 'resourceLogs'), 'resourceLogs').forEach((rl, i) => {
    const path = `resourceLogs[${i}]`;
    if (!isPlainObject(rl)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${path} must be an object.`);
    const resourceObj = field(rl, 'resource');
    const resourceNotes = new ValueNotes();
    const resource = isPlainObject(resourceObj)
      ? keyValuesToAttributes(field(resourceObj, 'attributes'), 0, resourceNotes.note)
      : {};
    if (resourceNotes.count) (result.warnings ??= []).push({ reason: `${path}.resource: ${resourceNotes.text()}` });
    listAt(field(rl, 'scopeLogs'), `${path}.scopeLogs`).forEach((sl, j) => {
      const slPath = `${path}.scopeLogs[${j}]`;
      if (!isPlainObject(sl)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${slPath} must be an object.`);
      const scope = readScope(field(sl, 'scope'));
      for (const record of listAt(field(sl, 'logRecords'), `${slPath}.logRecords`)) {
        const notes = new ValueNotes();
        const converted = convertLogRecord(record, resource, scope, notes);
        if ('reason' in converted) {
          result.rejected.push(converted);
        } else {
          result.records.push(converted);
          if (notes.count)
            (result.warnings ??= []).push({
              traceId: converted.traceId,
              spanId: converted.spanId,
              reason: notes.text(),
            });
        }
      }
    });
  });
  return result;
}

/** True when a parsed JSON body looks like a logs export (used by file import to sort bodies). */
export function isLogsRequest(body: unknown): boolean {
  return isPlainObject(body) && field(body, 'resourceLogs') !== undefined;
}

function listAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${path} must be an array.`);
  return value;
}

function readScope(value: unknown): RawLogRecord['scope'] {
  if (!isPlainObject(value)) return { name: '' };
  const name = field(value, 'name');
  const version = field(value, 'version');
  const scope: RawLogRecord['scope'] = { name: typeof name === 'string' ? name : '' };
  if (typeof version === 'string' && version !== '') scope.version = version;
  return scope;
}

/** An id that is absent, empty or all zeros means "no trace context"; anything else must be valid. */
function optionalId(value: unknown, byteLength: 16 | 8, label: string): { hex?: string } | { reason: string } {
  if (value === undefined || value === null || value === '') return {};
  const id = readId(value, byteLength, label);
  if (id.ok) return { hex: id.hex };
  return id.reason.endsWith('all zeros') ? {} : { reason: id.reason };
}

function convertLogRecord(
  record: unknown,
  resource: Attributes,
  scope: RawLogRecord['scope'],
  notes: ValueNotes,
): RawLogRecord | OtlpRejectedLogRecord {
  if (!isPlainObject(record)) return { reason: 'log record is not an object' };
  const traceId = optionalId(field(record, 'traceId'), 16, 'traceId');
  const spanId = optionalId(field(record, 'spanId'), 8, 'spanId');
  const ids: { traceId?: string; spanId?: string } = {};
  if ('hex' in traceId && traceId.hex) ids.traceId = traceId.hex;
  if ('hex' in spanId && spanId.hex) ids.spanId = spanId.hex;
  if ('reason' in traceId) return { ...ids, reason: traceId.reason };
  if ('reason' in spanId) return { ...ids, reason: spanId.reason };

  const time = readTime(field(record, 'timeUnixNano'));
  if (time === undefined) return { ...ids, reason: 'invalid timeUnixNano' };
  const observed = readTime(field(record, 'observedTimeUnixNano'));
  if (observed === undefined) return { ...ids, reason: 'invalid observedTimeUnixNano' };

  const attributes = keyValuesToAttributes(field(record, 'attributes'), 0, notes.note);
  const out: RawLogRecord = {
    ...ids,
    timeUnixNano: time,
    observedTimeUnixNano: observed,
    eventName: readEventName(field(record, 'eventName'), attributes),
    attributes,
    resource,
    scope,
  };
  const severity = field(record, 'severityNumber');
  if (typeof severity === 'number' && Number.isInteger(severity)) out.severityNumber = severity;
  else if (typeof severity === 'string' && /^\d+$/.test(severity)) out.severityNumber = Number(severity);
  const severityText = field(record, 'severityText');
  if (typeof severityText === 'string' && severityText !== '') out.severityText = severityText;
  // An empty AnyValue (what exporters send for "no body") reads as null: no body.
  const body = anyValueToAttr(field(record, 'body'), 0, (message) => notes.note(`body: ${message}`));
  if (body !== null) out.body = body;
  return out;
}

/** Absent means 0 (proto3 default); present but unreadable is an error. */
function readTime(value: unknown): string | undefined {
  if (value === undefined || value === null) return '0';
  return readNanos(value);
}

function readEventName(value: unknown, attributes: Attributes): string {
  if (typeof value === 'string' && value !== '') return value;
  const attr = attributes['event.name'];
  return typeof attr === 'string' ? attr : '';
}
