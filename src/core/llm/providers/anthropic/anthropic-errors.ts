// @anthropic-ai/sdk errors -> our typed errors (the shared Stainless mapping, with this SDK's classes).
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { mapStainlessError, type StainlessErrors } from '../../map-sdk-error';

const ANTHROPIC_ERRORS: StainlessErrors<APIError> = {
  APIError,
  APIConnectionError,
  APIUserAbortError,
  message(err) {
    if (typeof err.apiMessage === 'string' && err.apiMessage !== '') return err.apiMessage;
    const body = err.error as { error?: { message?: unknown } } | undefined;
    return typeof body?.error?.message === 'string' ? body.error.message : err.message;
  },
  errorType: (err) => err.type ?? undefined,
};

/** Maps what an Anthropic SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapAnthropicError(err: unknown, provider: string, retries: number, signal: AbortSignal | undefined, baseURL: string | undefined): unknown {
  return mapStainlessError(ANTHROPIC_ERRORS, err, provider, retries, signal, baseURL);
}
