// OTLP/HTTP binary protobuf ExportTraceServiceRequest -> RawSpan[]. The message is decoded with
// protobufjs, turned into a plain object in OTLP/JSON shape (ids as base64, 64-bit integers as
// decimal strings) and handed to the same converter as the JSON path.

import { decodeOtlpProtobufBody } from './otlp-body';
import { otlpProtoTypes } from './otlp-proto-schema';
import { convertExportRequest, type OtlpDecodeResult } from './otlp-request-converter';

export type { OtlpDecodeResult, OtlpRejectedSpan } from './otlp-request-converter';

/** Throws OtlpDecodeError for truncated or malformed bytes. */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpDecodeResult {
  return convertExportRequest(decodeOtlpProtobufBody(otlpProtoTypes().exportTraceServiceRequest, bytes));
}
