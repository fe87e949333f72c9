// Provider connection settings. The built-in providers' (every adapter but the endpoint profiles')
// come from one place for the CLI and the extension: each adapter reads its own environment
// variables (the SDKs' own: OPENAI_API_KEY, ANTHROPIC_API_KEY, AZURE_OPENAI_ENDPOINT, ...), then the
// extension's stored key and settings (traceReplay.providers.<id>.<key>) take precedence. The
// OpenAI-compatible endpoint profiles (Ollama, vLLM, OpenRouter, ...) come as JSON in
// TRACE_REPLAY_ENDPOINTS in the CLI, from the endpoints setting in the extension.
import { nonEmpty, ProviderConfigError } from './config-values';
import type { ProviderConfig, ProviderConfigs } from './llm-types';
import type { ProviderAdapter, ProviderSetting } from './provider-adapter';
import { allProviders, pickerProviders, providerSettings } from './provider-registry';

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

/** Where a built-in provider's connection comes from: the environment (all the CLI has), and in VS
 *  Code the key in SecretStorage over the env one and the settings over both. */
export interface BuiltInConfigSources {
  env: NodeJS.ProcessEnv;
  /** The adapter's stored key, when there is one (asked of API-key adapters only). */
  key?(adapter: ProviderAdapter): string | undefined;
  /** One of the adapter's settings, '' when not set. */
  setting?(adapter: ProviderAdapter, setting: ProviderSetting): string;
  /** Where a missing key goes, named by MissingApiKeyError (absent: the adapter's own, its env var). */
  keySource?(adapter: ProviderAdapter): string;
}

/** One built-in adapter's connection, or undefined when it is set up nowhere (then it is not
 *  offered). The stored key goes where the adapter reads its key, so the adapter decides what it
 *  means; a setting replaces the value the adapter read from the environment. */
export function builtInProviderConfig(
  adapter: ProviderAdapter,
  sources: BuiltInConfigSources,
): ProviderConfig | undefined {
  const keyed = adapter.credentials === 'api-key';
  const key = keyed ? sources.key?.(adapter) : undefined;
  const env =
    key !== undefined && adapter.keyEnvVars.length > 0 ? { ...sources.env, [adapter.keyEnvVars[0]]: key } : sources.env;
  let config = adapter.configFromEnv(env);
  for (const setting of sources.setting ? providerSettings(adapter) : []) {
    const value = sources.setting!(adapter, setting).trim();
    if (value === '') continue;
    config ??= { kind: adapter.id };
    config[setting.field] = value;
  }
  if (config === undefined && key !== undefined) config = { kind: adapter.id };
  if (config !== undefined && key !== undefined) config.apiKey = key;
  if (config !== undefined && keyed && sources.keySource) config.keySource = sources.keySource(adapter);
  return config;
}

/** The built-in providers' connections by adapter id (openai, anthropic, azure when set up, ...,
 *  offline): the part of ProviderConfigs the CLI and the extension build alike. */
export function builtInProviderConfigs(sources: BuiltInConfigSources): ProviderConfigs {
  const configs: ProviderConfigs = {};
  for (const adapter of pickerProviders()) {
    const config = builtInProviderConfig(adapter, sources);
    if (config !== undefined) configs[adapter.id] = config;
  }
  return configs;
}

/**
 * Every adapter's connection from the environment (the CLI), by name: the built-in providers by
 * adapter id, then the endpoint profiles by their names (a profile named like a provider replaces
 * it, as profiles always could). Keys stay in the configs only.
 */
export function providerConfigsFromEnv(env: NodeJS.ProcessEnv): ProviderConfigs {
  const common = commonConfigFromEnv(env);
  const configs: ProviderConfigs = {};
  for (const [id, config] of Object.entries(builtInProviderConfigs({ env }))) configs[id] = { ...common, ...config };
  for (const adapter of allProviders()) {
    for (const [name, config] of Object.entries(adapter.configsFromEnv?.(env) ?? {}))
      configs[name] = { ...common, ...config };
  }
  return configs;
}
