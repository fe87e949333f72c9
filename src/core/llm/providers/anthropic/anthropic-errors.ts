// @anthropic-ai/sdk errors -> our typed errors (the shared Stainless mapping, with this SDK's classes).
import type { APIError } from '@anthropic-ai/sdk';
import { mapStainlessError, type StainlessErrors } from '../../map-sdk-error';
import { anthropicSdk } from './anthropic-sdk';

// Built on first use: the classes come from the lazily loaded SDK.
let errors: StainlessErrors<APIError> | undefined;
const anthropicErrors = (): StainlessErrors<APIError> =>
  (errors ??= {
    APIError: anthropicSdk().APIError,
    APIConnectionError: anthropicSdk().APIConnectionError,
    APIUserAbortError: anthropicSdk().APIUserAbortError,
    message(err) {
      if (typeof err.apiMessage === 'string' && err.apiMessage !== '') return err.apiMessage;
      const body = err.error as { error?: { message?: unknown } } | undefined;
      return typeof body?.error?.message === 'string' ? body.error.message : err.message;
    },
    errorType: (err) => err.type ?? undefined,
  });

/** Maps what an Anthropic SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapAnthropicError(
  err: unknown,
  provider: string,
  retries: number,
  signal: AbortSignal | undefined,
  baseURL: string | undefined,
): unknown {
  return mapStainlessError(anthropicErrors(), err, provider, retries, signal, baseURL);
}
