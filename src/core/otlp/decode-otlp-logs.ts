// OTLP/HTTP logs requests (ExportLogsServiceRequest) in JSON or binary protobuf -> RawLogRecord[].
// Same approach as the trace decoders: protobuf is decoded with protobufjs into a plain object in
// OTLP/JSON shape (ids base64, 64-bit integers as decimal strings) and both encodings go through
// one converter (otlp-logs-converter).

import { OtlpDecodeError } from './otlp-errors';
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
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('invalid-json', `The request body is not valid JSON: ${detail}`);
  }
  return convertExportLogsRequest(body);
}

/** Throws OtlpDecodeError for truncated or malformed bytes. */
export function decodeOtlpLogsProtobuf(bytes: Uint8Array): OtlpLogsDecodeResult {
  const type = otlpProtoTypes().exportLogsServiceRequest;
  let plain: unknown;
  try {
    const message = type.decode(bytes);
    plain = type.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, json: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('invalid-protobuf', `The request body is not a valid protobuf ExportLogsServiceRequest: ${detail}`);
  }
  return convertExportLogsRequest(plain);
}
