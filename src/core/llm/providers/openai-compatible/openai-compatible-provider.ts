// OpenAI-compatible servers (Ollama, vLLM, OpenRouter, LiteLLM, ...): named endpoint profiles, each a
// connection of its own (`ollama:llama3.1:8b`), sent through the openai SDK. Their models are not
// OpenAI's, so everything recorded is sent (top_k included) and no OpenAI model rules apply.
import type { OpenAI } from 'openai';
import { openaiSdk } from '../openai/openai-sdk';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import type { ProviderAdapter } from '../../provider-adapter';
import { COMPATIBLE_DIALECT } from '../openai/openai-dialect';
import { mapOpenAiError } from '../openai/openai-errors';
import { OPENAI_COMPATIBLE_PARAMETERS } from '../openai/openai-parameters';
import { buildOpenAiBody, NO_KEY, sendOpenAi } from '../openai/openai-send';
import { endpointConfigsFromEnv } from './endpoint-profiles';

export const openaiCompatibleProvider: ProviderAdapter<OpenAI> = {
  id: 'openai-compatible',
  displayName: 'OpenAI-compatible endpoint',
  apis: ['chat.completions', 'responses'],
  // Many servers have no responses API yet: a recorded responses call goes through chat.completions
  // unless the target asks for responses.
  replayApis: ['chat.completions'],
  recordedProviders: [],
  modelPrefixes: [],
  credentials: 'api-key',
  // Each profile names its own key variable (apiKeyEnv; <PROFILE>_API_KEY in VS Code).
  keyEnvVars: [],
  // Profile keys are kept as endpoint.<profile> in SecretStorage.
  secretId: 'endpoint',
  parameters: OPENAI_COMPATIBLE_PARAMETERS,
  settings: [],

  configFromEnv: () => undefined,
  configsFromEnv: endpointConfigsFromEnv,
  buildBody: (ctx, messages) => buildOpenAiBody(ctx, messages, COMPATIBLE_DIALECT),
  createClient(config, fetch) {
    return new (openaiSdk().OpenAI)({
      apiKey: config.apiKey ?? NO_KEY,
      // A profile always has its base URL (it is required); never the SDK's env fallback.
      baseURL: config.baseURL ?? '',
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      defaultHeaders: config.headers,
      fetch,
    });
  },
  send: sendOpenAi,
  mapError: (err, provider, retries, signal, config) => mapOpenAiError(err, provider, retries, signal, config.baseURL),
};
