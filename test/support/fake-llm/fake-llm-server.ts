// A loopback stand-in for the OpenAI and Anthropic HTTP APIs that the official SDKs accept unmodified.
// Replies are scripted (enqueue / setResponder) or deterministic defaults; every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicFrames, anthropicMessageJson } from './anthropic-wire';
import { answerBedrock, bedrockRoute } from './bedrock-wire';
import type { FakeApi, FakeReply, FakeResponder, RecordedRequest, ResolvedReply, SseFrame } from './fake-llm-types';
import {
  geminiErrorBody,
  geminiFrames,
  geminiLastUserText,
  geminiRequestProblem,
  geminiResponseJson,
  geminiRoute,
  hasGeminiKey,
} from './gemini-wire';
import { chatCompletionFrames, chatCompletionJson } from './openai-chat-wire';
import { responsesFrames, responsesJson } from './openai-responses-wire';
import { errorBody, type ErrorFlavour } from './provider-errors';
import { resolveScriptedReply } from './resolve-reply';
import { lastUserText } from './request-text';
import { countWords } from './text-chunks';

export type { FakeApi, FakeReply, FakeResponder, FakeToolCall, FakeUsage, RecordedRequest } from './fake-llm-types';

export interface FakeLlmServerOptions {
  /** Answers when the queue is empty; return undefined to fall back to the default reply. */
  responder?: FakeResponder;
}

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** url + '/v1', for the OpenAI SDK and @ai-sdk/openai. */
  readonly openaiBaseUrl: string;
  /** url; the Anthropic SDK appends /v1/messages itself. */
  readonly anthropicBaseUrl: string;
  /** url; @google/genai (httpOptions.baseUrl) appends /v1beta/models/{model}:generateContent itself. */
  readonly geminiBaseUrl: string;
  /** url; the endpoint for @aws-sdk/client-bedrock-runtime (it appends /model/{modelId}/converse itself). */
  readonly bedrockEndpoint: string;
  /** Every request in arrival order, API keys redacted. */
  readonly requests: RecordedRequest[];
  /** Requests being answered right now, and the most seen at once since the last reset. */
  readonly inFlight: number;
  readonly maxConcurrent: number;
  /** The same counts for the requests that carried one API key (tells apart the callers of one
   *  server, e.g. worker processes with keys of their own); zeros for a key not seen. */
  byKey(apiKey: string): { requests: number; inFlight: number; maxConcurrent: number };
  /** How a recorded request ended: its response was sent ('answered'), or the client closed the
   *  connection first ('aborted'). */
  ended(request: RecordedRequest): Promise<'answered' | 'aborted'>;
  /** Queues replies for the next model calls (FIFO, shared by all APIs; count_tokens does not consume). */
  enqueue(reply: FakeReply | FakeReply[]): void;
  setResponder(responder: FakeResponder | undefined): void;
  /** Clears the queue, recorded requests and concurrency counters; restores the start-up responder. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, FakeApi> = {
  '/v1/chat/completions': 'chat.completions',
  '/v1/responses': 'responses',
  '/v1/messages': 'anthropic.messages',
  '/v1/messages/count_tokens': 'count_tokens',
};
/** Azure OpenAI (the AzureOpenAI client) sends {endpoint}/openai/deployments/<deployment>/chat/completions
 *  and {endpoint}/openai/responses (with ?api-version=): the same APIs as /v1/... */
function azureRoute(path: string): FakeApi | undefined {
  const m = /^\/openai(?:\/deployments\/[^/]+(?=\/chat\/)|(?=\/responses$))(\/chat\/completions|\/responses)$/.exec(
    path,
  );
  return m ? ROUTES[`/v1${m[1]}`] : undefined;
}
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);

type Json = Record<string, unknown>;

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? 'REDACTED' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The API key a request carries (bearer token, x-api-key, api-key, x-goog-api-key), or ''. */
function apiKeyOf(req: IncomingMessage): string {
  const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'] ?? req.headers['api-key'] ?? req.headers['x-goog-api-key'];
  return bearer ?? (Array.isArray(header) ? header[0] : header) ?? '';
}

function hasKey(req: IncomingMessage, flavour: ErrorFlavour): boolean {
  const bearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
  // The Anthropic SDK 1.x sends its key as a bearer token; @ai-sdk/anthropic sends x-api-key.
  // Azure OpenAI sends its key in an api-key header.
  return flavour === 'openai'
    ? bearer || (req.headers['api-key'] ?? '') !== ''
    : bearer || (req.headers['x-api-key'] ?? '') !== '';
}

function resolveReply(
  api: FakeApi,
  body: Json | undefined,
  reply: FakeReply,
  callNumber: number,
  routeModel?: string,
): ResolvedReply {
  const gemini = api === 'gemini.generate_content';
  const prefix = api === 'anthropic.messages' ? 'toolu_fake' : 'call_fake';
  return resolveScriptedReply(reply, {
    model: routeModel ?? (typeof body?.model === 'string' ? body.model : 'fake-model'),
    // Gemini 2.x function calls carry no id unless one is scripted.
    toolCallId: (i) => (gemini ? '' : `${prefix}${callNumber}_${i}`),
    lastUserText: gemini ? geminiLastUserText(body) : lastUserText(api, body),
    requestParts: [
      body?.system,
      body?.instructions,
      body?.messages,
      body?.input,
      body?.systemInstruction,
      body?.contents,
    ],
  });
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  let queue: FakeReply[] = [];
  let responder = options.responder;
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxConcurrent = 0;
  let callCounter = 0;
  const perKey = new Map<string, { requests: number; inFlight: number; maxConcurrent: number }>();
  const endings = new WeakMap<IncomingMessage, Promise<'answered' | 'aborted'>>();
  const endingOf = new WeakMap<RecordedRequest, Promise<'answered' | 'aborted'>>();

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const sendFrames = async (
    res: ServerResponse,
    frames: SseFrame[],
    chunkDelayMs: number,
    headers: Record<string, string>,
  ): Promise<void> => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    for (const [i, frame] of frames.entries()) {
      if (i > 0) await delay(chunkDelayMs);
      res.write(`${frame.event !== undefined ? `event: ${frame.event}\n` : ''}data: ${frame.data}\n\n`);
    }
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const gemini = geminiRoute(path);
    const bedrock = bedrockRoute(path);
    const api = ROUTES[path] ?? gemini?.api ?? bedrock?.api ?? azureRoute(path);
    const flavour: ErrorFlavour = path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    const raw = await readBody(req);
    let body: Json | undefined;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as Json);
    } catch {
      body = undefined;
    }
    const callNumber = ++callCounter;
    const requestId = `req_fake${callNumber}`;
    const idHeaders: Record<string, string> =
      flavour === 'anthropic' ? { 'request-id': requestId } : { 'x-request-id': requestId };
    const errorJson = (status: number, retryAfter?: number) =>
      gemini ? geminiErrorBody(status, retryAfter) : errorBody(flavour, status, requestId);
    if (api === undefined || req.method !== 'POST') {
      sendJson(res, 404, errorJson(404), idHeaders);
      return;
    }
    const recorded: RecordedRequest = { api, method: req.method, path, headers: recordHeaders(req), body };
    requests.push(recorded);
    endingOf.set(recorded, endings.get(req)!);
    perKey.get(apiKeyOf(req))!.requests++;
    if (bedrock !== undefined) {
      await answerBedrock({
        req,
        res,
        route: bedrock,
        recorded,
        callNumber,
        nextReply: () => queue.shift() ?? responder?.(recorded) ?? {},
      });
      return;
    }
    if (gemini ? !hasGeminiKey(req.headers['x-goog-api-key'], req.url ?? '/') : !hasKey(req, flavour)) {
      sendJson(res, 401, errorJson(401), idHeaders);
      return;
    }
    if (body === undefined) {
      sendJson(res, 400, errorJson(400), idHeaders);
      return;
    }
    const geminiProblem = api === 'gemini.generate_content' ? geminiRequestProblem(body) : undefined;
    if (geminiProblem !== undefined) {
      sendJson(res, 400, geminiErrorBody(400, undefined, geminiProblem), idHeaders);
      return;
    }
    if (api === 'count_tokens' && gemini) {
      sendJson(
        res,
        200,
        { totalTokens: Math.max(1, countWords([body.systemInstruction, body.contents, body.generateContentRequest])) },
        idHeaders,
      );
      return;
    }
    if (api === 'count_tokens') {
      sendJson(
        res,
        200,
        { input_tokens: Math.max(1, countWords([body.system, body.messages, body.tools])) },
        idHeaders,
      );
      return;
    }
    const script: FakeReply = queue.shift() ?? responder?.(recorded) ?? {};
    await delay(script.delayMs ?? 0);
    if (script.hold !== undefined)
      await script.hold.then(
        () => undefined,
        () => undefined,
      );
    const headers: Record<string, string> = { ...idHeaders };
    if (script.retryAfter !== undefined) headers['retry-after'] = String(script.retryAfter);
    if (script.status !== undefined && script.status >= 400) {
      sendJson(res, script.status, errorJson(script.status, script.retryAfter), headers);
      return;
    }
    const reply = resolveReply(api, body, script, callNumber, gemini?.model);
    const created = Math.floor(Date.now() / 1000);
    const stream = gemini ? gemini.stream : body.stream === true;
    if (api === 'gemini.generate_content') {
      const id = `fakeResp${callNumber}`;
      if (stream) await sendFrames(res, geminiFrames(reply, id), reply.chunkDelayMs, headers);
      else sendJson(res, 200, geminiResponseJson(reply, id), headers);
    } else if (api === 'chat.completions') {
      const id = `chatcmpl-fake${callNumber}`;
      const includeUsage = (body.stream_options as Json | undefined)?.include_usage === true;
      if (stream)
        await sendFrames(res, chatCompletionFrames(reply, id, created, includeUsage), reply.chunkDelayMs, headers);
      else sendJson(res, 200, chatCompletionJson(reply, id, created), headers);
    } else if (api === 'responses') {
      const id = `resp_fake${callNumber}`;
      if (stream) await sendFrames(res, responsesFrames(reply, id, created, body), reply.chunkDelayMs, headers);
      else sendJson(res, 200, responsesJson(reply, id, created, body), headers);
    } else {
      const id = `msg_fake${callNumber}`;
      if (stream) await sendFrames(res, anthropicFrames(reply, id), reply.chunkDelayMs, headers);
      else sendJson(res, 200, anthropicMessageJson(reply, id), headers);
    }
  };

  const server = createServer((req, res) => {
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    const key = apiKeyOf(req);
    const mine = perKey.get(key) ?? { requests: 0, inFlight: 0, maxConcurrent: 0 };
    perKey.set(key, mine);
    mine.inFlight++;
    mine.maxConcurrent = Math.max(mine.maxConcurrent, mine.inFlight);
    endings.set(
      req,
      new Promise((resolve) => res.once('close', () => resolve(res.writableFinished ? 'answered' : 'aborted'))),
    );
    handle(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
        else res.end();
      })
      .finally(() => {
        inFlight--;
        mine.inFlight--;
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    geminiBaseUrl: url,
    bedrockEndpoint: url,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    byKey(apiKey) {
      const counts = perKey.get(apiKey);
      return counts ? { ...counts } : { requests: 0, inFlight: 0, maxConcurrent: 0 };
    },
    ended(request) {
      const ending = endingOf.get(request);
      if (!ending) throw new Error('ended(): not a request recorded by this server');
      return ending;
    },
    enqueue(reply) {
      queue.push(...(Array.isArray(reply) ? reply : [reply]));
    },
    setResponder(next) {
      responder = next;
    },
    reset() {
      queue = [];
      responder = options.responder;
      requests.length = 0;
      maxConcurrent = inFlight;
      for (const counts of perKey.values()) {
        counts.requests = 0;
        counts.maxConcurrent = counts.inFlight;
      }
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
