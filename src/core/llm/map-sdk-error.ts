// SDK errors -> our typed errors, by the SDKs' error classes (never by message text).
import {
  APIConnectionError as AnthropicConnectionError, APIError as AnthropicApiError, APIUserAbortError as AnthropicAbortError,
} from '@anthropic-ai/sdk';
import { APIConnectionError as OpenAiConnectionError, APIError as OpenAiApiError, APIUserAbortError as OpenAiAbortError } from 'openai';
import { ProviderRequestError, RequestAbortedError } from './llm-errors';

/** Status codes the SDKs retry themselves (and that are worth retrying later). */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

function openAiMessage(err: OpenAiApiError): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' && body.message !== '' ? body.message : err.message;
}

function anthropicMessage(err: AnthropicApiError): string {
  if (typeof err.apiMessage === 'string' && err.apiMessage !== '') return err.apiMessage;
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : err.message;
}

function isAbortLike(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Maps what an SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapSdkError(err: unknown, provider: string, retries: number, signal?: AbortSignal, baseURL?: string): unknown {
  if (err instanceof OpenAiAbortError || err instanceof AnthropicAbortError || (signal?.aborted === true && (isAbortLike(err) || err instanceof OpenAiApiError || err instanceof AnthropicApiError))) {
    return new RequestAbortedError(provider, err);
  }
  if (err instanceof OpenAiConnectionError || err instanceof AnthropicConnectionError) {
    // The SDK says only "Connection error."; name the address so the user knows which setting to check.
    const where = baseURL ? `could not reach ${baseURL} (${err.message}); check the ${provider} base URL and that the server is running` : err.message;
    return new ProviderRequestError({ provider, providerMessage: where, retryable: true, retries, cause: err });
  }
  if (err instanceof OpenAiApiError) {
    return new ProviderRequestError({
      provider,
      status: err.status,
      providerMessage: openAiMessage(err),
      retryable: isRetryableStatus(err.status),
      requestId: err.requestID ?? undefined,
      errorType: err.code ?? err.type ?? undefined,
      retries,
      cause: err,
    });
  }
  if (err instanceof AnthropicApiError) {
    return new ProviderRequestError({
      provider,
      status: err.status,
      providerMessage: anthropicMessage(err),
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
