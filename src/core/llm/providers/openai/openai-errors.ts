// openai SDK errors (also AzureOpenAI's, the same classes) -> our typed errors (the shared Stainless
// mapping, with this SDK's classes).
import type { APIError } from 'openai';
import { mapStainlessError, type StainlessErrors } from '../../map-sdk-error';
import { openaiSdk } from './openai-sdk';

// Built on first use: the classes come from the lazily loaded SDK.
let errors: StainlessErrors<APIError> | undefined;
const openaiErrors = (): StainlessErrors<APIError> =>
  (errors ??= {
    APIError: openaiSdk().APIError,
    APIConnectionError: openaiSdk().APIConnectionError,
    APIUserAbortError: openaiSdk().APIUserAbortError,
    message(err) {
      const body = err.error as { message?: unknown } | undefined;
      return typeof body?.message === 'string' && body.message !== '' ? body.message : err.message;
    },
    errorType: (err) => err.code ?? err.type ?? undefined,
  });

/** Maps what an openai SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapOpenAiError(
  err: unknown,
  provider: string,
  retries: number,
  signal: AbortSignal | undefined,
  baseURL: string | undefined,
): unknown {
  return mapStainlessError(openaiErrors(), err, provider, retries, signal, baseURL);
}
