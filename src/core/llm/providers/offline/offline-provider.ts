// The offline stand-in (`offline:echo`) behind the registry: it takes any of the APIs the recorded
// call used (nothing to translate), builds the same body a real provider would get, and answers
// with the deterministic echo of offline-model.ts, without any network or key.
import type { ModelParameters } from '../../../model/trace';
import type { ProviderAdapter } from '../../provider-adapter';
import { buildAnthropicMessagesBody } from '../anthropic/anthropic-messages-request';
import type { OpenAiDialect } from '../openai/openai-dialect';
import { buildOpenAiBody } from '../openai/openai-send';
import { OFFLINE_PROVIDER, runOfflineModel } from './offline-model';

/** The stand-in is no OpenAI model: no model rules; top_k is dropped as for OpenAI. */
const OFFLINE_DIALECT: OpenAiDialect = { reasoningModel: () => undefined, topK: false };

export const offlineProvider: ProviderAdapter<null> = {
  id: OFFLINE_PROVIDER,
  displayName: 'Offline stand-in (deterministic echo, not a real model)',
  apis: ['chat.completions', 'responses', 'anthropic.messages'],
  recordedProviders: [],
  modelPrefixes: [],
  credentials: 'none',
  keyEnvVars: [],
  secretId: OFFLINE_PROVIDER,
  // No price data: its cost is unknown, never 0.
  parameters: new Set<keyof ModelParameters>([
    'temperature',
    'maxTokens',
    'topP',
    'topK',
    'stop',
    'seed',
    'frequencyPenalty',
    'presencePenalty',
    'n',
    'reasoningEffort',
  ]),
  suggestedModels: ['echo'],
  settings: [],

  // Always there: used only when chosen, needs nothing.
  configFromEnv: () => ({ kind: OFFLINE_PROVIDER, keyOptional: true }),
  buildBody: (ctx, messages) =>
    ctx.api === 'anthropic.messages'
      ? buildAnthropicMessagesBody(ctx, messages)
      : buildOpenAiBody(ctx, messages, OFFLINE_DIALECT),
  createClient: () => null,
  send(_client, request, ctx) {
    const read = runOfflineModel(request);
    if (request.stream) read.firstContentAt = ctx.now();
    return Promise.resolve(read);
  },
  mapError: (err) => err,
};
