// Provider connection settings from the environment (the CLI): each registered adapter reads its own
// variables (the SDKs' own: OPENAI_API_KEY, ANTHROPIC_API_KEY, AZURE_OPENAI_ENDPOINT, ...); the
// OpenAI-compatible endpoint profiles (Ollama, vLLM, OpenRouter, ...) come as JSON in
// TRACE_REPLAY_ENDPOINTS. The extension builds the same ProviderConfigs from its settings and
// SecretStorage instead, naming the setting in keySource.
import { nonEmpty, ProviderConfigError } from './config-values';
import type { ProviderConfig, ProviderConfigs } from './llm-types';
import { allProviders } from './provider-registry';

export { ProviderConfigError } from './config-values';

function numberEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = nonEmpty(env[name]);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ProviderConfigError(`${name} must be a non-negative number, got "${v}".`);
  return n;
}

/** TRACE_REPLAY_TIMEOUT_MS / TRACE_REPLAY_MAX_RETRIES, applied to every connection that does not set its own. */
export function commonConfigFromEnv(env: NodeJS.ProcessEnv): Partial<ProviderConfig> {
  const timeoutMs = numberEnv(env, 'TRACE_REPLAY_TIMEOUT_MS');
  const maxRetries = numberEnv(env, 'TRACE_REPLAY_MAX_RETRIES');
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  };
}

/**
 * Every adapter's connection from the environment, by name: the adapter id for single-connection
 * providers (openai, anthropic, azure when set up, offline), then the endpoint profiles by their
 * names (a profile named like a provider replaces it, as profiles always could). Keys stay in the
 * configs only.
 */
export function providerConfigsFromEnv(env: NodeJS.ProcessEnv): ProviderConfigs {
  const common = commonConfigFromEnv(env);
  const configs: ProviderConfigs = {};
  for (const adapter of allProviders()) {
    if (adapter.configsFromEnv !== undefined) continue;
    const config = adapter.configFromEnv(env);
    if (config !== undefined) configs[adapter.id] = { ...common, ...config };
  }
  for (const adapter of allProviders()) {
    for (const [name, config] of Object.entries(adapter.configsFromEnv?.(env) ?? {})) configs[name] = { ...common, ...config };
  }
  return configs;
}
