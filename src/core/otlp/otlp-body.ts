// The first step of every OTLP/HTTP decoder (traces and logs): a JSON body parsed, or a protobuf
// body decoded with protobufjs into a plain object in OTLP/JSON shape (ids base64, 64-bit integers
// as decimal strings), with one typed error each when the bytes are not what they claim to be.
import type { Type } from 'protobufjs';
import { OtlpDecodeError } from './otlp-errors';
import { errorMessage } from '../util/error-message';

/** Parses a UTF-8 JSON body; invalid JSON throws OtlpDecodeError('INVALID_JSON'). */
export function parseOtlpJsonBody(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  } catch (error) {
    const detail = errorMessage(error);
    throw new OtlpDecodeError('INVALID_JSON', `The request body is not valid JSON: ${detail}`);
  }
}

/** Decodes a protobuf body of message `type` (named in the error) into its OTLP/JSON-shaped object;
 *  truncated or malformed bytes throw OtlpDecodeError('INVALID_PROTOBUF'). */
export function decodeOtlpProtobufBody(type: Type, bytes: Uint8Array): unknown {
  try {
    // longs: String keeps fixed64 nanosecond times exact (they exceed 2^53).
    return type.toObject(type.decode(bytes), {
      longs: String,
      enums: Number,
      bytes: String,
      defaults: false,
      json: true,
    });
  } catch (error) {
    const detail = errorMessage(error);
    throw new OtlpDecodeError('INVALID_PROTOBUF', `The request body is not a valid protobuf ${type.name}: ${detail}`);
  }
}
