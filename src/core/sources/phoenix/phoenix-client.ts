// A small typed HTTP client for Arize Phoenix's REST API (/v1/...) on fetch, with
// `Authorization: Bearer <key>` when the connection has a key (a Phoenix without authentication
// needs none). Phoenix answers errors as plain text (`Project with name x not found`), successes
// as JSON; OTLP ingest (POST /v1/traces) takes protobuf only and answers protobuf.
// A 429 is retried a bounded number of times after its Retry-After, then surfaces as
// PhoenixRateLimitError; nothing here polls. checkCredentials() proves key AND project once per
// client (GET /v1/projects/{project}), so callers that answer from a cache still fail loudly on a
// wrong key or project.
import type { PlatformClientOptions } from '../platform';
import { parseJson, platformUrl, RetryingFetch, type QueryValue } from '../platform-http';
import type {
  PhoenixPage,
  PhoenixProject,
  PhoenixPrompt,
  PhoenixPromptVersion,
  PhoenixPromptVersionTag,
  PhoenixSpan,
  PhoenixSpanAnnotation,
  PhoenixSpanAnnotationData,
  PhoenixSpanQuery,
  PhoenixTraceAnnotation,
  PhoenixTraceAnnotationData,
  PhoenixTraceData,
  PhoenixTraceQuery,
} from './phoenix-api-types';
import type { PhoenixConnection } from './phoenix-config';
import {
  PhoenixAuthError,
  PhoenixHttpError,
  PhoenixProjectNotFoundError,
  PhoenixRateLimitError,
  PhoenixTooOldError,
  PhoenixUrlError,
} from './phoenix-errors';

export type { QueryValue };

/** What a 404 means depends on the request: the caller turns Phoenix's detail text into its error
 *  (undefined: "no Phoenix API here"). */
type NotFound = (detail: string) => Error | undefined;

const MAX_PAGE_GUARD = 1000;

export class PhoenixClient {
  private readonly http: RetryingFetch;
  private projectInfo: PhoenixProject | undefined;
  private projectCheck: Promise<PhoenixProject> | undefined;

  constructor(
    readonly connection: PhoenixConnection,
    options: PlatformClientOptions = {},
  ) {
    this.http = new RetryingFetch(options, {
      unreachable: (detail, cause) => new PhoenixUrlError(this.baseUrl, detail, { cause }),
      rateLimited: (wait) => new PhoenixRateLimitError(this.baseUrl, wait),
    });
  }

  /** Requests sent (each retry counts). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  get baseUrl(): string {
    return this.connection.baseUrl;
  }

  get project(): string {
    return this.connection.project;
  }

  /** Resolves once Phoenix has accepted the key (if any) and knows the project: one request per
   *  client while it keeps working (a 401/403 later asks again). */
  async checkCredentials(): Promise<void> {
    await this.getProject();
  }

  /** The connection's project (GET /v1/projects/{project}), memoised. */
  getProject(): Promise<PhoenixProject> {
    if (this.projectInfo) return Promise.resolve(this.projectInfo);
    this.projectCheck ??= this.getJson<{ data: PhoenixProject }>(
      `/v1/projects/${encodeURIComponent(this.project)}`,
      undefined,
      () => undefined,
    )
      .then((res) => {
        this.projectInfo = res.data;
        return res.data;
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof PhoenixHttpError) || err.status !== 404) throw err;
        // Phoenix says "Project with name x not found"; any other 404 text is not Phoenix's answer.
        if (!/\bproject\b/i.test(err.serverMessage ?? ''))
          throw new PhoenixUrlError(this.baseUrl, `HTTP 404 for GET /v1/projects/${this.project}`);
        throw new PhoenixProjectNotFoundError(this.project, this.baseUrl, await this.knownProjectNames());
      })
      .finally(() => {
        this.projectCheck = undefined;
      });
    return this.projectCheck;
  }

  /** Names of the server's projects (first page), for an error message; undefined when that fails. */
  private async knownProjectNames(): Promise<string[] | undefined> {
    try {
      const res = await this.getJson<PhoenixPage<PhoenixProject>>('/v1/projects', { limit: 100 });
      return res.data.map((p) => p.name).sort();
    } catch {
      return undefined;
    }
  }

  /** GET /v1/projects/{project}/traces (Phoenix 13.15 and later; older ones answer 404 Not Found). */
  listTraces(query: PhoenixTraceQuery): Promise<PhoenixPage<PhoenixTraceData>> {
    const project = this.projectNotFound();
    return this.getJson(
      `${this.projectPath()}/traces`,
      { ...query },
      (detail) =>
        project(detail) ??
        new PhoenixTooOldError(this.baseUrl, 'trace list (GET /v1/projects/{project}/traces)', '13.15'),
    );
  }

  listSpans(query: PhoenixSpanQuery): Promise<PhoenixPage<PhoenixSpan>> {
    return this.getJson(`${this.projectPath()}/spans`, { ...query }, this.projectNotFound());
  }

  /** Every span matching `query`, following the cursor (bounded). */
  async allSpans(query: PhoenixSpanQuery): Promise<PhoenixSpan[]> {
    const out: PhoenixSpan[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await this.listSpans({ ...query, cursor });
      out.push(...res.data);
      cursor = res.next_cursor ?? undefined;
    } while (cursor && ++pages < MAX_PAGE_GUARD);
    return out;
  }

  /** Span annotations of up to 1000 spans; a 404 "none of the span ids exist" is an empty page. */
  listSpanAnnotations(spanIds: string[], cursor?: string): Promise<PhoenixPage<PhoenixSpanAnnotation>> {
    return this.getJson<PhoenixPage<PhoenixSpanAnnotation>>(
      `${this.projectPath()}/span_annotations`,
      { span_ids: spanIds, limit: 1000, cursor },
      this.projectNotFound(),
    ).catch((err: unknown) => emptyWhenMissing(err));
  }

  listTraceAnnotations(traceIds: string[], cursor?: string): Promise<PhoenixPage<PhoenixTraceAnnotation>> {
    return this.getJson<PhoenixPage<PhoenixTraceAnnotation>>(
      `${this.projectPath()}/trace_annotations`,
      { trace_ids: traceIds, limit: 1000, cursor },
      this.projectNotFound(),
    ).catch((err: unknown) => emptyWhenMissing(err));
  }

  /** POST /v1/span_annotations (queued by Phoenix: it retries while the spans are still being
   *  ingested, so annotations of a trace written just before are not lost). */
  annotateSpans(data: PhoenixSpanAnnotationData[]): Promise<{ data: { id: string }[] }> {
    return this.request('POST', '/v1/span_annotations', undefined, { json: { data } });
  }

  annotateTraces(data: PhoenixTraceAnnotationData[]): Promise<{ data: { id: string }[] }> {
    return this.request('POST', '/v1/trace_annotations', undefined, { json: { data } });
  }

  listPrompts(cursor?: string): Promise<PhoenixPage<PhoenixPrompt>> {
    return this.getJson('/v1/prompts', { limit: 100, cursor });
  }

  /** Versions of a prompt, newest first (Phoenix answers an empty page for an unknown prompt). */
  listPromptVersions(name: string, cursor?: string, notFound?: NotFound): Promise<PhoenixPage<PhoenixPromptVersion>> {
    return this.getJson(`/v1/prompts/${encodeURIComponent(name)}/versions`, { limit: 100, cursor }, notFound);
  }

  getPromptVersionByTag(name: string, tag: string, notFound: NotFound): Promise<{ data: PhoenixPromptVersion }> {
    return this.getJson(`/v1/prompts/${encodeURIComponent(name)}/tags/${encodeURIComponent(tag)}`, undefined, notFound);
  }

  getLatestPromptVersion(name: string, notFound: NotFound): Promise<{ data: PhoenixPromptVersion }> {
    return this.getJson(`/v1/prompts/${encodeURIComponent(name)}/latest`, undefined, notFound);
  }

  getPromptVersion(id: string, notFound: NotFound): Promise<{ data: PhoenixPromptVersion }> {
    return this.getJson(`/v1/prompt_versions/${encodeURIComponent(id)}`, undefined, notFound);
  }

  listPromptVersionTags(versionId: string, cursor?: string): Promise<PhoenixPage<PhoenixPromptVersionTag>> {
    return this.getJson(`/v1/prompt_versions/${encodeURIComponent(versionId)}/tags`, { limit: 100, cursor });
  }

  /** POST /v1/traces with an OTLP ExportTraceServiceRequest in protobuf (the only encoding
   *  Phoenix's OTLP/HTTP receiver takes). */
  async exportTraces(protobufBody: Uint8Array): Promise<void> {
    await this.request('POST', '/v1/traces', undefined, { bytes: protobufBody, contentType: 'application/x-protobuf' });
  }

  getJson<T>(path: string, query?: Record<string, QueryValue>, notFound?: NotFound): Promise<T> {
    return this.request<T>('GET', path, query, { notFound }).catch(async (err: unknown) => {
      // A project-scoped read of an unknown project (the Traces view's first read): name the
      // server's projects, as the credentials check does.
      if (err instanceof PhoenixProjectNotFoundError && err.known === undefined) {
        throw new PhoenixProjectNotFoundError(this.project, this.baseUrl, await this.knownProjectNames());
      }
      throw err;
    });
  }

  private projectPath(): string {
    return `/v1/projects/${encodeURIComponent(this.project)}`;
  }

  /** A 404 of a project-scoped request naming the project means the project is unknown. */
  private projectNotFound(): NotFound {
    return (detail) =>
      /^project\b/i.test(detail) ? new PhoenixProjectNotFoundError(this.project, this.baseUrl) : undefined;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, QueryValue> | undefined,
    options: { json?: unknown; bytes?: Uint8Array; contentType?: string; notFound?: NotFound } = {},
  ): Promise<T> {
    const url = platformUrl(this.baseUrl, path, query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.bytes) {
      body = new Uint8Array(options.bytes);
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    }
    const response = await this.http.fetch(url, { method, headers, body });
    return this.read<T>(response, method, path, options.bytes !== undefined, options.notFound);
  }

  private async read<T>(
    response: Response,
    method: string,
    path: string,
    binaryAnswer: boolean,
    notFound?: NotFound,
  ): Promise<T> {
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      // Revoked since it was accepted: the next cache hit checks again.
      this.projectInfo = undefined;
      throw new PhoenixAuthError(this.baseUrl, response.status, this.connection.apiKey !== undefined);
    }
    const html = /^\s*</.test(text);
    const detail = errorDetail(text);
    if (response.status === 404) {
      // Phoenix's own 404s are plain text or JSON naming the resource; an HTML page means no API here.
      const err = html ? undefined : notFound?.(detail);
      if (err) throw err;
      if (!html && notFound) throw new PhoenixHttpError(404, `${method} ${path}`, detail || undefined);
      throw new PhoenixUrlError(this.baseUrl, `HTTP 404 for ${method} ${path}`);
    }
    if (!response.ok) {
      if (html)
        throw new PhoenixUrlError(this.baseUrl, `HTTP ${response.status} with an HTML page for ${method} ${path}`);
      throw new PhoenixHttpError(response.status, `${method} ${path}`, detail || undefined);
    }
    const type = response.headers.get('content-type') ?? '';
    if (binaryAnswer && !type.includes('json')) return undefined as T;
    const json = parseJson(text);
    if (!json.ok) {
      throw new PhoenixUrlError(
        this.baseUrl,
        `HTTP ${response.status} with ${html ? 'an HTML page' : 'a non-JSON answer'} for ${method} ${path}`,
      );
    }
    return json.value as T;
  }
}

/** An annotations query whose ids Phoenix does not hold yet: no annotations. */
function emptyWhenMissing<T>(err: unknown): PhoenixPage<T> {
  if (err instanceof PhoenixHttpError && err.status === 404 && /^none of the supplied/i.test(err.serverMessage ?? ''))
    return { data: [], next_cursor: null };
  throw err;
}

/** Phoenix's error text: plain text, or FastAPI's {"detail": ...}. */
function errorDetail(text: string): string {
  const json = parseJson(text);
  if (json.ok && typeof json.value === 'object' && json.value !== null) {
    const d = (json.value as Record<string, unknown>).detail ?? (json.value as Record<string, unknown>).message;
    if (typeof d === 'string') return d.slice(0, 200);
    if (d !== undefined) return JSON.stringify(d).slice(0, 200);
  }
  return text.trim().slice(0, 200);
}
