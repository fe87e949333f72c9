// OpenAI-compatible endpoint profiles from the environment: JSON in TRACE_REPLAY_ENDPOINTS, one
// named connection per server (Ollama, vLLM, OpenRouter, ...). The extension reads the same
// profiles from its traceReplay.providers.endpoints setting instead.
import { nonEmpty, ProviderConfigError } from '../../config-values';
import type { ProviderConfig, ProviderConfigs } from '../../llm-types';

export const ENDPOINTS_ENV = 'TRACE_REPLAY_ENDPOINTS';

/** One endpoint profile as written in TRACE_REPLAY_ENDPOINTS. */
interface EndpointJson {
  baseURL?: unknown;
  /** Name of the env var holding the key (preferred: keeps the key out of the JSON). */
  apiKeyEnv?: unknown;
  apiKey?: unknown;
  headers?: unknown;
  timeoutMs?: unknown;
  maxRetries?: unknown;
}

/**
 * TRACE_REPLAY_ENDPOINTS='{"ollama":{"baseURL":"http://127.0.0.1:11434/v1"},
 *   "openrouter":{"baseURL":"https://openrouter.ai/api/v1","apiKeyEnv":"OPENROUTER_API_KEY"}}'
 * A profile without apiKeyEnv/apiKey needs no key. Names are lowercased.
 */
export function endpointConfigsFromEnv(env: NodeJS.ProcessEnv): ProviderConfigs {
  const raw = nonEmpty(env[ENDPOINTS_ENV]);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ProviderConfigError(`${ENDPOINTS_ENV} is not valid JSON; expected {"name":{"baseURL":"http://..."}}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderConfigError(
      `${ENDPOINTS_ENV} must be a JSON object of profiles, e.g. {"ollama":{"baseURL":"http://127.0.0.1:11434/v1"}}.`,
    );
  }
  const configs: ProviderConfigs = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    configs[name.toLowerCase()] = endpointConfig(name, value as EndpointJson, env);
  }
  return configs;
}

function endpointConfig(name: string, e: EndpointJson, env: NodeJS.ProcessEnv): ProviderConfig {
  if (typeof e !== 'object' || e === null || typeof e.baseURL !== 'string' || e.baseURL === '') {
    throw new ProviderConfigError(`${ENDPOINTS_ENV}: profile "${name}" needs a "baseURL" string.`);
  }
  const config: ProviderConfig = { kind: 'openai-compatible', baseURL: e.baseURL };
  if (typeof e.apiKeyEnv === 'string' && e.apiKeyEnv !== '') {
    config.apiKey = nonEmpty(env[e.apiKeyEnv]);
    config.keySource = e.apiKeyEnv;
  } else if (typeof e.apiKey === 'string' && e.apiKey !== '') {
    config.apiKey = e.apiKey;
    config.keySource = `${ENDPOINTS_ENV} (${name}.apiKey)`;
  } else {
    config.keyOptional = true;
  }
  if (typeof e.headers === 'object' && e.headers !== null && !Array.isArray(e.headers)) {
    config.headers = Object.fromEntries(
      Object.entries(e.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
  }
  if (typeof e.timeoutMs === 'number') config.timeoutMs = e.timeoutMs;
  if (typeof e.maxRetries === 'number') config.maxRetries = e.maxRetries;
  return config;
}
