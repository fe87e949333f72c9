// Typed errors of the replay engine; the CLI and the extension show `message` as is.
import { UserError } from '../util/user-error';

export class TraceNotFoundError extends UserError {
  readonly code = 'TRACE_NOT_FOUND';
  constructor(readonly traceId: string) {
    super(
      `Trace ${traceId} is not in the trace store (deleted since the replay was queued, or never imported); ` +
        'import or record it again, or pick another trace from the list.',
    );
    this.name = 'TraceNotFoundError';
  }
}

export class ReplayJobNotFoundError extends UserError {
  readonly code = 'REPLAY_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`There is no replay job ${jobId}.`);
    this.name = 'ReplayJobNotFoundError';
  }
}

/** A template override was given but this engine was built without the prompt-template service. */
export class TemplatesUnavailableError extends UserError {
  readonly code = 'TEMPLATES_UNAVAILABLE';
  constructor() {
    super('Prompt-template overrides are not available in this replay engine.');
    this.name = 'TemplatesUnavailableError';
  }
}

/** Internal: the job was cancelled while a span ran; unwinds the job loop. */
export class ReplayCancelledError extends UserError {
  readonly code = 'REPLAY_CANCELLED';
  override readonly kind = 'cancelled';
  constructor() {
    super('The replay was cancelled.');
    this.name = 'ReplayCancelledError';
  }
}

/** A template override links to no LLM span of the trace: nothing would change, so nothing is sent. */
export class TemplateNotLinkedError extends UserError {
  readonly code = 'TEMPLATE_NOT_LINKED';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateNotLinkedError';
  }
}

/** No LLM span of the trace can be replayed (none recorded its input): nothing is sent. */
export class NothingReplayableError extends UserError {
  readonly code = 'NOTHING_REPLAYABLE';
  constructor(message: string) {
    super(message);
    this.name = 'NothingReplayableError';
  }
}

/** One LLM span cannot be replayed (it recorded no input); that span fails without a request. */
export class SpanNotReplayableError extends UserError {
  readonly code = 'SPAN_NOT_REPLAYABLE';
  constructor(
    readonly spanId: string,
    message: string,
  ) {
    super(message);
    this.name = 'SpanNotReplayableError';
  }
}
