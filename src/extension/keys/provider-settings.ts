// ProviderConfigs for the replay engine, one per adapter of the provider registry plus the endpoint
// profiles: each adapter reads its environment (as in the CLI), then its settings
// (traceReplay.providers.<id>.baseUrl / .endpoint / .region / .apiVersion) and the key in
// SecretStorage take precedence. keySource tells the user where a missing key goes, so the engine's
// MissingApiKeyError names the Set API Key command.
import { builtInProviderConfigs } from '../../core/llm/provider-configs';
import { apiKeyProviders, ENDPOINT_PROFILES } from '../../core/llm/provider-registry';
import type { ProviderConfig, ProviderConfigs } from '../../core/llm/llm-types';
import { endpointKeyName, envVarsFor, providerKeyName, type ApiKeyName, type ApiKeys } from './api-keys';
import { getSetting, providerSettingKey, type EndpointProfile } from '../common/settings';

export const SET_API_KEY_TITLE = 'Trace Replay: Set API Key...';

function keySource(name: ApiKeyName): string {
  return `the key with "${SET_API_KEY_TITLE}" or the ${envVarsFor(name).join(' / ')} environment variable`;
}

/** The endpoint profiles of the setting that are usable: a name and a base URL, names unique (the
 *  first wins). A profile named like a provider of the registry replaces it, as in the CLI (so an
 *  "azure" profile made before Azure OpenAI had its own provider keeps working). */
export function endpointProfiles(): EndpointProfile[] {
  const seen = new Set<string>();
  const out: EndpointProfile[] = [];
  for (const p of getSetting('providers.endpoints')) {
    if (typeof p !== 'object' || p === null) continue;
    if (typeof p.name !== 'string' || typeof p.baseUrl !== 'string' || !p.name.trim() || !p.baseUrl.trim()) continue;
    const name = p.name.trim().toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ ...p, name });
  }
  return out;
}

export async function buildProviderConfigs(
  keys: ApiKeys,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProviderConfigs> {
  const stored = new Map<string, string | undefined>();
  for (const adapter of apiKeyProviders()) stored.set(adapter.id, (await keys.get(providerKeyName(adapter)))?.value);
  // The built-in providers as the CLI builds them from the environment, the stored keys and settings over it.
  const configs: ProviderConfigs = builtInProviderConfigs({
    env,
    key: (adapter) => stored.get(adapter.id),
    setting: (adapter, setting) => getSetting(providerSettingKey(adapter.id, setting)),
    keySource: (adapter) => keySource(providerKeyName(adapter)),
  });
  for (const p of endpointProfiles()) {
    const keyName = endpointKeyName(p.name);
    const config: ProviderConfig = {
      kind: ENDPOINT_PROFILES.id,
      baseURL: p.baseUrl.trim(),
      keySource: keySource(keyName),
    };
    const key = (await keys.get(keyName))?.value;
    if (key) config.apiKey = key;
    // A local server needs no key; one given anyway is still sent.
    if (!p.apiKeyRequired) config.keyOptional = true;
    configs[p.name] = config;
  }
  return configs;
}
