// OTLP/HTTP binary protobuf ExportTraceServiceRequest -> RawSpan[]. The message is decoded with
// protobufjs, turned into a plain object in OTLP/JSON shape (ids as base64, 64-bit integers as
// decimal strings) and handed to the same converter as the JSON path.

import { OtlpDecodeError } from './otlp-errors';
import { otlpProtoTypes } from './otlp-proto-schema';
import { convertExportRequest, type OtlpDecodeResult } from './otlp-request-converter';

export type { OtlpDecodeResult, OtlpRejectedSpan } from './otlp-request-converter';

/** Throws OtlpDecodeError for truncated or malformed bytes. */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpDecodeResult {
  const type = otlpProtoTypes().exportTraceServiceRequest;
  let plain: unknown;
  try {
    const message = type.decode(bytes);
    // longs: String keeps fixed64 nanosecond times exact (they exceed 2^53).
    plain = type.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, json: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('invalid-protobuf', `The request body is not a valid protobuf ExportTraceServiceRequest: ${detail}`);
  }
  return convertExportRequest(plain);
}
