// What every adapter's mapError shares: which statuses are retryable, what an abort looks like, and
// the message of a connection failure. The SDK-specific mapping (by the SDKs' error classes, never
// by message text) is in each provider's folder.
import { ProviderRequestError } from './llm-errors';

/** Status codes the SDKs retry themselves (and that are worth retrying later). */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A DOM-style AbortError (what fetch throws when its signal fires). */
export function isAbortLike(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** The SDKs say only "Connection error."; this names the address so the user knows which setting to check. */
export function connectionError(provider: string, err: Error, retries: number, baseURL: string | undefined): ProviderRequestError {
  const where = baseURL ? `could not reach ${baseURL} (${err.message}); check the ${provider} base URL and that the server is running` : err.message;
  return new ProviderRequestError({ provider, providerMessage: where, retryable: true, retries, cause: err });
}
