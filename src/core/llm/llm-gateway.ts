// The provider layer behind the LlmGateway contract: one official SDK client per provider config,
// request building per API, execution with the SDKs' own retries, answers read back.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { Anthropic } from '@anthropic-ai/sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { OpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { LlmCall } from '../model/trace';
import { readAnthropicMessage, readAnthropicStream } from './anthropic-messages-response';
import { buildRequest, providerKind } from './build-request';
import { MissingApiKeyError, RequestAbortedError, UnknownProviderError, UnsupportedApiError } from './llm-errors';
import type { BuiltRequest, ExecuteOptions, LlmExecution, LlmGateway, ModelTarget, ProviderConfig, ProviderConfigs } from './llm-types';
import { mapSdkError } from './map-sdk-error';
import { runOfflineModel } from './offline-model';
import { readChatCompletion, readChatStream } from './openai-chat-response';
import { readResponse, readResponsesStream } from './openai-responses-response';
import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OPENAI_BASE_URL } from './provider-configs';
import type { Clock, ReadResult } from './response-common';

export const DEFAULT_MAX_RETRIES = 2;
/** The SDKs' own default (10 minutes), stated so it is visible in one place. */
export const DEFAULT_TIMEOUT_MS = 600_000;
/** Sent to OpenAI-compatible servers that need no key (the SDK refuses an empty one). */
const NO_KEY = 'no-key';

export interface LlmGatewayOptions {
  /** Monotonic clock for durations (tests may pin it). */
  now?: Clock;
  /** fetch used by the SDKs (default: the global one). */
  fetch?: typeof fetch;
}

type Client = OpenAI | Anthropic;

interface CallCounter {
  attempts: number;
}

export function createLlmGateway(configs: ProviderConfigs, options: LlmGatewayOptions = {}): LlmGateway {
  const now = options.now ?? (() => performance.now());
  const baseFetch = options.fetch ?? fetch;
  const clients = new Map<string, Client>();
  // Each HTTP attempt goes through this fetch; the per-call counter rides the async context, so
  // concurrent calls on one shared client count their own retries.
  const attempts = new AsyncLocalStorage<CallCounter>();
  const countingFetch = (input: string | URL | Request, init?: RequestInit): Promise<globalThis.Response> => {
    const counter = attempts.getStore();
    if (counter !== undefined) counter.attempts++;
    return baseFetch(input, init);
  };

  function clientFor(provider: string, config: ProviderConfig): Client {
    const cached = clients.get(provider);
    if (cached !== undefined) return cached;
    const common = {
      apiKey: config.apiKey ?? NO_KEY,
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      defaultHeaders: config.headers,
      fetch: countingFetch,
    };
    // baseURL is always explicit so the SDKs never fall back to whatever is in process.env.
    const client: Client = config.kind === 'anthropic'
      ? new Anthropic({ ...common, baseURL: config.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL, openTelemetry: false })
      : new OpenAI({ ...common, baseURL: config.baseURL ?? DEFAULT_OPENAI_BASE_URL });
    clients.set(provider, client);
    return client;
  }

  async function send(client: Client, request: BuiltRequest, signal: AbortSignal | undefined): Promise<ReadResult> {
    const body = request.body as never;
    const opts = { signal };
    if (client instanceof Anthropic) {
      if (request.stream) {
        const stream = (await client.messages.create(body, opts)) as unknown as AsyncIterable<RawMessageStreamEvent>;
        return readAnthropicStream(stream, now);
      }
      return readAnthropicMessage((await client.messages.create(body, opts)) as unknown as Message);
    }
    if (request.api === 'responses') {
      if (request.stream) {
        const stream = (await client.responses.create(body, opts)) as unknown as AsyncIterable<ResponseStreamEvent>;
        return readResponsesStream(stream, now);
      }
      return readResponse((await client.responses.create(body, opts)) as unknown as Response);
    }
    if (request.stream) {
      const stream = (await client.chat.completions.create(body, opts)) as unknown as AsyncIterable<ChatCompletionChunk>;
      return readChatStream(stream, now);
    }
    return readChatCompletion((await client.chat.completions.create(body, opts)) as unknown as ChatCompletion);
  }

  return {
    build(call: LlmCall, target: ModelTarget): BuiltRequest {
      return buildRequest(call, target, providerKind(target.provider, configs));
    },

    async execute(request: BuiltRequest, target: ModelTarget, execOptions: ExecuteOptions = {}): Promise<LlmExecution> {
      const provider = target.provider;
      const config = configs[provider];
      if (config === undefined) throw new UnknownProviderError(provider, Object.keys(configs));
      if ((config.apiKey === undefined || config.apiKey === '') && config.keyOptional !== true) {
        throw new MissingApiKeyError(provider, config.keySource);
      }
      const { signal } = execOptions;
      if (signal?.aborted === true) throw new RequestAbortedError(provider, signal.reason);
      if (config.kind === 'offline') return runOfflineModel(request, target);
      const anthropicApi = request.api === 'anthropic.messages';
      if (anthropicApi !== (config.kind === 'anthropic') || request.api === 'unknown') throw new UnsupportedApiError(provider, request.api);
      const client = clientFor(provider, config);
      const counter: CallCounter = { attempts: 0 };
      const start = now();
      let read: ReadResult;
      try {
        read = await attempts.run(counter, () => send(client, request, signal));
      } catch (err) {
        throw mapSdkError(err, provider, Math.max(0, counter.attempts - 1), signal, client.baseURL);
      }
      const end = now();
      const execution: LlmExecution = {
        output: read.output,
        durationMs: end - start,
        streamed: request.stream,
        retries: Math.max(0, counter.attempts - 1),
      };
      if (read.usage !== undefined) execution.usage = read.usage;
      if (read.responseModel !== undefined) execution.responseModel = read.responseModel;
      if (read.responseId !== undefined) execution.responseId = read.responseId;
      if (request.stream && read.firstContentAt !== undefined) execution.timeToFirstTokenMs = read.firstContentAt - start;
      if (read.warnings.length > 0) execution.warnings = read.warnings;
      return execution;
    },
  };
}
