// OTLP/JSON ExportTraceServiceRequest -> RawSpan[] (see otlp-request-converter for the rules).

import { parseOtlpJsonBody } from './otlp-body';
import { convertExportRequest, type OtlpDecodeResult } from './otlp-request-converter';

export type { OtlpDecodeResult, OtlpRejectedSpan } from './otlp-request-converter';

/** Decodes an already-parsed OTLP/JSON body. Throws OtlpDecodeError when the body is not a
 *  request object; bad spans are listed in `rejected` while the good ones are kept. */
export function decodeOtlpJson(body: unknown): OtlpDecodeResult {
  return convertExportRequest(body);
}

/** Parses and decodes a raw OTLP/JSON body (UTF-8). Invalid JSON throws OtlpDecodeError. */
export function decodeOtlpJsonBytes(bytes: Uint8Array): OtlpDecodeResult {
  return decodeOtlpJson(parseOtlpJsonBody(bytes));
}
