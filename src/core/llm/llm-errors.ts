// Typed errors of the provider layer. The engine tells them apart by class (or `code`), never by
// message text; messages are one sentence a user can act on.
import { redactSecrets } from '../util/redact-secrets';
import { UserError, type NextAction } from '../util/user-error';

export class UnknownModelError extends UserError {
  readonly code = 'UNKNOWN_MODEL';
  override readonly kind = 'usage';
  override readonly next: NextAction = { kind: 'choose-model' };
  constructor(
    readonly spec: string,
    readonly configuredProviders: string[],
    detail?: string,
  ) {
    super(
      `${detail ?? `Cannot tell which provider serves "${spec}".`} Write the model as provider:model ` +
        `(e.g. openai:gpt-4o-mini or anthropic:claude-sonnet-4-5); configured providers: ${configuredProviders.join(', ') || 'none'}.`,
    );
    this.name = 'UnknownModelError';
  }
}

/** The target names a provider that has no configuration (no profile of that name). */
export class UnknownProviderError extends UserError {
  readonly code = 'UNKNOWN_PROVIDER';
  override readonly kind = 'usage';
  override readonly next: NextAction = { kind: 'choose-model' };
  constructor(
    readonly provider: string,
    readonly configuredProviders: string[],
    setup?: string,
  ) {
    super(
      `No provider named "${provider}" is configured${setup !== undefined ? ` (${setup})` : ''}; configured providers: ${configuredProviders.join(', ') || 'none'}.`,
    );
    this.name = 'UnknownProviderError';
  }
}

/** The target cannot serve the requested API (e.g. an Anthropic profile asked for chat.completions). */
export class UnsupportedApiError extends UserError {
  readonly code = 'UNSUPPORTED_API';
  override readonly kind = 'usage';
  constructor(
    readonly provider: string,
    readonly api: string,
  ) {
    super(`Provider "${provider}" does not serve the ${api} API.`);
    this.name = 'UnsupportedApiError';
  }
}

/** Raised before any network call when the provider needs a key and none is configured. */
export class MissingApiKeyError extends UserError {
  readonly code = 'MISSING_API_KEY';
  override readonly kind = 'usage';
  override readonly next: NextAction;
  constructor(
    readonly provider: string,
    readonly keySource: string | undefined,
  ) {
    super(
      // keySource is where the key goes for this front end: an env var for the CLI, the Set API Key
      // command (or an env var) in VS Code.
      `No API key for ${provider}: ` + (keySource ? `set ${keySource}.` : 'configure a key for this provider.'),
    );
    this.name = 'MissingApiKeyError';
    this.next = { kind: 'set-api-key', provider };
  }
}

export interface ProviderRequestErrorInit {
  provider: string;
  /** HTTP status; undefined for connection failures and timeouts. */
  status?: number;
  /** The provider's own error message (from its error JSON), or the SDK's for connection failures. */
  providerMessage: string;
  /** Whether the failure was of a retryable kind (429, 5xx, timeout, connection); the SDK already
   *  retried it `retries` times. */
  retryable: boolean;
  requestId?: string;
  /** Provider error type/code when given (rate_limit_error, invalid_api_key, ...). */
  errorType?: string;
  retries: number;
  cause?: unknown;
}

/** The provider answered with an error (after the SDK's retries), or could not be reached. */
export class ProviderRequestError extends UserError {
  readonly code = 'PROVIDER_REQUEST_FAILED';
  readonly provider: string;
  readonly status?: number;
  readonly providerMessage: string;
  readonly retryable: boolean;
  readonly requestId?: string;
  readonly errorType?: string;
  readonly retries: number;
  constructor(init: ProviderRequestErrorInit) {
    const status = init.status !== undefined ? ` (HTTP ${init.status})` : '';
    const tries = init.retries > 0 ? ` after ${init.retries} ${init.retries === 1 ? 'retry' : 'retries'}` : '';
    // A base URL with a password, quoted by the SDK or by fetch, must not reach the job or the screen.
    super(redactSecrets(`${init.provider} request failed${status}${tries}: ${init.providerMessage}`), {
      cause: init.cause,
    });
    this.name = 'ProviderRequestError';
    this.provider = init.provider;
    this.status = init.status;
    this.providerMessage = redactSecrets(init.providerMessage);
    this.retryable = init.retryable;
    this.requestId = init.requestId;
    this.errorType = init.errorType;
    this.retries = init.retries;
  }
}

/** The caller's AbortSignal fired before the answer was complete. */
export class RequestAbortedError extends UserError {
  readonly code = 'REQUEST_ABORTED';
  override readonly kind = 'cancelled';
  constructor(
    readonly provider: string,
    cause?: unknown,
  ) {
    super(`The ${provider} request was cancelled.`, { cause });
    this.name = 'RequestAbortedError';
  }
}
