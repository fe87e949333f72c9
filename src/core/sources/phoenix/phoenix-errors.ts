// Typed errors of the Arize Phoenix platform. Each message is one sentence naming the cause and
// what to check, and never contains the API key (only base URLs, project and prompt names and
// request paths). They are PlatformErrors, so the CLI and the extension handle them as they handle
// Langfuse's; the ones that mean "fix the connection" (config, key, URL, project) name the
// connect-platform action as `next`.
import type { NextAction } from '../../util/user-error';
import { connectPlatform, PlatformConfigError, PlatformError, type PlatformErrorCode } from '../platform-errors';

export abstract class PhoenixError extends PlatformError {
  abstract override readonly code: PlatformErrorCode;
}

/** A setting or the key is missing or malformed (a PlatformConfigError: the CLI exits 2). */
export class PhoenixConfigError extends PlatformConfigError {
  override name = 'PhoenixConfigError';
  constructor(message: string, connection?: string) {
    super(message, { platform: 'phoenix', connection });
  }
}

/** 401: no key, a wrong or a revoked one. 403: the key's user may not do this (e.g. a viewer writing). */
export class PhoenixAuthError extends PhoenixError {
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN';
  override readonly next: NextAction = connectPlatform('phoenix');
  override name = 'PhoenixAuthError';
  constructor(
    readonly baseUrl: string,
    readonly status: number,
    keySet: boolean,
  ) {
    super(
      status === 403
        ? `Phoenix at ${baseUrl} refused the request: the API key is valid but its user may not do this; check the Phoenix API key's role (Settings -> API keys).`
        : keySet
          ? `Phoenix at ${baseUrl} rejected the API key; check the Phoenix API key (a system or user key from Settings -> API keys).`
          : `Phoenix at ${baseUrl} requires authentication; set the Phoenix API key (Settings -> API keys).`,
    );
    this.code = status === 403 ? 'FORBIDDEN' : 'UNAUTHORIZED';
  }
}

/** Nothing Phoenix-like answered: a network error, an HTML page, an unknown route. */
export class PhoenixUrlError extends PhoenixError {
  readonly code = 'BAD_URL';
  override readonly next: NextAction = connectPlatform('phoenix');
  override name = 'PhoenixUrlError';
  constructor(
    readonly url: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `No Phoenix API answered at ${url} (${detail}); check the Phoenix base URL (e.g. http://localhost:6006 or your Phoenix server's address) and that Phoenix is running.`,
      options,
    );
  }
}

export class PhoenixProjectNotFoundError extends PhoenixError {
  readonly code = 'PROJECT_NOT_FOUND';
  override readonly next: NextAction = connectPlatform('phoenix');
  override name = 'PhoenixProjectNotFoundError';
  constructor(
    readonly project: string,
    readonly baseUrl: string,
    readonly known?: string[],
  ) {
    const list =
      known && known.length > 0
        ? ` (projects there: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''})`
        : '';
    super(`Project "${project}" is not on Phoenix at ${baseUrl}${list}; check the project name.`);
  }
}

export class PhoenixRateLimitError extends PhoenixError {
  readonly code = 'RATE_LIMITED';
  override name = 'PhoenixRateLimitError';
  constructor(
    readonly baseUrl: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(
      `Phoenix at ${baseUrl} is rate-limiting requests${retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : ''}; wait a moment and try again.`,
    );
  }
}

export class PhoenixTraceGoneError extends PhoenixError {
  readonly code = 'TRACE_GONE';
  override name = 'PhoenixTraceGoneError';
  constructor(
    readonly traceId: string,
    readonly project: string,
    readonly baseUrl: string,
  ) {
    super(
      `Trace ${traceId} is not in the Phoenix project "${project}" at ${baseUrl} (deleted, or in another project); check the trace id and the project.`,
    );
  }
}

export class PhoenixPromptNotFoundError extends PhoenixError {
  readonly code = 'PROMPT_NOT_FOUND';
  override name = 'PhoenixPromptNotFoundError';
  constructor(
    readonly promptName: string,
    readonly which: string,
    readonly baseUrl: string,
  ) {
    super(
      `Prompt "${promptName}" (${which}) is not in Phoenix at ${baseUrl}; check the prompt name and its version ids or tags.`,
    );
  }
}

export class PhoenixHttpError extends PhoenixError {
  readonly code = 'HTTP_ERROR';
  override name = 'PhoenixHttpError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly serverMessage: string | undefined,
  ) {
    super(
      `Phoenix answered HTTP ${status} for ${path}${serverMessage ? ` (${serverMessage})` : ''}; ${status >= 500 ? 'try again later' : 'check the request options'}.`,
    );
  }
}

/** The server answers, but without an endpoint this needs (an older Phoenix). */
export class PhoenixTooOldError extends PhoenixError {
  readonly code = 'UNSUPPORTED';
  /** Like PlatformCapabilityError: the platform cannot do what was asked (the CLI exits 2). */
  override readonly kind = 'usage';
  override name = 'PhoenixTooOldError';
  constructor(
    readonly baseUrl: string,
    readonly endpoint: string,
    readonly sinceVersion: string,
  ) {
    super(
      `Phoenix at ${baseUrl} has no ${endpoint} (added in Phoenix ${sinceVersion}); upgrade Phoenix to read its traces here.`,
    );
  }
}
