// openai SDK errors (also AzureOpenAI's, the same classes) -> our typed errors (the shared Stainless
// mapping, with this SDK's classes).
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { mapStainlessError, type StainlessErrors } from '../../map-sdk-error';

const OPENAI_ERRORS: StainlessErrors<APIError> = {
  APIError,
  APIConnectionError,
  APIUserAbortError,
  message(err) {
    const body = err.error as { message?: unknown } | undefined;
    return typeof body?.message === 'string' && body.message !== '' ? body.message : err.message;
  },
  errorType: (err) => err.code ?? err.type ?? undefined,
};

/** Maps what an openai SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapOpenAiError(err: unknown, provider: string, retries: number, signal: AbortSignal | undefined, baseURL: string | undefined): unknown {
  return mapStainlessError(OPENAI_ERRORS, err, provider, retries, signal, baseURL);
}
