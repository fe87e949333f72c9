// openai SDK errors (also AzureOpenAI's, the same classes) -> our typed errors.
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ProviderRequestError, RequestAbortedError } from '../../llm-errors';
import { connectionError, isAbortLike, isRetryableStatus } from '../../map-sdk-error';

function message(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' && body.message !== '' ? body.message : err.message;
}

/** Maps what an openai SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapOpenAiError(err: unknown, provider: string, retries: number, signal: AbortSignal | undefined, baseURL: string | undefined): unknown {
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
      errorType: err.code ?? err.type ?? undefined,
      retries,
      cause: err,
    });
  }
  if (signal?.aborted === true) return new RequestAbortedError(provider, err);
  return err;
}
