// Typed errors of the replay engine; the CLI and the extension show `message` as is.

export class TraceNotFoundError extends Error {
  readonly code = 'TRACE_NOT_FOUND';
  constructor(readonly traceId: string) {
    super(
      `Trace ${traceId} is no longer in the store/source (retention window?); ` +
        'import or record it again, or pick another trace from the list.',
    );
    this.name = 'TraceNotFoundError';
  }
}

export class ReplayJobNotFoundError extends Error {
  readonly code = 'REPLAY_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`There is no replay job ${jobId}.`);
    this.name = 'ReplayJobNotFoundError';
  }
}

/** A template override was given but this engine was built without the prompt-template service. */
export class TemplatesUnavailableError extends Error {
  readonly code = 'TEMPLATES_UNAVAILABLE';
  constructor() {
    super('Prompt-template overrides are not available in this replay engine.');
    this.name = 'TemplatesUnavailableError';
  }
}

/** Internal: the job was cancelled while a span ran; unwinds the job loop. */
export class ReplayCancelledError extends Error {
  readonly code = 'REPLAY_CANCELLED';
  constructor() {
    super('The replay was cancelled.');
    this.name = 'ReplayCancelledError';
  }
}
