// The provider registry: every adapter, one line each, and the lookups the rest of the app uses
// (by id, by recorded provider name, by bare model name, all for pickers). Nothing outside the
// providers' folders names a provider; a new one is its folder, one line here and its tests.
import type { ProviderConfig } from './llm-types';
import type { ProviderAdapter, ProviderSetting } from './provider-adapter';
import { anthropicProvider } from './providers/anthropic/anthropic-provider';
import { azureProvider } from './providers/azure/azure-provider';
import { bedrockProvider } from './providers/bedrock/bedrock-provider';
import { geminiProvider } from './providers/gemini/gemini-provider';
import { offlineProvider } from './providers/offline/offline-provider';
import { openaiCompatibleProvider } from './providers/openai-compatible/openai-compatible-provider';
import { openaiProvider } from './providers/openai/openai-provider';

/** In lookup order: the first adapter that claims a model prefix or a recorded API wins. */
const ADAPTERS: readonly ProviderAdapter[] = [
  openaiProvider,
  anthropicProvider,
  azureProvider,
  geminiProvider,
  bedrockProvider,
  openaiCompatibleProvider,
  offlineProvider,
] as ProviderAdapter[];

/** The adapter of the named endpoint profiles (TRACE_REPLAY_ENDPOINTS, the endpoints setting), and
 *  the one a target that names no registered provider is taken for. */
export const ENDPOINT_PROFILES: ProviderAdapter = openaiCompatibleProvider as ProviderAdapter;

/** Lookups over a list of adapters. The app uses PROVIDERS (the list above); tests may build one
 *  over other adapters. */
export class ProviderRegistry {
  constructor(private readonly adapters: readonly ProviderAdapter[]) {}

  /** Every adapter, in registry order. */
  all(): readonly ProviderAdapter[] {
    return this.adapters;
  }

  byId(id: string): ProviderAdapter | undefined {
    const key = id.toLowerCase();
    return this.adapters.find((a) => a.id === key);
  }

  /** The adapter of a config (its kind is an adapter id). */
  forConfig(config: ProviderConfig): ProviderAdapter | undefined {
    return this.byId(config.kind);
  }

  /** The adapter that replays calls recorded with this (normalized) provider name. */
  forRecorded(recordedProvider: string): ProviderAdapter | undefined {
    const key = recordedProvider.toLowerCase();
    return this.adapters.find((a) => a.recordedProviders.includes(key));
  }

  /** The adapter a bare model name belongs to by its well-known prefix (gpt-4o -> openai). */
  forModelName(model: string): ProviderAdapter | undefined {
    const m = model.toLowerCase();
    return this.adapters.find((a) => a.modelPrefixes.some((re) => re.test(m)));
  }

  /** Adapters a user picks a model or a key for: all but the several-connection OpenAI-compatible
   *  one, whose profiles are listed instead. */
  pickers(): readonly ProviderAdapter[] {
    return this.adapters.filter((a) => a.configsFromEnv === undefined);
  }
}

export const PROVIDERS = new ProviderRegistry(ADAPTERS);

/** Every adapter, in registry order. */
export function allProviders(): readonly ProviderAdapter[] {
  return PROVIDERS.all();
}

export function providerById(id: string): ProviderAdapter | undefined {
  return PROVIDERS.byId(id);
}

export function providerForConfig(config: ProviderConfig): ProviderAdapter | undefined {
  return PROVIDERS.forConfig(config);
}

export function providerForRecorded(recordedProvider: string): ProviderAdapter | undefined {
  return PROVIDERS.forRecorded(recordedProvider);
}

export function providerForModelName(model: string): ProviderAdapter | undefined {
  return PROVIDERS.forModelName(model);
}

export function pickerProviders(): readonly ProviderAdapter[] {
  return PROVIDERS.pickers();
}

/** The adapters whose key is one secret (the Set API Key list), profiles aside. */
export function apiKeyProviders(): readonly ProviderAdapter[] {
  return pickerProviders().filter((a) => a.credentials === 'api-key');
}

/** Whether a config can be used as it is: it exists and has its key unless it needs none. */
export function isUsable(adapter: ProviderAdapter, config: ProviderConfig | undefined): boolean {
  if (config === undefined) return false;
  return (
    adapter.credentials !== 'api-key' ||
    config.keyOptional === true ||
    (config.apiKey !== undefined && config.apiKey !== '')
  );
}

/** The VS Code settings an adapter reads: its own list, else baseUrl when it has a base URL and
 *  region for AWS credentials. */
export function providerSettings(adapter: ProviderAdapter): readonly ProviderSetting[] {
  if (adapter.settings !== undefined) return adapter.settings;
  const out: ProviderSetting[] = [];
  if (adapter.baseUrlEnvVar !== undefined || adapter.defaultBaseURL !== undefined)
    out.push({ key: 'baseUrl', field: 'baseURL' });
  if (adapter.credentials === 'aws') out.push({ key: 'region', field: 'region' });
  return out;
}

/** What to set to configure an adapter (its key and endpoint variables), for error messages. */
export function setupHint(adapter: ProviderAdapter): string {
  const vars = [
    ...adapter.keyEnvVars.slice(0, 1),
    ...(adapter.baseUrlEnvVar !== undefined && adapter.defaultBaseURL === undefined ? [adapter.baseUrlEnvVar] : []),
  ];
  return vars.length > 0 ? `set ${vars.join(' and ')}` : `configure ${adapter.displayName}`;
}
