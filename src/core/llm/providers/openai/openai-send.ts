// The OpenAI API family's build, send and read, shared by the adapters that speak it (OpenAI,
// Azure OpenAI, OpenAI-compatible servers): chat.completions or responses by the request's API,
// JSON or stream by the body.
import type { OpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Message } from '../../../model/trace';
import type { BuiltRequest } from '../../llm-types';
import type { SendContext } from '../../provider-adapter';
import type { BuildContext, Json } from '../../request-common';
import type { ReadResult } from '../../response-common';
import { buildOpenAiChatBody } from './openai-chat-request';
import { readChatCompletion, readChatStream } from './openai-chat-response';
import type { OpenAiDialect } from './openai-dialect';
import { buildOpenAiResponsesBody } from './openai-responses-request';
import { readResponse, readResponsesStream } from './openai-responses-response';

/** Sent to servers that need no key (the SDK refuses an empty one). */
export const NO_KEY = 'no-key';

/** The body for ctx.api: responses, else chat.completions. */
export function buildOpenAiBody(ctx: BuildContext, messages: Message[], dialect: OpenAiDialect): Json {
  return ctx.api === 'responses'
    ? buildOpenAiResponsesBody(ctx, messages, dialect)
    : buildOpenAiChatBody(ctx, messages, dialect);
}

export async function sendOpenAi(client: OpenAI, request: BuiltRequest, ctx: SendContext): Promise<ReadResult> {
  const body = request.body as never;
  const opts = { signal: ctx.signal };
  if (request.api === 'responses') {
    if (request.stream) {
      const stream = (await client.responses.create(body, opts)) as unknown as AsyncIterable<ResponseStreamEvent>;
      return readResponsesStream(stream, ctx.now);
    }
    return readResponse((await client.responses.create(body, opts)) as unknown as Response);
  }
  if (request.stream) {
    const stream = (await client.chat.completions.create(body, opts)) as unknown as AsyncIterable<ChatCompletionChunk>;
    return readChatStream(stream, ctx.now);
  }
  return readChatCompletion((await client.chat.completions.create(body, opts)) as unknown as ChatCompletion);
}
