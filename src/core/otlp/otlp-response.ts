// Bodies of OTLP/HTTP responses, in the encoding of the request (the spec requires the response
// Content-Type to match): ExportTraceServiceResponse on success, google.rpc.Status on failure.

import { otlpProtoTypes } from './otlp-proto-schema';
import type { OtlpRejectedSpan } from './otlp-request-converter';

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
    const who = r.spanId !== undefined ? `span ${r.spanId}${r.traceId !== undefined ? ` (trace ${r.traceId})` : ''}` : 'a span';
    return `${who}: ${r.reason}`;
  });
  const more = rejected.length > MAX_NAMED_REJECTIONS ? `; and ${rejected.length - MAX_NAMED_REJECTIONS} more` : '';
  return `Rejected ${rejected.length} span(s): ${named.join('; ')}${more}.`;
}

/** Full success is an empty response; partial success names the rejected spans. */
export function exportResponse(encoding: OtlpEncoding, rejected: OtlpRejectedSpan[]): OtlpResponseBody {
  const response =
    rejected.length === 0 ? {} : { partialSuccess: { rejectedSpans: rejected.length, errorMessage: describeRejections(rejected) } };
  if (encoding === 'json') return { contentType: CONTENT_TYPES.json, body: Buffer.from(JSON.stringify(response)) };
  const type = otlpProtoTypes().exportTraceServiceResponse;
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
