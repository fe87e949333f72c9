// What every platform's HTTP client shares: query strings, JSON that may not be JSON, the reason of
// a network error, and the 429 rule — a rate-limited request is retried a bounded number of times
// after the Retry-After the server asks for (a longer one is not waited for), then surfaces as the
// platform's rate-limit error. Nothing here polls. Each client keeps its own auth and its own
// reading of answers (Langfuse answers JSON errors, Phoenix plain text).
import type { PlatformClientOptions } from './platform';
import { errorMessage } from '../util/error-message';

export type QueryValue = string | number | boolean | string[] | undefined;

const RETRY_AFTER_DEFAULT_SECONDS = 1;

/** `base + path` with the defined query values (arrays repeat the key). */
export function platformUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(baseUrl + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** An empty body reads as {}. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** ECONNREFUSED, ENOTFOUND...: what fetch's "fetch failed" hides in its cause. */
export function networkReason(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return errorMessage(inner);
}

/** Retry-After is seconds, or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

export interface RetryingFetchErrors {
  /** The server could not be reached (`detail`: "network error: ECONNREFUSED"). */
  unreachable(detail: string, cause: unknown): Error;
  /** Still 429 after the retries, or a Retry-After longer than is waited for. */
  rateLimited(retryAfterSeconds: number | undefined): Error;
}

/** fetch with the platforms' 429 rule; answers other than 429 are returned as they are. */
export class RetryingFetch {
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent (each retry counts), so callers and tests can see the cost of an operation. */
  requestCount = 0;

  constructor(
    options: PlatformClientOptions,
    private readonly errors: RetryingFetchErrors,
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async fetch(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      this.requestCount++;
      try {
        response = await this.fetchImpl(url, init);
      } catch (cause) {
        throw this.errors.unreachable(`network error: ${networkReason(cause)}`, cause);
      }
      if (response.status !== 429) return response;
      const wait = retryAfterSeconds(response.headers.get('retry-after'));
      await response.body?.cancel();
      if (attempt >= this.maxRetries || (wait ?? 0) > this.maxRetryAfterSeconds) throw this.errors.rateLimited(wait);
      await this.sleep((wait ?? RETRY_AFTER_DEFAULT_SECONDS) * 1000);
    }
  }
}
