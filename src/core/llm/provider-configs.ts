// Provider connection settings from the environment (the CLI). The SDKs' own variables configure
// openai and anthropic; more OpenAI-compatible endpoints (Ollama, vLLM, OpenRouter, ...) come as
// JSON in TRACE_REPLAY_ENDPOINTS. The extension builds the same ProviderConfigs from its settings
// and SecretStorage instead, naming the setting in keySource.
import type { ProviderConfig, ProviderConfigs } from './llm-types';

export const ENDPOINTS_ENV = 'TRACE_REPLAY_ENDPOINTS';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/** A TRACE_REPLAY_ENDPOINTS value that is not the documented JSON shape. */
export class ProviderConfigError extends Error {
  readonly code = 'PROVIDER_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

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

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

function numberEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = nonEmpty(env[name]);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ProviderConfigError(`${name} must be a non-negative number, got "${v}".`);
  return n;
}

/**
 * openai: OPENAI_API_KEY, OPENAI_BASE_URL; anthropic: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL.
 * Optional TRACE_REPLAY_TIMEOUT_MS / TRACE_REPLAY_MAX_RETRIES apply to every provider.
 * TRACE_REPLAY_ENDPOINTS='{"ollama":{"baseURL":"http://127.0.0.1:11434/v1"},
 *   "openrouter":{"baseURL":"https://openrouter.ai/api/v1","apiKeyEnv":"OPENROUTER_API_KEY"}}'
 * adds OpenAI-compatible profiles; a profile without apiKeyEnv/apiKey needs no key.
 */
export function providerConfigsFromEnv(env: NodeJS.ProcessEnv): ProviderConfigs {
  const timeoutMs = numberEnv(env, 'TRACE_REPLAY_TIMEOUT_MS');
  const maxRetries = numberEnv(env, 'TRACE_REPLAY_MAX_RETRIES');
  const common: Partial<ProviderConfig> = {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  };
  const configs: ProviderConfigs = {
    openai: {
      kind: 'openai',
      baseURL: nonEmpty(env.OPENAI_BASE_URL) ?? DEFAULT_OPENAI_BASE_URL,
      apiKey: nonEmpty(env.OPENAI_API_KEY),
      keySource: 'OPENAI_API_KEY',
      ...common,
    },
    anthropic: {
      kind: 'anthropic',
      baseURL: nonEmpty(env.ANTHROPIC_BASE_URL) ?? DEFAULT_ANTHROPIC_BASE_URL,
      apiKey: nonEmpty(env.ANTHROPIC_API_KEY),
      keySource: 'ANTHROPIC_API_KEY',
      ...common,
    },
    // The deterministic stand-in (`offline:echo`): used only when chosen, needs nothing.
    offline: { kind: 'offline', keyOptional: true },
  };
  const raw = nonEmpty(env[ENDPOINTS_ENV]);
  if (raw === undefined) return configs;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ProviderConfigError(`${ENDPOINTS_ENV} is not valid JSON; expected {"name":{"baseURL":"http://..."}}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderConfigError(`${ENDPOINTS_ENV} must be a JSON object of profiles, e.g. {"ollama":{"baseURL":"http://127.0.0.1:11434/v1"}}.`);
  }
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    configs[name.toLowerCase()] = endpointConfig(name, value as EndpointJson, env, common);
  }
  return configs;
}

function endpointConfig(name: string, e: EndpointJson, env: NodeJS.ProcessEnv, common: Partial<ProviderConfig>): ProviderConfig {
  if (typeof e !== 'object' || e === null || typeof e.baseURL !== 'string' || e.baseURL === '') {
    throw new ProviderConfigError(`${ENDPOINTS_ENV}: profile "${name}" needs a "baseURL" string.`);
  }
  const config: ProviderConfig = { kind: 'openai-compatible', baseURL: e.baseURL, ...common };
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
    config.headers = Object.fromEntries(Object.entries(e.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  if (typeof e.timeoutMs === 'number') config.timeoutMs = e.timeoutMs;
  if (typeof e.maxRetries === 'number') config.maxRetries = e.maxRetries;
  return config;
}
