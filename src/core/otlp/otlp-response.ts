// Bodies of OTLP/HTTP responses, in the encoding of the request (the spec requires the response
// Content-Type to match): ExportTraceServiceResponse / ExportLogsServiceResponse on success,
// google.rpc.Status on failure.

import type { OtlpRejectedLogRecord } from './otlp-logs-converter';
import { otlpProtoTypes } from './otlp-proto-schema';
import type { OtlpRejectedSpan, OtlpSpanWarning } from './otlp-request-converter';

export type OtlpEncoding = 'json' | 'protobuf';

export interface OtlpResponseBody {
  contentType: string;
  body: Buffer;
}

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

// The spec asks servers to bound diagnostics; a few named spans say enough to find the problem.
const MAX_NAMED_REJECTIONS = 10;

/** Human-readable summary of rejected spans for `partialSuccess.errorMessage`. */
export function describeRejections(rejected: OtlpRejectedSpan[]): string {
  const named = rejected.slice(0, MAX_NAMED_REJECTIONS).map((r) => {
    const who =
      r.spanId !== undefined ? `span ${r.spanId}${r.traceId !== undefined ? ` (trace ${r.traceId})` : ''}` : 'a span';
    return `${who}: ${r.reason}`;
  });
  const more = rejected.length > MAX_NAMED_REJECTIONS ? `; and ${rejected.length - MAX_NAMED_REJECTIONS} more` : '';
  return `Rejected ${rejected.length} span(s): ${named.join('; ')}${more}.`;
}

/** Human-readable summary of spans kept with values not as sent (OTLP lets a server warn through
 *  `partialSuccess.errorMessage` with `rejectedSpans` 0). */
export function describeSpanWarnings(warnings: OtlpSpanWarning[]): string {
  const named = warnings.slice(0, MAX_NAMED_REJECTIONS).map((w) => {
    const who =
      w.spanId !== undefined ? `span ${w.spanId}${w.traceId !== undefined ? ` (trace ${w.traceId})` : ''}: ` : '';
    return `${who}${w.reason}`;
  });
  const more = warnings.length > MAX_NAMED_REJECTIONS ? `; and ${warnings.length - MAX_NAMED_REJECTIONS} more` : '';
  return `Kept ${warnings.length} span(s) or resource(s) with values not as sent: ${named.join('; ')}${more}.`;
}

/** Full success is an empty response; partial success names the rejected spans, and warnings
 *  about kept spans go in the same message. */
export function exportResponse(
  encoding: OtlpEncoding,
  rejected: OtlpRejectedSpan[],
  warnings: OtlpSpanWarning[] = [],
): OtlpResponseBody {
  const messages = [
    ...(rejected.length ? [describeRejections(rejected)] : []),
    ...(warnings.length ? [describeSpanWarnings(warnings)] : []),
  ];
  const response =
    messages.length === 0
      ? {}
      : { partialSuccess: { rejectedSpans: rejected.length, errorMessage: messages.join(' ') } };
  if (encoding === 'json') return { contentType: CONTENT_TYPES.json, body: Buffer.from(JSON.stringify(response)) };
  const type = otlpProtoTypes().exportTraceServiceResponse;
  return { contentType: CONTENT_TYPES.protobuf, body: Buffer.from(type.encode(type.fromObject(response)).finish()) };
}

/** What the receiver's logs handler did with the accepted records (the store's LogIngestResult
 *  has these fields). */
export interface OtlpLogsOutcome {
  joinedLogRecords?: number;
  pendingLogRecords?: number;
  ignoredWithoutSpan?: number;
  ignoredNotGenAi?: number;
  droppedLogRecords?: number;
}

/** Human-readable summary of rejected log records. */
export function describeLogRejections(rejected: OtlpRejectedLogRecord[]): string {
  const named = rejected.slice(0, MAX_NAMED_REJECTIONS).map((r) => {
    const who = r.spanId !== undefined ? `a log record of span ${r.spanId}` : 'a log record';
    return `${who}: ${r.reason}`;
  });
  const more = rejected.length > MAX_NAMED_REJECTIONS ? `; and ${rejected.length - MAX_NAMED_REJECTIONS} more` : '';
  return `Rejected ${rejected.length} log record(s): ${named.join('; ')}${more}.`;
}

/** One sentence with the counts of a logs request, e.g. "3 log record(s) joined to their spans, 2
 *  pending until their spans arrive". Empty when there is nothing to say. */
export function describeLogsOutcome(outcome: OtlpLogsOutcome): string {
  const parts: string[] = [];
  const n = (v: number | undefined): number => v ?? 0;
  if (n(outcome.joinedLogRecords)) parts.push(`${n(outcome.joinedLogRecords)} log record(s) joined to their spans`);
  if (n(outcome.pendingLogRecords)) parts.push(`${n(outcome.pendingLogRecords)} pending until their spans arrive`);
  if (n(outcome.ignoredWithoutSpan))
    parts.push(`${n(outcome.ignoredWithoutSpan)} ignored (no trace id / span id to join them to)`);
  if (n(outcome.ignoredNotGenAi)) parts.push(`${n(outcome.ignoredNotGenAi)} ignored (not gen_ai.* events)`);
  if (n(outcome.droppedLogRecords)) {
    parts.push(
      `${n(outcome.droppedLogRecords)} older pending record(s) dropped because the pending buffer is full (their spans never arrived: send the spans to /v1/traces too)`,
    );
  }
  return parts.join(', ');
}

/** Human-readable summary of log records kept with values not as sent. */
export function describeLogWarnings(warnings: OtlpRejectedLogRecord[]): string {
  const named = warnings
    .slice(0, MAX_NAMED_REJECTIONS)
    .map((w) => `${w.spanId !== undefined ? `a log record of span ${w.spanId}: ` : ''}${w.reason}`);
  const more = warnings.length > MAX_NAMED_REJECTIONS ? `; and ${warnings.length - MAX_NAMED_REJECTIONS} more` : '';
  return `Kept ${warnings.length} log record(s) or resource(s) with values not as sent: ${named.join('; ')}${more}.`;
}

/** Full success (every record joined) is an empty response. Otherwise partialSuccess carries the
 *  rejected count and a message with all counts: the spec lets a server send a warning with
 *  rejectedLogRecords 0, and records that wait or are ignored are worth one, as are values kept
 *  not as sent. */
export function logsExportResponse(
  encoding: OtlpEncoding,
  rejected: OtlpRejectedLogRecord[],
  outcome: OtlpLogsOutcome,
  warnings: OtlpRejectedLogRecord[] = [],
): OtlpResponseBody {
  const allJoined =
    !outcome.pendingLogRecords && !outcome.ignoredWithoutSpan && !outcome.ignoredNotGenAi && !outcome.droppedLogRecords;
  let response = {};
  if (rejected.length > 0 || !allJoined || warnings.length > 0) {
    const message = [
      describeLogsOutcome(outcome),
      rejected.length ? describeLogRejections(rejected) : '',
      warnings.length ? describeLogWarnings(warnings) : '',
    ]
      .filter(Boolean)
      .join('. ');
    response = { partialSuccess: { rejectedLogRecords: rejected.length, errorMessage: message } };
  }
  if (encoding === 'json') return { contentType: CONTENT_TYPES.json, body: Buffer.from(JSON.stringify(response)) };
  const type = otlpProtoTypes().exportLogsServiceResponse;
  return { contentType: CONTENT_TYPES.protobuf, body: Buffer.from(type.encode(type.fromObject(response)).finish()) };
}

/** google.rpc.Status codes matching the HTTP statuses we answer with. */
const RPC_CODES: Record<number, number> = { 400: 3, 404: 5, 405: 12, 413: 8, 415: 3, 500: 13, 503: 14 };

export function statusResponse(encoding: OtlpEncoding, httpStatus: number, message: string): OtlpResponseBody {
  const status = { code: RPC_CODES[httpStatus] ?? 2, message };
  if (encoding === 'json') return { contentType: CONTENT_TYPES.json, body: Buffer.from(JSON.stringify(status)) };
  const type = otlpProtoTypes().rpcStatus;
  return { contentType: CONTENT_TYPES.protobuf, body: Buffer.from(type.encode(type.fromObject(status)).finish()) };
}
