// What every adapter's mapError shares: which statuses are retryable, what an abort looks like, the
// message of a connection failure, and the mapping of the Stainless-generated SDKs (openai,
// @anthropic-ai/sdk), whose error classes have the same shape. Each provider's folder names its
// SDK's classes and how to read its error body (by class, never by message text).
import { ProviderRequestError, RequestAbortedError } from './llm-errors';

/** Status codes the SDKs retry themselves (and that are worth retrying later). */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A DOM-style AbortError (what fetch throws when its signal fires). */
export function isAbortLike(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** The SDKs say only "Connection error."; this names the address so the user knows which setting to check. */
export function connectionError(
  provider: string,
  err: Error,
  retries: number,
  baseURL: string | undefined,
): ProviderRequestError {
  const where = baseURL
    ? `could not reach ${baseURL} (${err.message}); check the ${provider} base URL and that the server is running`
    : err.message;
  return new ProviderRequestError({ provider, providerMessage: where, retryable: true, retries, cause: err });
}

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error classes of a Stainless-generated SDK and how its API errors name message and type. */
export interface StainlessErrors<E extends Error & { status?: number; requestID?: string | null }> {
  APIError: ErrorClass<E>;
  APIConnectionError: ErrorClass<Error>;
  APIUserAbortError: ErrorClass<Error>;
  message(err: E): string;
  errorType(err: E): string | undefined;
}

/** Maps what such an SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapStainlessError<E extends Error & { status?: number; requestID?: string | null }>(
  sdk: StainlessErrors<E>,
  err: unknown,
  provider: string,
  retries: number,
  signal: AbortSignal | undefined,
  baseURL: string | undefined,
): unknown {
  if (
    err instanceof sdk.APIUserAbortError ||
    (signal?.aborted === true && (isAbortLike(err) || err instanceof sdk.APIError))
  ) {
    return new RequestAbortedError(provider, err);
  }
  if (err instanceof sdk.APIConnectionError) return connectionError(provider, err, retries, baseURL);
  if (err instanceof sdk.APIError) {
    return new ProviderRequestError({
      provider,
      status: err.status,
      providerMessage: sdk.message(err),
      retryable: isRetryableStatus(err.status),
      requestId: err.requestID ?? undefined,
      errorType: sdk.errorType(err),
      retries,
      cause: err,
    });
  }
  if (signal?.aborted === true) return new RequestAbortedError(provider, err);
  return err;
}
