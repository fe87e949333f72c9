// OpenAI (api.openai.com or a proxy in front of it): chat.completions and responses through the
// official openai SDK.
import type { OpenAI } from 'openai';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import { firstEnv, nonEmpty } from '../../config-values';
import type { ProviderAdapter } from '../../provider-adapter';
import { OPENAI_DIALECT } from './openai-dialect';
import { openaiSdk } from './openai-sdk';
import { mapOpenAiError } from './openai-errors';
import { buildOpenAiBody, NO_KEY, sendOpenAi } from './openai-send';
import { OPENAI_PARAMETERS } from './openai-parameters';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const KEY_ENV_VARS = ['OPENAI_API_KEY'] as const;

export const openaiProvider: ProviderAdapter<OpenAI> = {
  id: 'openai',
  displayName: 'OpenAI',
  apis: ['chat.completions', 'responses'],
  recordedProviders: ['openai'],
  modelPrefixes: [/^gpt-/, /^o[134](-|$)/, /^chatgpt-/, /^text-/, /^davinci/],
  credentials: 'api-key',
  keyEnvVars: KEY_ENV_VARS,
  baseUrlEnvVar: 'OPENAI_BASE_URL',
  defaultBaseURL: DEFAULT_BASE_URL,
  secretId: 'openai',
  priceProviderId: 'openai',
  parameters: OPENAI_PARAMETERS,
  suggestedModels: ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4o'],

  configFromEnv(env) {
    const key = firstEnv(env, KEY_ENV_VARS);
    return {
      kind: 'openai',
      baseURL: nonEmpty(env.OPENAI_BASE_URL) ?? DEFAULT_BASE_URL,
      apiKey: key?.value,
      keySource: KEY_ENV_VARS[0],
    };
  },
  buildBody: (ctx, messages) => buildOpenAiBody(ctx, messages, OPENAI_DIALECT),
  createClient(config, fetch) {
    // baseURL is always explicit so the SDK never falls back to whatever is in process.env.
    return new (openaiSdk().OpenAI)({
      apiKey: config.apiKey ?? NO_KEY,
      baseURL: config.baseURL ?? DEFAULT_BASE_URL,
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      defaultHeaders: config.headers,
      fetch,
    });
  },
  send: sendOpenAi,
  mapError: (err, provider, retries, signal, config) =>
    mapOpenAiError(err, provider, retries, signal, config.baseURL ?? DEFAULT_BASE_URL),
};
