// Typed errors of the Langfuse source. Each message is one sentence that says what to check, and
// never contains a key (only the base URL and request paths). They are PlatformErrors; the ones
// that mean "fix the connection" (config, keys, URL) name the connect-platform action as `next`.
import type { NextAction } from '../../util/user-error';
import { connectPlatform, PlatformConfigError, PlatformError } from '../platform-errors';

export type LangfuseErrorCode =
  'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_URL' | 'RATE_LIMITED' | 'TRACE_GONE' | 'PROMPT_NOT_FOUND' | 'HTTP_ERROR';

export abstract class LangfuseError extends PlatformError {
  abstract override readonly code: LangfuseErrorCode;
}

/** A Langfuse setting or key is missing or malformed (a PlatformConfigError: the CLI exits 2). */
export class LangfuseConfigError extends PlatformConfigError {
  override name = 'LangfuseConfigError';
  constructor(message: string, connection?: string) {
    super(message, { platform: 'langfuse', connection });
  }
}

export class LangfuseAuthError extends LangfuseError {
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN';
  override readonly next: NextAction = connectPlatform('langfuse');
  override name = 'LangfuseAuthError';
  constructor(
    readonly baseUrl: string,
    readonly status: number,
  ) {
    super(
      status === 403
        ? `Langfuse refused access for ${baseUrl}: the keys are valid but not allowed here; check that they belong to this project (project settings -> API keys).`
        : `Langfuse rejected the keys for ${baseUrl}: check the public and secret key (project settings -> API keys).`,
    );
    this.code = status === 403 ? 'FORBIDDEN' : 'UNAUTHORIZED';
  }
}

/** Nothing Langfuse-like answered: network error, HTML page, unknown route. */
export class LangfuseUrlError extends LangfuseError {
  readonly code = 'BAD_URL';
  override readonly next: NextAction = connectPlatform('langfuse');
  override name = 'LangfuseUrlError';
  constructor(
    readonly url: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `No Langfuse API answered at ${url} (${detail}); check the base URL (e.g. https://cloud.langfuse.com, https://us.cloud.langfuse.com or your self-hosted address).`,
      options,
    );
  }
}

export class LangfuseRateLimitError extends LangfuseError {
  readonly code = 'RATE_LIMITED';
  override name = 'LangfuseRateLimitError';
  constructor(
    readonly baseUrl: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(
      `Langfuse at ${baseUrl} is rate-limiting this project${retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : ''}; wait a moment and try again, or check the plan's API rate limit.`,
    );
  }
}

export class TraceGoneError extends LangfuseError {
  readonly code = 'TRACE_GONE';
  override name = 'TraceGoneError';
  constructor(
    readonly traceId: string,
    readonly baseUrl: string,
  ) {
    super(
      `Trace ${traceId} is not in Langfuse at ${baseUrl} (deleted, or outside the project's retention window); check the trace id and the project.`,
    );
  }
}

export class LangfusePromptNotFoundError extends LangfuseError {
  readonly code = 'PROMPT_NOT_FOUND';
  override name = 'LangfusePromptNotFoundError';
  constructor(
    readonly promptName: string,
    readonly which: string,
    readonly baseUrl: string,
  ) {
    super(
      `Prompt "${promptName}" (${which}) is not in Langfuse at ${baseUrl}; check the prompt name and its versions or labels.`,
    );
  }
}

export class LangfuseHttpError extends LangfuseError {
  readonly code = 'HTTP_ERROR';
  override name = 'LangfuseHttpError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly serverMessage: string | undefined,
  ) {
    super(
      `Langfuse answered HTTP ${status} for ${path}${serverMessage ? ` (${serverMessage})` : ''}; ${status >= 500 ? 'try again later' : 'check the request options'}.`,
    );
  }
}
