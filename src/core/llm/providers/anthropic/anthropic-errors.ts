// @anthropic-ai/sdk errors -> our typed errors.
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderRequestError, RequestAbortedError } from '../../llm-errors';
import { connectionError, isAbortLike, isRetryableStatus } from '../../map-sdk-error';

function message(err: APIError): string {
  if (typeof err.apiMessage === 'string' && err.apiMessage !== '') return err.apiMessage;
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : err.message;
}

/** Maps what an Anthropic SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapAnthropicError(err: unknown, provider: string, retries: number, signal: AbortSignal | undefined, baseURL: string | undefined): unknown {
  if (err instanceof APIUserAbortError || (signal?.aborted === true && (isAbortLike(err) || err instanceof APIError))) {
    return new RequestAbortedError(provider, err);
  }
  if (err instanceof APIConnectionError) return connectionError(provider, err, retries, baseURL);
  if (err instanceof APIError) {
    return new ProviderRequestError({
      provider,
      status: err.status,
      providerMessage: message(err),
      retryable: isRetryableStatus(err.status),
      requestId: err.requestID ?? undefined,
      errorType: err.type ?? undefined,
      retries,
      cause: err,
    });
  }
  if (signal?.aborted === true) return new RequestAbortedError(provider, err);
  return err;
}
