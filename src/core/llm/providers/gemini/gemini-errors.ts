// @google/genai errors -> our typed errors. The SDK throws one class, ApiError (status + a message
// that is the error JSON Google answered: {"error": {"code", "message", "status", "details"}}; a
// stream's error chunk comes as "got status: <STATUS>. <json>"). A timeout (httpOptions.timeout)
// or the caller's signal aborts fetch with an AbortError; an unreachable server is fetch's TypeError.
import { geminiSdk } from './gemini-sdk';
import { ProviderRequestError, RequestAbortedError } from '../../llm-errors';
import { connectionError, isAbortLike, isRetryableStatus } from '../../map-sdk-error';

interface GoogleError {
  message?: string;
  status?: string;
}

/** The `error` object of Google's error JSON inside an ApiError message, if there is one. */
export function googleError(message: string): GoogleError | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: unknown };
    return typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as GoogleError) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps what a @google/genai call threw; errors that are not the SDK's or fetch's come back unchanged. */
export function mapGeminiError(
  err: unknown,
  provider: string,
  retries: number,
  signal: AbortSignal | undefined,
  baseURL: string | undefined,
  timeoutMs: number,
): unknown {
  const { ApiError } = geminiSdk();
  if (signal?.aborted === true && (isAbortLike(err) || err instanceof ApiError))
    return new RequestAbortedError(provider, err);
  if (err instanceof ApiError) {
    const google = googleError(err.message);
    return new ProviderRequestError({
      provider,
      status: err.status,
      providerMessage: typeof google?.message === 'string' && google.message !== '' ? google.message : err.message,
      retryable: isRetryableStatus(err.status),
      errorType: google?.status,
      retries,
      cause: err,
    });
  }
  if (isAbortLike(err)) {
    return new ProviderRequestError({
      provider,
      providerMessage: `no answer within ${timeoutMs} ms (the request timed out)`,
      retryable: true,
      retries,
      cause: err,
    });
  }
  // fetch's network failures are TypeErrors carrying the socket error as their cause.
  if (err instanceof TypeError && err.cause !== undefined) return connectionError(provider, err, retries, baseURL);
  if (signal?.aborted === true) return new RequestAbortedError(provider, err);
  return err;
}
