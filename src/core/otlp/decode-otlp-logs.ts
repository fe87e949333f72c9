// OTLP/HTTP logs requests (ExportLogsServiceRequest) in JSON or binary protobuf -> RawLogRecord[].
// Same approach as the trace decoders: protobuf is decoded with protobufjs into a plain object in
// OTLP/JSON shape (ids base64, 64-bit integers as decimal strings) and both encodings go through
// one converter (otlp-logs-converter).

import { decodeOtlpProtobufBody, parseOtlpJsonBody } from './otlp-body';
import { convertExportLogsRequest, type OtlpLogsDecodeResult } from './otlp-logs-converter';
import { otlpProtoTypes } from './otlp-proto-schema';

export type { OtlpLogsDecodeResult, OtlpRejectedLogRecord, RawLogRecord } from './otlp-logs-converter';

/** Decodes an already-parsed OTLP/JSON logs body. Throws OtlpDecodeError when the body is not a
 *  request object; bad records are listed in `rejected` while the good ones are kept. */
export function decodeOtlpLogsJson(body: unknown): OtlpLogsDecodeResult {
  return convertExportLogsRequest(body);
}

/** Parses and decodes a raw OTLP/JSON logs body (UTF-8). Invalid JSON throws OtlpDecodeError. */
export function decodeOtlpLogsJsonBytes(bytes: Uint8Array): OtlpLogsDecodeResult {
  return convertExportLogsRequest(parseOtlpJsonBody(bytes));
}

/** Throws OtlpDecodeError for truncated or malformed bytes. */
export function decodeOtlpLogsProtobuf(bytes: Uint8Array): OtlpLogsDecodeResult {
  return convertExportLogsRequest(decodeOtlpProtobufBody(otlpProtoTypes().exportLogsServiceRequest, bytes));
}
