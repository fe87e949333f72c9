// Anthropic's Messages API through the official @anthropic-ai/sdk. It also serves, as a fallback,
// Claude calls recorded on Bedrock or Vertex when those providers are not configured.
import type { Anthropic } from '@anthropic-ai/sdk';
import { anthropicSdk } from './anthropic-sdk';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelParameters } from '../../../model/trace';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import { firstEnv, nonEmpty } from '../../config-values';
import type { ProviderAdapter } from '../../provider-adapter';
import { mapAnthropicError } from './anthropic-errors';
import { buildAnthropicMessagesBody } from './anthropic-messages-request';
import { readAnthropicMessage, readAnthropicStream } from './anthropic-messages-response';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const KEY_ENV_VARS = ['ANTHROPIC_API_KEY'] as const;
/** Where Claude runs besides Anthropic's own API, each spelling its model ids its own way. */
const CLAUDE_HOSTS = new Set(['aws.bedrock', 'gcp.vertex_ai']);

/** The Anthropic API name of a Claude model as Bedrock or Vertex spell it, where the pattern is
 *  known (us.anthropic.claude-3-5-sonnet-20240620-v1:0, claude-3-5-sonnet@20240620). */
export function anthropicModelName(model: string): string | undefined {
  const bedrock = /^(?:[a-z]{2,6}\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$/.exec(model);
  if (bedrock) return bedrock[1];
  const vertex = /^(claude-[a-z0-9.-]+)@(\d{8})$/.exec(model);
  if (vertex) return `${vertex[1]}-${vertex[2]}`;
  return model.startsWith('claude-') ? model : undefined;
}

export const anthropicProvider: ProviderAdapter<Anthropic> = {
  id: 'anthropic',
  displayName: 'Anthropic',
  apis: ['anthropic.messages'],
  recordedProviders: ['anthropic'],
  modelPrefixes: [/^claude-/],
  credentials: 'api-key',
  keyEnvVars: KEY_ENV_VARS,
  baseUrlEnvVar: 'ANTHROPIC_BASE_URL',
  defaultBaseURL: DEFAULT_BASE_URL,
  secretId: 'anthropic',
  priceProviderId: 'anthropic',
  parameters: new Set<keyof ModelParameters>(['temperature', 'maxTokens', 'topP', 'topK', 'stop', 'reasoningEffort']),
  suggestedModels: ['claude-haiku-4-5', 'claude-sonnet-4-5'],

  configFromEnv(env) {
    const key = firstEnv(env, KEY_ENV_VARS);
    return {
      kind: 'anthropic',
      baseURL: nonEmpty(env.ANTHROPIC_BASE_URL) ?? DEFAULT_BASE_URL,
      apiKey: key?.value,
      keySource: KEY_ENV_VARS[0],
    };
  },
  fallbackModel: (recordedProvider, model) =>
    CLAUDE_HOSTS.has(recordedProvider) ? anthropicModelName(model) : undefined,
  buildBody: buildAnthropicMessagesBody,
  createClient(config, fetch) {
    // baseURL is always explicit so the SDK never falls back to whatever is in process.env.
    return new (anthropicSdk().Anthropic)({
      // Sent to servers that need no key (the SDK refuses an empty one).
      apiKey: config.apiKey ?? 'no-key',
      baseURL: config.baseURL ?? DEFAULT_BASE_URL,
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      defaultHeaders: config.headers,
      fetch,
      openTelemetry: false,
    });
  },
  async send(client, request, ctx) {
    const body = request.body as never;
    const opts = { signal: ctx.signal };
    if (request.stream) {
      const stream = (await client.messages.create(body, opts)) as unknown as AsyncIterable<RawMessageStreamEvent>;
      return readAnthropicStream(stream, ctx.now);
    }
    return readAnthropicMessage((await client.messages.create(body, opts)) as unknown as Message);
  },
  mapError: (err, provider, retries, signal, config) =>
    mapAnthropicError(err, provider, retries, signal, config.baseURL ?? DEFAULT_BASE_URL),
};
