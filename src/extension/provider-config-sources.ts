// One registry adapter's ProviderConfig in VS Code, from its three sources: the environment (read
// by the adapter, as in the CLI), the key in SecretStorage over the env one, and its settings
// (traceReplay.providers.<id>.<key>) over both. Pure (no vscode import), so it is unit-tested.
import type { ProviderConfig } from '../core/llm/llm-types';
import type { ProviderAdapter, ProviderSetting } from '../core/llm/provider-adapter';
import { providerSettings } from '../core/llm/provider-registry';

export interface AdapterConfigSources {
  env: NodeJS.ProcessEnv;
  /** The stored key (SecretStorage, or its env fallback), when there is one. */
  key?: string;
  /** The adapter's setting, '' when not set. */
  setting(setting: ProviderSetting): string;
  /** Where a missing key goes, named by MissingApiKeyError (the Set API Key command and env vars). */
  keySource: string;
}

/** Undefined when the adapter is set up nowhere (then it is not offered, as in the CLI). */
export function adapterConfig(adapter: ProviderAdapter, sources: AdapterConfigSources): ProviderConfig | undefined {
  const keyed = adapter.credentials === 'api-key';
  const key = keyed ? sources.key : undefined;
  // The stored key goes where the adapter reads its key, so the adapter decides what it means.
  const env = key !== undefined && adapter.keyEnvVars.length > 0 ? { ...sources.env, [adapter.keyEnvVars[0]]: key } : sources.env;
  let config = adapter.configFromEnv(env);
  for (const setting of providerSettings(adapter)) {
    const value = sources.setting(setting).trim();
    if (value === '') continue;
    config ??= { kind: adapter.id };
    config[setting.field] = value;
  }
  if (config === undefined && key !== undefined) config = { kind: adapter.id };
  if (config !== undefined && key !== undefined) config.apiKey = key;
  if (config !== undefined && keyed) config.keySource = sources.keySource;
  return config;
}
