// Typed errors of the OTLP decoders and receiver, so callers branch on `code`, never on messages.
import { UserError } from '../util/user-error';

export type OtlpDecodeErrorCode = 'INVALID_JSON' | 'INVALID_PROTOBUF' | 'INVALID_STRUCTURE';

/** The whole request body is unusable (not just some spans); the receiver answers 400. */
export class OtlpDecodeError extends UserError {
  override readonly name = 'OtlpDecodeError';
  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ReceiverStartErrorCode = 'PORT_IN_USE' | 'PERMISSION_DENIED' | 'LISTEN_FAILED';

/** The receiver could not listen; the message says which port and what to do. */
export class ReceiverStartError extends UserError {
  override readonly name = 'ReceiverStartError';
  constructor(
    readonly code: ReceiverStartErrorCode,
    readonly port: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
