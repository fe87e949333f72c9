// AWS Bedrock Runtime Converse wire format, as @aws-sdk/client-bedrock-runtime 3.x speaks it:
//   POST /model/{modelId}/converse         -> one ConverseResponse (JSON)
//   POST /model/{modelId}/converse-stream  -> application/vnd.amazon.eventstream: binary frames
//        (prelude, headers :message-type event / :event-type / :content-type, JSON payload, CRCs)
//        messageStart, contentBlockStart (toolUse), contentBlockDelta (text | toolUse.input),
//        contentBlockStop, messageStop (stopReason), metadata (usage, metrics); an exception frame
//        (:message-type exception, :exception-type throttlingException, ...) when scripted
// The model id travels URL-encoded in the path (`anthropic.claude-3-haiku-20240307-v1:0` -> %3A).
// Bodies that break Converse's structural rules (roles alternate from a user turn, tool results
// answer the toolUse right before, toolConfig with tool blocks, no blank text) get the service's
// 400 ValidationException, as the real API refuses them.
// Requests must be SigV4-signed (`authorization: AWS4-HMAC-SHA256 ...`; the signature itself is not
// checked) or carry a Bedrock API key (`authorization: Bearer ...`); otherwise 403 as AWS answers.
// Errors are AWS restJson ones: the `x-amzn-errortype` header names the exception, the body is
// `{"message": ...}`. Usage is Bedrock's: inputTokens WITHOUT the cache reads/writes (those come
// on top, as on Anthropic), totalTokens = input + output + cacheRead + cacheWrite.
import { resolveScriptedReply } from './resolve-reply';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { FakeReply, RecordedRequest, ResolvedReply } from './fake-llm-types';
import { splitIntoChunks } from './text-chunks';

type Json = Record<string, unknown>;

export interface BedrockRoute {
  api: 'bedrock.converse';
  /** Decoded model id (or inference profile / ARN). */
  modelId: string;
  stream: boolean;
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** The Bedrock route of a request path (without its query), or undefined. */
export function bedrockRoute(path: string): BedrockRoute | undefined {
  const m = ROUTE.exec(path);
  if (m === null) return undefined;
  return { api: 'bedrock.converse', modelId: decodeURIComponent(m[1]), stream: m[2] === 'converse-stream' };
}

/** The exception Bedrock names for a status, and its message. */
const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'ValidationException', message: 'The provided request is not valid' },
  403: { type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." },
  404: { type: 'ResourceNotFoundException', message: 'The provided model identifier is invalid.' },
  408: {
    type: 'ModelTimeoutException',
    message: 'Model has timed out in processing the request. Try your request again.',
  },
  424: { type: 'ModelErrorException', message: 'The model returned an error.' },
  429: { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  500: { type: 'InternalServerException', message: 'The server encountered an error processing your request.' },
  503: { type: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' },
};

const MISSING_AUTH = { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };

function errorOf(status: number): { type: string; message: string } {
  return (
    ERRORS[status] ?? {
      type: status >= 500 ? 'InternalServerException' : 'ValidationException',
      message: `Error ${status}`,
    }
  );
}

/** Bedrock's error answer: the exception in x-amzn-errortype (with AWS's ":<namespace>" tail), {message}. */
export function sendBedrockError(
  res: ServerResponse,
  status: number,
  requestId: string,
  headers: Record<string, string> = {},
  err = errorOf(status),
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': `${err.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    ...headers,
  });
  res.end(JSON.stringify({ message: err.message }));
}

/** A SigV4 signature or a Bedrock API key (bearer). */
export function hasAwsAuth(authorization: string | undefined): boolean {
  return /^AWS4-HMAC-SHA256 \S/.test(authorization ?? '') || /^Bearer\s+\S+/i.test(authorization ?? '');
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((b: unknown) => (typeof (b as Json).text === 'string' ? ((b as Json).text as string) : ''))
    .join('');
}

/** The text of the last user message that has text (tool results alone do not count). */
export function bedrockLastUserText(body: Json | undefined): string {
  const messages = body?.messages;
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Json;
    if (m.role !== 'user') continue;
    const text = textOf(m.content);
    if (text !== '') return text;
  }
  return '';
}

const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The first structural rule of Converse a request body breaks, in Bedrock's words (it answers them
 * with a 400 ValidationException), or undefined: messages alternate starting with a user turn, no
 * empty content or blank text, toolUse ids valid and each answered by a toolResult in the next user
 * turn, every toolResult answering a toolUse of the turn before, toolConfig present with tool blocks.
 */
export function converseRequestProblem(body: Json): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'The messages field is required.';
  let toolBlocks = 0;
  for (const [i, raw] of messages.entries()) {
    const m = raw as Json;
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role must be user or assistant.`;
    if (i === 0 && m.role !== 'user')
      return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
    if (i > 0 && m.role === (messages[i - 1] as Json).role) {
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    }
    const content = m.content;
    if (!Array.isArray(content) || content.length === 0)
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    for (const [k, block] of (content as Json[]).entries()) {
      if (typeof block.text === 'string' && block.text.trim() === '') {
        return `The text field in the ContentBlock object at messages.${i}.content.${k} is blank. Add text to the text field, and try again.`;
      }
      const use = block.toolUse as Json | undefined;
      if (use !== undefined) {
        toolBlocks++;
        if (m.role !== 'assistant')
          return `messages.${i}.content.${k}: toolUse is only allowed in an assistant message.`;
        if (typeof use.toolUseId !== 'string' || !TOOL_USE_ID.test(use.toolUseId))
          return `messages.${i}.content.${k}.toolUse.toolUseId failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`;
      }
      if (block.toolResult !== undefined) {
        toolBlocks++;
        if (m.role !== 'user') return `messages.${i}.content.${k}: toolResult is only allowed in a user message.`;
      }
    }
  }
  if (toolBlocks > 0 && body.toolConfig === undefined)
    return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  for (const [i, raw] of messages.entries()) {
    const blocks = (raw as Json).content as Json[];
    const uses = blocks.filter((b) => b.toolUse !== undefined).map((b) => (b.toolUse as Json).toolUseId as string);
    const results = blocks
      .filter((b) => b.toolResult !== undefined)
      .map((b) => (b.toolResult as Json).toolUseId as string);
    const prevUses =
      i > 0
        ? ((messages[i - 1] as Json).content as Json[])
            .filter((b) => b.toolUse !== undefined)
            .map((b) => (b.toolUse as Json).toolUseId)
        : [];
    const stray = results.find((id) => !prevUses.includes(id));
    if (stray !== undefined)
      return `messages.${i}: the toolResult for ${stray} does not follow a toolUse with that id in the previous message.`;
    const next = messages[i + 1] as Json | undefined;
    const answered =
      next === undefined
        ? []
        : (next.content as Json[])
            .filter((b) => b.toolResult !== undefined)
            .map((b) => (b.toolResult as Json).toolUseId);
    const unanswered = uses.filter((id) => !answered.includes(id));
    // The last assistant turn may hold unanswered calls only when it is the (prefilled) end.
    if (unanswered.length > 0 && next !== undefined)
      return `Expected toolResult blocks at messages.${i + 1}.content for the following Ids: ${unanswered.join(', ')}`;
  }
  return undefined;
}

function resolveBedrockReply(route: BedrockRoute, body: Json, reply: FakeReply, callNumber: number): ResolvedReply {
  return resolveScriptedReply(reply, {
    model: route.modelId,
    toolCallId: (i) => `tooluse_fake${callNumber}_${i}`,
    lastUserText: bedrockLastUserText(body),
    requestParts: [body.system, body.messages],
  });
}

function stopReason(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn');
}

function usageJson(reply: ResolvedReply): Json {
  const u = reply.usage;
  return {
    inputTokens: u.input,
    outputTokens: u.output,
    totalTokens: u.input + u.output + u.cacheRead + u.cacheWrite,
    cacheReadInputTokens: u.cacheRead,
    cacheWriteInputTokens: u.cacheWrite,
  };
}

/** A tool call's arguments as the object Converse's toolUse.input carries. */
function inputOf(args: string): unknown {
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return { input: args };
  }
}

export function bedrockConverseJson(reply: ResolvedReply, latencyMs: number): Json {
  const content: Json[] = [];
  if (reply.text !== '') content.push({ text: reply.text });
  for (const call of reply.toolCalls)
    content.push({ toolUse: { toolUseId: call.id, name: call.name, input: inputOf(call.arguments) } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason(reply),
    usage: usageJson(reply),
    metrics: { latencyMs },
  };
}

/** The ConverseStream events of a reply, in order: [event type, payload]. */
export function bedrockStreamEvents(reply: ResolvedReply, latencyMs: number): [string, Json][] {
  const events: [string, Json][] = [['messageStart', { role: 'assistant' }]];
  let index = 0;
  if (reply.text !== '') {
    // Like the real service: text blocks have no contentBlockStart.
    for (const text of splitIntoChunks(reply.text))
      events.push(['contentBlockDelta', { contentBlockIndex: index, delta: { text } }]);
    events.push(['contentBlockStop', { contentBlockIndex: index }]);
    index++;
  }
  for (const call of reply.toolCalls) {
    events.push([
      'contentBlockStart',
      { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: call.name } } },
    ]);
    for (const input of splitIntoChunks(call.arguments, 8)) {
      events.push(['contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }]);
    }
    events.push(['contentBlockStop', { contentBlockIndex: index }]);
    index++;
  }
  events.push(['messageStop', { stopReason: stopReason(reply) }]);
  events.push(['metadata', { usage: usageJson(reply), metrics: { latencyMs } }]);
  return events;
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** One event-stream frame as the service sends it. */
export function encodeBedrockEvent(eventType: string, payload: Json): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** The ConverseStream exception members, by the HTTP status of the same error outside a stream. */
const STREAM_EXCEPTIONS: Record<number, string> = {
  400: 'validationException',
  429: 'throttlingException',
  500: 'internalServerException',
  503: 'serviceUnavailableException',
};

/** An exception frame in the middle of a stream (`:message-type: exception`). */
export function encodeBedrockException(status: number): Uint8Array {
  const type = STREAM_EXCEPTIONS[status] ?? 'modelStreamErrorException';
  const message =
    STREAM_EXCEPTIONS[status] !== undefined
      ? errorOf(status).message
      : 'An error occurred while streaming the response.';
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify({ message }), 'utf8')),
  });
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export interface BedrockExchange {
  req: IncomingMessage;
  res: ServerResponse;
  route: BedrockRoute;
  /** Already in the server's request list; its session-token header is redacted here. */
  recorded: RecordedRequest;
  callNumber: number;
  /** Takes the next scripted reply (queue, then responder, then the default). */
  nextReply: () => FakeReply;
}

/** Answers one Converse / ConverseStream request. */
export async function answerBedrock({
  req,
  res,
  route,
  recorded,
  callNumber,
  nextReply,
}: BedrockExchange): Promise<void> {
  const requestId = `fake-bedrock-req-${callNumber}`;
  if (recorded.headers['x-amz-security-token'] !== undefined) recorded.headers['x-amz-security-token'] = 'REDACTED';
  if (!hasAwsAuth(req.headers.authorization)) {
    sendBedrockError(res, 403, requestId, {}, MISSING_AUTH);
    return;
  }
  const body = recorded.body as Json | undefined;
  if (body === undefined || typeof body !== 'object' || body === null) {
    sendBedrockError(res, 400, requestId);
    return;
  }
  const problem = converseRequestProblem(body);
  if (problem !== undefined) {
    sendBedrockError(res, 400, requestId, {}, { type: 'ValidationException', message: problem });
    return;
  }
  const script = nextReply();
  await delay(script.delayMs ?? 0);
  if (script.hold !== undefined)
    await script.hold.then(
      () => undefined,
      () => undefined,
    );
  const headers: Record<string, string> = {};
  if (script.retryAfter !== undefined) headers['retry-after'] = String(script.retryAfter);
  if (script.status !== undefined && script.status >= 400) {
    sendBedrockError(res, script.status, requestId, headers);
    return;
  }
  const reply = resolveBedrockReply(route, body, script, callNumber);
  const latencyMs = 100 + callNumber;
  if (!route.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers });
    res.end(JSON.stringify(bedrockConverseJson(reply, latencyMs)));
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId,
    ...headers,
  });
  let events = bedrockStreamEvents(reply, latencyMs);
  if (script.streamException !== undefined)
    events = events.filter(([type]) => type !== 'messageStop' && type !== 'metadata');
  for (const [i, [type, payload]] of events.entries()) {
    if (i > 0) await delay(reply.chunkDelayMs);
    res.write(encodeBedrockEvent(type, payload));
  }
  if (script.streamException !== undefined) res.write(encodeBedrockException(script.streamException));
  res.end();
}
