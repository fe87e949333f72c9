// A fake Langfuse server on 127.0.0.1:<random port> for tests: observations, scores and prompts in
// memory, cursor paging and filters of the v2 observations / v3 scores / v2 prompts endpoints, the
// project of the key pair (GET /api/public/projects),
// Basic-auth keys (401 otherwise), injectable 429 + Retry-After, and capture of OTLP write-backs.
// Every JSON answer (and every OTLP body received) is validated against Langfuse's OpenAPI
// document; a violation answers 500 and is kept in `violations`, so a test fails when the fake
// (or our request) drifts from the real API.
import { errorMessage } from '../../../src/core/util/error-message';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FIELD_GROUPS,
  project,
  type FakeObservation,
  type FakePromptVersion,
  type FakeScore,
  type ProjectionOptions,
} from './fake-langfuse-data';
import { langfuseOpenApiValidator } from './openapi-validator';

export interface FakeLangfuseOptions {
  publicKey?: string;
  secretKey?: string;
  observations?: FakeObservation[];
  scores?: FakeScore[];
  prompts?: FakePromptVersion[];
  modelField?: ProjectionOptions['modelField'];
  /** The OpenAPI file answers are checked against; default: the checkout's copy (found upward). */
  openApiPath?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface FakeLangfuseServer {
  readonly baseUrl: string;
  readonly publicKey: string;
  readonly secretKey: string;
  readonly requests: RecordedRequest[];
  /** Parsed OTLP/JSON bodies POSTed to /api/public/otel/v1/traces. */
  readonly otlpBodies: unknown[];
  /** OpenAPI violations found in answers or received bodies (should stay empty). */
  readonly violations: string[];
  readonly observations: FakeObservation[];
  readonly scores: FakeScore[];
  /** Revokes the key pair: from now on only this secret key is accepted (`secretKey` then names it). */
  rotateSecretKey(secretKey: string): void;
  /** The next `count` requests answer 429 with this Retry-After (seconds; omitted when undefined). */
  rateLimitNext(count: number, retryAfter?: string): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** The one project the fake's key pair belongs to (observations carry its id, project-1). */
const PROJECT: Json = {
  id: 'project-1',
  name: 'Fake project',
  organization: { id: 'org-1', name: 'Fake organization' },
  metadata: {},
};

class HttpAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message ?? status));
  }
}

function encodeCursor(offset: number, url = false): string {
  return Buffer.from(JSON.stringify({ offset })).toString(url ? 'base64url' : 'base64');
}

function decodeCursor(cursor: string | null): number {
  if (!cursor) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number') return parsed.offset;
  } catch {
    // fall through
  }
  throw new HttpAnswer(400, { message: 'Invalid cursor' });
}

function intParam(q: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new HttpAnswer(400, { message: `Invalid ${name}` });
  return n;
}

export async function startFakeLangfuse(options: FakeLangfuseOptions = {}): Promise<FakeLangfuseServer> {
  const publicKey = options.publicKey ?? 'pk-lf-test';
  let secretKey = options.secretKey ?? 'sk-lf-test';
  const observations = [...(options.observations ?? [])];
  const scores = [...(options.scores ?? [])];
  const prompts = [...(options.prompts ?? [])];
  const projection: ProjectionOptions = { modelField: options.modelField ?? 'model' };
  const requests: RecordedRequest[] = [];
  const otlpBodies: unknown[] = [];
  const violations: string[] = [];
  const validator = langfuseOpenApiValidator({ specPath: options.openApiPath });
  let limited: { count: number; retryAfter?: string } = { count: 0 };

  const observationsV2 = (q: URLSearchParams): Json => {
    if (q.get('parseIoAsJson') === 'true')
      throw new HttpAnswer(400, {
        message: 'parseIoAsJson=true is no longer supported; input/output are returned as raw strings.',
      });
    const groups = (q.get('fields') ?? 'core,basic')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    for (const g of groups)
      if (!FIELD_GROUPS.includes(g)) throw new HttpAnswer(400, { message: `Invalid field group: ${g}` });
    const limit = intParam(q, 'limit', 50, 1000);
    const from = q.get('fromStartTime');
    const to = q.get('toStartTime');
    const envs = q.getAll('environment');
    const match = (o: FakeObservation): boolean =>
      (q.get('traceId') === null || o.traceId === q.get('traceId')) &&
      (q.get('name') === null || o.name === q.get('name')) &&
      (q.get('type') === null || o.type === q.get('type')) &&
      (q.get('userId') === null || o.userId === q.get('userId')) &&
      (q.get('sessionId') === null || o.sessionId === q.get('sessionId')) &&
      (q.get('level') === null || (o.level ?? 'DEFAULT') === q.get('level')) &&
      (q.get('isRootObservation') === null ||
        (o.parentObservationId === null) === (q.get('isRootObservation') === 'true')) &&
      (q.get('parentObservationId') === null || (o.parentObservationId ?? '') === q.get('parentObservationId')) &&
      (envs.length === 0 || envs.includes(o.environment ?? 'default')) &&
      (from === null || Date.parse(o.startTime) >= Date.parse(from)) &&
      (to === null || Date.parse(o.startTime) < Date.parse(to));
    const sorted = observations
      .filter(match)
      .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime) || (a.id < b.id ? -1 : 1));
    const offset = decodeCursor(q.get('cursor'));
    const page = sorted.slice(offset, offset + limit);
    const meta: Json = {};
    if (offset + limit < sorted.length) meta.cursor = encodeCursor(offset + limit);
    return { data: page.map((o) => project(o, groups, projection)), meta };
  };

  const scoresV3 = (q: URLSearchParams): Json => {
    const limit = intParam(q, 'limit', 50, 100);
    const groups = (q.get('fields') ?? '').split(',').filter(Boolean);
    for (const g of groups)
      if (!['details', 'subject', 'annotation'].includes(g))
        throw new HttpAnswer(400, { message: `Invalid field group: ${g}` });
    if (q.get('observationId') && !q.get('traceId'))
      throw new HttpAnswer(400, { message: 'observationId requires traceId' });
    const list = (name: string): string[] | undefined =>
      q
        .get(name)
        ?.split(',')
        .map((s) => s.trim());
    const traceIds = list('traceId');
    const names = list('name');
    const obsIds = list('observationId');
    const matching = scores.filter((s) => {
      const subject = s.subject;
      const traceId =
        subject?.kind === 'observation' ? subject.traceId : subject?.kind === 'trace' ? subject.id : undefined;
      return (
        (!traceIds || (traceId != null && traceIds.includes(traceId))) &&
        (!names || names.includes(s.name)) &&
        (!obsIds || (subject?.kind === 'observation' && obsIds.includes(subject.id)))
      );
    });
    const offset = q.get('cursor')
      ? (JSON.parse(Buffer.from(q.get('cursor')!, 'base64url').toString('utf8')).offset as number)
      : 0;
    const data = matching.slice(offset, offset + limit).map((s) => {
      const { comment, configId, metadata, subject, ...core } = s;
      const out: Json = { ...core };
      if (groups.includes('details'))
        Object.assign(out, { comment: comment ?? null, configId: configId ?? null, metadata: metadata ?? null });
      if (groups.includes('subject')) out.subject = subject ?? null;
      return out;
    });
    const meta: Json = { limit };
    if (offset + limit < matching.length) meta.cursor = encodeCursor(offset + limit, true);
    return { data, meta };
  };

  const promptJson = (p: FakePromptVersion): Json => {
    const newest = Math.max(...prompts.filter((x) => x.name === p.name).map((x) => x.version));
    const labels = p.version === newest && !p.labels.includes('latest') ? [...p.labels, 'latest'] : p.labels;
    const prompt =
      typeof p.prompt === 'string'
        ? p.prompt
        : p.prompt.map((m) => (m.type === 'placeholder' ? m : { type: 'chatmessage', ...m }));
    return {
      type: p.type,
      name: p.name,
      version: p.version,
      prompt,
      config: p.config ?? {},
      labels,
      tags: p.tags ?? [],
      commitMessage: null,
    };
  };

  const getPrompt = (name: string, q: URLSearchParams): Json => {
    const version = q.get('version');
    const label = q.get('label') ?? (version === null ? 'production' : null);
    const found = prompts.find(
      (p) =>
        p.name === name &&
        (version !== null ? p.version === Number(version) : (promptJson(p).labels as string[]).includes(label!)),
    );
    if (!found)
      throw new HttpAnswer(404, {
        error: 'LangfuseNotFoundError',
        message: `Prompt not found: '${name}' with ${version !== null ? `version ${version}` : `label ${label}`}`,
      });
    return promptJson(found);
  };

  const listPrompts = (q: URLSearchParams): Json => {
    const page = intParam(q, 'page', 1, 1_000_000);
    const limit = intParam(q, 'limit', 50, 100);
    const names = [...new Set(prompts.map((p) => p.name))]
      .filter((n) => q.get('name') === null || n === q.get('name'))
      .sort();
    const metas = names.map((name) => {
      const versions = prompts.filter((p) => p.name === name).sort((a, b) => b.version - a.version);
      const all = versions.map(promptJson);
      return {
        name,
        type: versions[0].type,
        versions: versions.map((v) => v.version),
        labels: [...new Set(all.flatMap((v) => v.labels as string[]))],
        tags: versions[0].tags ?? [],
        lastUpdatedAt: versions[0].updatedAt ?? '2026-01-01T00:00:00.000Z',
        lastConfig: versions[0].config ?? {},
      };
    });
    return {
      data: metas.slice((page - 1) * limit, page * limit),
      meta: { page, limit, totalItems: metas.length, totalPages: Math.max(1, Math.ceil(metas.length / limit)) },
    };
  };

  const route = (method: string, path: string, q: URLSearchParams, body: string): { template: string; json: Json } => {
    if (method === 'GET' && path === '/api/public/v2/observations') return { template: path, json: observationsV2(q) };
    if (method === 'GET' && path === '/api/public/projects') return { template: path, json: { data: [PROJECT] } };
    if (method === 'GET' && path === '/api/public/v3/scores') return { template: path, json: scoresV3(q) };
    if (method === 'GET' && path === '/api/public/v2/prompts') return { template: path, json: listPrompts(q) };
    const promptMatch = /^\/api\/public\/v2\/prompts\/([^/]+)$/.exec(path);
    if (method === 'GET' && promptMatch)
      return {
        template: '/api/public/v2/prompts/{promptName}',
        json: getPrompt(decodeURIComponent(promptMatch[1]), q),
      };
    if (method === 'POST' && path === '/api/public/otel/v1/traces') {
      const parsed = JSON.parse(body) as unknown;
      violations.push(...validator.validateRequestBody('POST', path, parsed).map((e) => `POST ${path} body: ${e}`));
      otlpBodies.push(parsed);
      return { template: path, json: {} };
    }
    // Like current Langfuse: the v1 trace list and anything unknown are 404.
    throw new HttpAnswer(404, { message: 'Not found' });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams });
    const send = (status: number, json: Json, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (limited.count > 0) {
      limited.count--;
      send(
        429,
        { message: 'Rate limit exceeded' },
        limited.retryAfter !== undefined ? { 'retry-after': limited.retryAfter } : {},
      );
      return;
    }
    const expected = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      send(401, { message: "Invalid credentials. Confirm that you've configured the correct host." });
      return;
    }
    try {
      const { template, json } = route(method, url.pathname, url.searchParams, body);
      const errors = validator.validateResponse(method, template, 200, json);
      if (errors.length) {
        violations.push(...errors.map((e) => `${method} ${template}: ${e}`));
        send(500, { message: 'fake Langfuse answer violates the OpenAPI document' });
        return;
      }
      send(200, json);
    } catch (err) {
      if (err instanceof HttpAnswer) send(err.status, err.body);
      else send(500, { message: errorMessage(err) });
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publicKey,
    get secretKey() {
      return secretKey;
    },
    requests,
    otlpBodies,
    violations,
    observations,
    scores,
    rotateSecretKey(next) {
      secretKey = next;
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
