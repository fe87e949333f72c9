// A fake Arize Phoenix server on 127.0.0.1:<random port> for tests, answering as Phoenix's REST API
// and OTLP receiver do (read from Arize-ai/phoenix: src/phoenix/server/api/routers/v1/*.py,
// trace/otel.py, trace/attributes.py, trace/gen_ai/conversion.py, db/insertion/span.py, server/app.py).
// Everything is in memory. Stored spans follow Phoenix's ingest: gen_ai.* spans gain OpenInference keys
// (phoenix-genai.ts), attributes are nested then answered flattened (phoenix-attributes.ts).
//
// API (exported):
//   startFakePhoenix(options?: FakePhoenixOptions): Promise<FakePhoenixServer>
//   FakePhoenixOptions:
//     apiKey?           when set, every Phoenix route needs `Authorization: Bearer <apiKey>`; otherwise
//                       401 text/plain "Invalid token" + WWW-Authenticate, as Phoenix with auth enabled.
//                       Unset: no auth, as Phoenix without PHOENIX_ENABLE_AUTH.
//     prompts?          seeded prompts: { [name]: FakePhoenixPromptVersion[] } oldest version first;
//                       each version: model_provider, model_name, template ({type:'chat', messages} or
//                       {type:'string', template}), template_format MUSTACHE|F_STRING|NONE,
//                       invocation_parameters? (default: the provider's type, no parameters), tools?,
//                       response_format?, description?, tags?: string[] (a later version takes a tag over).
//     projects?         extra (empty) project names; "default" always exists (row 1), as in Phoenix.
//     spanAnnotations?, traceAnnotations?  seeded annotations (FakePhoenixAnnotationInput[]).
//     acceptOtlpJson?   Phoenix's POST /v1/traces takes only application/x-protobuf (415 for JSON);
//                       true makes the fake take OTLP/JSON as well. Default false.
//     serveUi?          default true: a path no Phoenix route serves (also under /v1/, and without
//                       auth) answers GET with 200 text/html (Phoenix's web app shell, as the real
//                       server's static mount does) and other methods with 405; false: 404 text/plain
//                       "Not Found" (Phoenix without its UI).
//     openApiPath?      the OpenAPI file answers are checked against (default: the checkout's copy).
//   FakePhoenixServer:
//     baseUrl, apiKey, close()
//     requests          every request: { method, path, query, headers }
//     otlpBodies        every POST /v1/traces body received: { contentType, encoding, projectHeader, bytes, request }
//                       (request: the ExportTraceServiceRequest in OTLP/JSON shape, undefined if undecodable)
//     violations        OpenAPI violations of answers and received JSON bodies, and requests to documented
//                       endpoints the fake does not implement (501). A test should assert it is empty.
//     store             projects / traces / spans (PhoenixStore; store.ingestErrors lists unreadable spans)
//     prompts           PhoenixPromptStore (prompts, versions, tags)
//     spanAnnotations, traceAnnotations   stored annotations, in the shape GET answers them
//     ingest(body, projectName?)      stores an OTLP body directly (Uint8Array = protobuf, else OTLP/JSON
//                                     object or JSON text); returns the number of spans stored
//     ingestOtlpFile(path, projectName?)  the same for a recorded fixture file (see phoenix-fixtures.ts)
//     rateLimitNext(count, retryAfter?)   the next `count` requests answer 429 (Retry-After when given)
//
// Endpoints: POST /v1/traces (OTLP, gzip/deflate ok, x-project-name header), GET /v1/projects,
// GET /v1/projects/{id}, GET /v1/projects/{id}/traces, GET /v1/projects/{id}/spans (+ /otlpv1),
// GET /v1/prompts, GET /v1/prompts/{id}/versions | /latest | /tags/{tag}, GET /v1/prompt_versions/{id},
// GET + POST /v1/prompt_versions/{id}/tags, POST /v1/prompts, POST /v1/span_annotations, POST /v1/trace_annotations,
// GET /v1/projects/{id}/span_annotations, GET /v1/projects/{id}/trace_annotations.
// Errors are text/plain with Phoenix's detail ("Not Found", "Project with name x not found"); query
// and body validation failures are FastAPI's JSON 422. Every JSON answer and JSON request body is
// validated against Phoenix's OpenAPI document; an invalid answer becomes a 500 and a violation.
// Unlike Phoenix, ingest is synchronous: spans are readable as soon as POST /v1/traces answered.
// Times are Python isoformat() ("2026-03-01T10:00:00.123456+00:00"), ids GlobalIDs (base64 "Type:rowid").
// Run it alone: test/e2e/serve-fake-phoenix.ts.
import { errorMessage } from '../../../src/core/util/error-message';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { decodeOtlpProtobufBody } from '../../../src/core/otlp/otlp-body';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import { phoenixOpenApiValidator } from './openapi-validator';
import {
  PhoenixAnnotationStore,
  type FakePhoenixAnnotation,
  type FakePhoenixAnnotationInput,
} from './phoenix-annotations';
import { readOtlpFixture } from './phoenix-fixtures';
import {
  boolQuery,
  httpError,
  PhoenixHttpError,
  validationError,
  type Json,
  type ValidationIssue,
} from './phoenix-http';
import { PhoenixPromptStore, type FakePhoenixPrompts } from './phoenix-prompts';
import { PhoenixStore } from './phoenix-store';
import {
  listProjects,
  listSpans,
  listSpansOtlp,
  listTraces,
  projectByIdentifier,
  projectJson,
} from './phoenix-trace-api';

export type { FakePhoenixPrompts, FakePhoenixPromptVersion } from './phoenix-prompts';
export type { FakePhoenixAnnotation, FakePhoenixAnnotationInput } from './phoenix-annotations';

export interface FakePhoenixOptions {
  apiKey?: string;
  prompts?: FakePhoenixPrompts;
  projects?: string[];
  spanAnnotations?: FakePhoenixAnnotationInput[];
  traceAnnotations?: FakePhoenixAnnotationInput[];
  acceptOtlpJson?: boolean;
  serveUi?: boolean;
  openApiPath?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface ReceivedOtlpBody {
  contentType: string;
  encoding: string | undefined;
  projectHeader: string | undefined;
  bytes: Buffer;
  request: unknown;
}

export interface FakePhoenixServer {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly requests: RecordedRequest[];
  readonly otlpBodies: ReceivedOtlpBody[];
  readonly violations: string[];
  readonly store: PhoenixStore;
  readonly prompts: PhoenixPromptStore;
  readonly spanAnnotations: FakePhoenixAnnotation[];
  readonly traceAnnotations: FakePhoenixAnnotation[];
  ingest(body: Uint8Array | string | object, projectName?: string): number;
  ingestOtlpFile(path: string, projectName?: string): number;
  rateLimitNext(count: number, retryAfter?: string): void;
  close(): Promise<void>;
}

interface Answer {
  template: string;
  /** null: 204 No Content. */
  json: Json | null;
}

type Handler = (params: string[], q: URLSearchParams, body: () => Json) => Json | null;

const UI_SHELL =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8" /><title>Phoenix</title></head><body><div id="root"></div></body></html>\n';

function decodeOtlp(bytes: Uint8Array, contentType: string): unknown {
  if (contentType === 'application/json') return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  return decodeOtlpProtobufBody(otlpProtoTypes().exportTraceServiceRequest, bytes);
}

export async function startFakePhoenix(options: FakePhoenixOptions = {}): Promise<FakePhoenixServer> {
  const validator = phoenixOpenApiValidator({ specPath: options.openApiPath });
  const store = new PhoenixStore();
  for (const name of options.projects ?? []) store.addProject(name);
  const prompts = new PhoenixPromptStore(options.prompts);
  const annotations = new PhoenixAnnotationStore(store);
  for (const a of options.spanAnnotations ?? []) annotations.upsert('span', a);
  for (const a of options.traceAnnotations ?? []) annotations.upsert('trace', a);
  const requests: RecordedRequest[] = [];
  const otlpBodies: ReceivedOtlpBody[] = [];
  const violations: string[] = [];
  const serveUi = options.serveUi ?? true;
  let limited: { count: number; retryAfter?: string } = { count: 0 };
  let baseUrl = '';

  const routes: { method: string; template: string; re: RegExp; handler: Handler }[] = [];
  const add = (method: string, template: string, handler: Handler): void => {
    routes.push({ method, template, re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`), handler });
  };
  add('GET', '/v1/projects', (_p, q) => listProjects(store, q));
  add('GET', '/v1/projects/{project_identifier}', ([id]) => ({ data: projectJson(projectByIdentifier(store, id)) }));
  add('GET', '/v1/projects/{project_identifier}/traces', ([id], q) => listTraces(store, id, q));
  add('GET', '/v1/projects/{project_identifier}/spans', ([id], q) => listSpans(store, id, q));
  add('GET', '/v1/projects/{project_identifier}/spans/otlpv1', ([id], q) => listSpansOtlp(store, id, q));
  add('GET', '/v1/projects/{project_identifier}/span_annotations', ([id], q) => annotations.list('span', id, q));
  add('GET', '/v1/projects/{project_identifier}/trace_annotations', ([id], q) => annotations.list('trace', id, q));
  add('POST', '/v1/span_annotations', (_p, q, body) => annotations.post('span', body(), boolQuery(q, 'sync', false)));
  add('POST', '/v1/trace_annotations', (_p, q, body) => annotations.post('trace', body(), boolQuery(q, 'sync', false)));
  add('GET', '/v1/prompts', (_p, q) => prompts.list(q));
  add('POST', '/v1/prompts', (_p, _q, body) => prompts.create(body()));
  add('GET', '/v1/prompts/{prompt_identifier}/versions', ([id], q) => prompts.listVersions(id, q));
  add('GET', '/v1/prompts/{prompt_identifier}/latest', ([id]) => prompts.latest(id));
  add('GET', '/v1/prompts/{prompt_identifier}/tags/{tag_name}', ([id, tag]) => prompts.byTag(id, tag));
  add('GET', '/v1/prompt_versions/{prompt_version_id}', ([id]) => prompts.byId(id));
  add('GET', '/v1/prompt_versions/{prompt_version_id}/tags', ([id], q) => prompts.versionTags(id, q));
  add('POST', '/v1/prompt_versions/{prompt_version_id}/tags', ([id], _q, body) => {
    prompts.addVersionTag(id, body());
    return null;
  });

  const ingest = (body: Uint8Array | string | object, projectName?: string): number => {
    const request =
      body instanceof Uint8Array
        ? decodeOtlp(body, 'application/x-protobuf')
        : typeof body === 'string'
          ? (JSON.parse(body) as unknown)
          : body;
    return store.ingestRequest(request, projectName);
  };

  /** POST /v1/traces: Phoenix's post_traces. */
  const receiveOtlp = (req: IncomingMessage, raw: Buffer): { status: number; body: Buffer; contentType: string } => {
    const contentType = req.headers['content-type'] ?? '';
    const encoding = req.headers['content-encoding'];
    const projectHeader = req.headers['x-project-name'] as string | undefined;
    const accepted =
      contentType === 'application/x-protobuf' ||
      (options.acceptOtlpJson === true && contentType === 'application/json');
    if (!accepted) throw httpError(415, `Unsupported content type: ${contentType || 'None'}`);
    if (encoding && encoding !== 'gzip' && encoding !== 'deflate')
      throw httpError(415, `Unsupported content encoding: ${encoding}`);
    let bytes: Buffer;
    let request: unknown;
    try {
      bytes = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw;
      request = decodeOtlp(bytes, contentType);
    } catch {
      otlpBodies.push({ contentType, encoding, projectHeader, bytes: raw, request: undefined });
      throw httpError(422, 'Request body is invalid ExportTraceServiceRequest');
    }
    otlpBodies.push({ contentType, encoding, projectHeader, bytes, request });
    store.ingestRequest(request, projectHeader);
    const response = contentType === 'application/json' ? Buffer.from('{}') : Buffer.alloc(0);
    return { status: 200, body: response, contentType };
  };

  const route = (method: string, path: string, q: URLSearchParams, raw: Buffer): Answer => {
    for (const r of routes) {
      if (r.method !== method) continue;
      const match = r.re.exec(path);
      if (!match) continue;
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      const body = (): Json => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch {
          throw validationError([
            {
              type: 'json_invalid',
              loc: ['body', 0],
              msg: 'JSON decode error',
              input: {},
              ctx: { error: 'Expecting value' },
            },
          ]);
        }
        const errors = validator.validateRequestBody(method, r.template, parsed);
        if (errors.length) {
          violations.push(...errors.map((e) => `${method} ${r.template} body: ${e}`));
          throw validationError(
            errors.map((e): ValidationIssue => {
              const [pointer, ...rest] = e.split(' ');
              const loc = [
                'body',
                ...pointer
                  .split('/')
                  .filter(Boolean)
                  .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
              ];
              return { type: 'value_error', loc, msg: rest.join(' '), input: null };
            }),
          );
        }
        return parsed as Json;
      };
      return { template: r.template, json: r.handler(params, q, body) };
    }
    const documented = validator.documentedTemplate(method, path);
    if (documented) {
      violations.push(`${method} ${path}: documented (${documented}) but not implemented by the fake Phoenix server`);
      throw new PhoenixHttpError(501, `The fake Phoenix server does not implement ${method} ${documented}`);
    }
    throw new Error(`no route for ${method} ${path}`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers });
    const sendText = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    const sendJson = (status: number, json: Json): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (limited.count > 0) {
      limited.count--;
      sendText(429, 'Too Many Requests', limited.retryAfter !== undefined ? { 'retry-after': limited.retryAfter } : {});
      return;
    }
    const isOtlp = method === 'POST' && url.pathname === '/v1/traces';
    const known =
      isOtlp ||
      routes.some((r) => r.method === method && r.re.test(url.pathname)) ||
      validator.documentedTemplate(method, url.pathname) !== undefined;
    if (!known) {
      // Phoenix's routes are matched first; anything else falls to the web app's static mount
      // (no auth there): index.html for GET, 405 for other methods, 404 without the UI.
      if (!serveUi || url.pathname === '/.well-known' || url.pathname.startsWith('/.well-known/'))
        sendText(404, 'Not Found');
      else if (method !== 'GET' && method !== 'HEAD') sendText(405, 'Method Not Allowed');
      else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(method === 'HEAD' ? undefined : UI_SHELL);
      }
      return;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendText(401, 'Invalid token', {
        'www-authenticate': `Bearer realm="Arize Phoenix", resource_metadata="${baseUrl}/.well-known/oauth-protected-resource"`,
      });
      return;
    }
    let template: string | undefined;
    try {
      if (isOtlp) {
        const answer = receiveOtlp(req, raw);
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(answer.body);
        return;
      }
      const answer = route(method, url.pathname, url.searchParams, raw);
      template = answer.template;
      if (answer.json === null) {
        res.writeHead(204);
        res.end();
        return;
      }
      const errors = validator.validateResponse(method, answer.template, 200, answer.json);
      if (errors.length) {
        violations.push(...errors.map((e) => `${method} ${answer.template}: ${e}`));
        sendText(500, 'fake Phoenix answer violates the Phoenix OpenAPI document');
        return;
      }
      sendJson(200, answer.json);
    } catch (err) {
      if (!(err instanceof PhoenixHttpError)) {
        sendText(500, errorMessage(err));
        return;
      }
      if (err.json) {
        const tmpl = template ?? routes.find((r) => r.method === method && r.re.test(url.pathname))?.template;
        if (tmpl && validator.responseMediaTypes(method, tmpl, 422).includes('application/json')) {
          const errors = validator.validateResponse(method, tmpl, 422, err.json);
          violations.push(...errors.map((e) => `${method} ${tmpl} 422: ${e}`));
        }
        sendJson(err.status, err.json);
        return;
      }
      sendText(err.status, err.text, err.headers);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    apiKey: options.apiKey,
    requests,
    otlpBodies,
    violations,
    store,
    prompts,
    spanAnnotations: annotations.span,
    traceAnnotations: annotations.trace,
    ingest,
    ingestOtlpFile(path, projectName) {
      let count = 0;
      for (const { contentType, body } of readOtlpFixture(path))
        count += ingest(contentType === 'application/json' ? body.toString('utf8') : body, projectName);
      return count;
    },
    rateLimitNext(count, retryAfter) {
      limited = { count, retryAfter };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
