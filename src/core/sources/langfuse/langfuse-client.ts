// A small typed HTTP client for the Langfuse public API on fetch (Basic auth public:secret key).
// Rate limits: Langfuse Cloud allows as little as 30 requests/minute, and answers 429 with
// Retry-After (seconds): the platforms' 429 rule (../platform-http.ts) retries a bounded number of
// times, then surfaces LangfuseRateLimitError; nothing here polls.
// checkCredentials() proves the key pair once per client (one cheap GET /api/public/projects, or
// none when another request already succeeded), so callers that answer from a cache still fail
// loudly on a wrong or revoked key.
import type { OtlpExportTraceRequest } from '../../otlp/encode-otlp-json';
import type {
  GetScoresV3Response,
  LangfusePrompt,
  ObservationQuery,
  ObservationsV2Response,
  PromptMetaListResponse,
} from './langfuse-api-types';
import type { PlatformClientOptions } from '../platform';
import { parseJson, platformUrl, retryAfterSeconds, RetryingFetch, type QueryValue } from '../platform-http';
import type { LangfuseConnection } from './langfuse-config';
import {
  LangfuseAuthError,
  LangfuseHttpError,
  LangfusePromptNotFoundError,
  LangfuseRateLimitError,
  LangfuseUrlError,
} from './langfuse-errors';

/** fetch, retries after a 429 (default 2), the longest Retry-After waited for (default 60 s), how
 *  to wait (tests pass one that records and resolves at once). */
export type LangfuseClientOptions = PlatformClientOptions;

export type { QueryValue };
export { retryAfterSeconds };

/** What a Langfuse 404 means depends on the request; the caller says which error to raise. */
type NotFound = () => Error;

/** The project of a project-scoped key pair (GET /api/public/projects, OpenAPI `Project`). */
export interface LangfuseProject {
  id: string;
  name: string;
  organization: { id: string; name: string };
  metadata: Record<string, unknown>;
  retentionDays?: number | null;
}

export class LangfuseClient {
  private readonly http: RetryingFetch;
  /** Set when a request is answered 2xx (the key pair is accepted), cleared by a 401/403. */
  private credentialsAccepted = false;
  private credentialsCheck: Promise<void> | undefined;

  constructor(
    readonly connection: LangfuseConnection,
    options: LangfuseClientOptions = {},
  ) {
    this.http = new RetryingFetch(options, {
      unreachable: (detail, cause) => new LangfuseUrlError(this.baseUrl, detail, { cause }),
      rateLimited: (wait) => new LangfuseRateLimitError(this.baseUrl, wait),
    });
  }

  /** Requests sent (each retry counts), so callers and tests can see the cost of an operation. */
  get requestCount(): number {
    return this.http.requestCount;
  }

  get baseUrl(): string {
    return this.connection.baseUrl;
  }

  /** Resolves once Langfuse has accepted this client's key pair: one request per client while the
   *  key keeps working (none when an earlier request already succeeded; a 401/403 asks again). Rejects with LangfuseAuthError on a wrong or
   *  revoked key, LangfuseUrlError when nothing answers; a failed check is tried again next time. */
  checkCredentials(): Promise<void> {
    if (this.credentialsAccepted) return Promise.resolve();
    // Callers at the same time share one request; its 2xx sets credentialsAccepted (see read).
    this.credentialsCheck ??= this.getProjects()
      .then(() => undefined)
      .finally(() => {
        this.credentialsCheck = undefined;
      });
    return this.credentialsCheck;
  }

  /** GET /api/public/projects: the project the key pair belongs to. */
  getProjects(): Promise<{ data: LangfuseProject[] }> {
    return this.getJson<{ data: LangfuseProject[] }>('/api/public/projects');
  }

  listObservations(query: ObservationQuery): Promise<ObservationsV2Response> {
    const { fields, environment, expandMetadata, ...rest } = query;
    return this.getJson<ObservationsV2Response>('/api/public/v2/observations', {
      ...rest,
      fields: fields?.join(','),
      expandMetadata: expandMetadata?.join(','),
      environment,
    });
  }

  listScores(query: {
    traceId?: string;
    observationId?: string;
    name?: string;
    fields?: string[];
    limit?: number;
    cursor?: string;
  }): Promise<GetScoresV3Response> {
    return this.getJson<GetScoresV3Response>('/api/public/v3/scores', { ...query, fields: query.fields?.join(',') });
  }

  getPrompt(name: string, selector: { version?: number; label?: string } = {}): Promise<LangfusePrompt> {
    const which =
      selector.version !== undefined ? `version ${selector.version}` : `label ${selector.label ?? 'production'}`;
    return this.getJson<LangfusePrompt>(
      `/api/public/v2/prompts/${encodeURIComponent(name)}`,
      selector,
      () => new LangfusePromptNotFoundError(name, which, this.baseUrl),
    );
  }

  listPrompts(
    query: { name?: string; label?: string; tag?: string; page?: number; limit?: number } = {},
  ): Promise<PromptMetaListResponse> {
    return this.getJson<PromptMetaListResponse>('/api/public/v2/prompts', query);
  }

  /** POST /api/public/otel/v1/traces with an OTLP/JSON body. */
  exportTraces(body: OtlpExportTraceRequest): Promise<unknown> {
    return this.request<unknown>('POST', '/api/public/otel/v1/traces', undefined, JSON.stringify(body));
  }

  getJson<T>(path: string, query?: Record<string, QueryValue>, notFound?: NotFound): Promise<T> {
    return this.request<T>('GET', path, query, undefined, notFound);
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    query?: Record<string, QueryValue>,
    body?: string,
    notFound?: NotFound,
  ): Promise<T> {
    const url = platformUrl(this.baseUrl, path, query);
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${this.connection.publicKey}:${this.connection.secretKey}`).toString('base64')}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.read<T>(await this.http.fetch(url, { method, headers, body }), method, path, notFound);
  }

  private async read<T>(response: Response, method: string, path: string, notFound?: NotFound): Promise<T> {
    const text = await response.text();
    const json = parseJson(text);
    if (response.status === 401 || response.status === 403) {
      // Revoked since it was accepted: the next cache hit checks again.
      this.credentialsAccepted = false;
      throw new LangfuseAuthError(this.baseUrl, response.status);
    }
    if (response.status === 404) {
      // A JSON 404 from Langfuse is about the resource; anything else means there is no API here.
      if (notFound && json.ok) throw notFound();
      throw new LangfuseUrlError(this.baseUrl, `HTTP 404 for ${method} ${path}`);
    }
    if (!json.ok) {
      throw new LangfuseUrlError(
        this.baseUrl,
        `HTTP ${response.status} with a ${text.trimStart().startsWith('<') ? 'HTML page' : 'non-JSON answer'} for ${method} ${path}`,
      );
    }
    if (!response.ok) throw new LangfuseHttpError(response.status, `${method} ${path}`, serverMessage(json.value));
    this.credentialsAccepted = true;
    return json.value as T;
  }
}

function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const m = (body as Record<string, unknown>).message ?? (body as Record<string, unknown>).error;
  return typeof m === 'string' ? m.slice(0, 200) : undefined;
}
