// Typed errors of the OTLP decoders and receiver, so callers branch on `code`, never on messages.

export type OtlpDecodeErrorCode = 'invalid-json' | 'invalid-protobuf' | 'invalid-structure';

/** The whole request body is unusable (not just some spans); the receiver answers 400. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ReceiverStartErrorCode = 'port-in-use' | 'permission-denied' | 'listen-failed';

/** The receiver could not listen; the message says which port and what to do. */
export class ReceiverStartError extends Error {
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
