// Azure OpenAI: chat.completions and responses through the openai SDK's AzureOpenAI client. The
// model of a target is the deployment name (as Azure-recorded calls name it); the client sends
// chat.completions to {endpoint}/openai/deployments/{deployment}/chat/completions and responses to
// {endpoint}/openai/responses, each with ?api-version=, the key in the api-key header.
import type { AzureOpenAI } from 'openai';
import { openaiSdk } from '../openai/openai-sdk';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import { firstEnv, ProviderConfigError } from '../../config-values';
import type { ProviderConfig } from '../../llm-types';
import type { ProviderAdapter } from '../../provider-adapter';
import { AZURE_DIALECT } from '../openai/openai-dialect';
import { mapOpenAiError } from '../openai/openai-errors';
import { OPENAI_PARAMETERS } from '../openai/openai-parameters';
import { buildOpenAiBody, sendOpenAi } from '../openai/openai-send';

const KEY_ENV_VARS = ['AZURE_OPENAI_API_KEY'] as const;
const ENDPOINT_ENV = 'AZURE_OPENAI_ENDPOINT';
/** The SDK reads OPENAI_API_VERSION; AZURE_OPENAI_API_VERSION is the name Azure's own samples use. */
const API_VERSION_ENV = ['OPENAI_API_VERSION', 'AZURE_OPENAI_API_VERSION'] as const;
/** Used when none is set: a version that serves both chat.completions and responses. */
export const DEFAULT_AZURE_API_VERSION = '2025-04-01-preview';

/** {endpoint}/openai, the base URL the SDK derives from an endpoint (passed explicitly so the SDK
 *  never reads OPENAI_BASE_URL, which belongs to OpenAI). */
export function azureBaseUrl(config: ProviderConfig): string {
  const endpoint = config.baseURL?.trim().replace(/\/+$/, '');
  if (endpoint === undefined || endpoint === '') {
    throw new ProviderConfigError(
      `Azure OpenAI needs the resource endpoint (https://<resource>.openai.azure.com): set ${ENDPOINT_ENV} or the traceReplay.providers.azure.endpoint setting.`,
    );
  }
  return endpoint.endsWith('/openai') ? endpoint : `${endpoint}/openai`;
}

export const azureProvider: ProviderAdapter<AzureOpenAI> = {
  id: 'azure',
  displayName: 'Azure OpenAI',
  apis: ['chat.completions', 'responses'],
  recordedProviders: ['azure.ai.openai'],
  // Deployment names are the user's own: a bare name is never taken for Azure.
  modelPrefixes: [],
  credentials: 'api-key',
  keyEnvVars: KEY_ENV_VARS,
  baseUrlEnvVar: ENDPOINT_ENV,
  secretId: 'azure',
  priceProviderId: 'azure',
  parameters: OPENAI_PARAMETERS,
  settings: [
    { key: 'endpoint', field: 'baseURL' },
    { key: 'apiVersion', field: 'apiVersion' },
  ],

  configFromEnv(env) {
    const key = firstEnv(env, KEY_ENV_VARS);
    const endpoint = firstEnv(env, [ENDPOINT_ENV]);
    if (key === undefined && endpoint === undefined) return undefined;
    const config: ProviderConfig = { kind: 'azure', apiKey: key?.value, keySource: KEY_ENV_VARS[0] };
    if (endpoint !== undefined) config.baseURL = endpoint.value;
    const version = firstEnv(env, API_VERSION_ENV);
    if (version !== undefined) config.apiVersion = version.value;
    return config;
  },
  buildBody: (ctx, messages) => buildOpenAiBody(ctx, messages, AZURE_DIALECT),
  createClient(config, fetch) {
    return new (openaiSdk().AzureOpenAI)({
      apiKey: config.apiKey,
      baseURL: azureBaseUrl(config),
      apiVersion: config.apiVersion ?? DEFAULT_AZURE_API_VERSION,
      // Unset: the request's model names the deployment (the SDK puts it in the path).
      ...(config.deployment !== undefined ? { deployment: config.deployment } : {}),
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      defaultHeaders: config.headers,
      fetch,
    });
  },
  send: sendOpenAi,
  mapError: (err, provider, retries, signal, config) => mapOpenAiError(err, provider, retries, signal, config.baseURL),
};
