// ProviderConfigs for the replay engine, built from the settings (base URLs, endpoint profiles)
// and the keys in SecretStorage (environment variables as a fallback). keySource tells the user
// where a missing key goes, so the engine's MissingApiKeyError names the Set API Key command.
import { DEFAULT_ANTHROPIC_BASE_URL, DEFAULT_OPENAI_BASE_URL } from '../core/llm/provider-configs';
import type { ProviderConfig, ProviderConfigs } from '../core/llm/llm-types';
import { endpointKeyName, envVarFor, type ApiKeyName, type ApiKeys } from './api-keys';
import { getSetting, type EndpointProfile } from './settings';

export const SET_API_KEY_TITLE = 'Trace Replay: Set API Key...';

function keySource(name: ApiKeyName): string {
  return `the key with "${SET_API_KEY_TITLE}" or the ${envVarFor(name)} environment variable`;
}

/** The endpoint profiles of the setting that are usable: a name and a base URL, names unique,
 *  not shadowing the built-in providers. */
export function endpointProfiles(): EndpointProfile[] {
  const seen = new Set(['openai', 'anthropic', 'offline']);
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

export async function buildProviderConfigs(keys: ApiKeys): Promise<ProviderConfigs> {
  const configs: ProviderConfigs = {
    openai: {
      kind: 'openai',
      baseURL: getSetting('providers.openai.baseUrl').trim() || DEFAULT_OPENAI_BASE_URL,
      apiKey: (await keys.get('openai'))?.value,
      keySource: keySource('openai'),
    },
    anthropic: {
      kind: 'anthropic',
      baseURL: getSetting('providers.anthropic.baseUrl').trim() || DEFAULT_ANTHROPIC_BASE_URL,
      apiKey: (await keys.get('anthropic'))?.value,
      keySource: keySource('anthropic'),
    },
    // The deterministic stand-in (`offline:echo`): used only when picked, needs nothing.
    offline: { kind: 'offline', keyOptional: true },
  };
  for (const p of endpointProfiles()) {
    const keyName = endpointKeyName(p.name);
    const config: ProviderConfig = { kind: 'openai-compatible', baseURL: p.baseUrl.trim(), keySource: keySource(keyName) };
    const key = (await keys.get(keyName))?.value;
    if (key) config.apiKey = key;
    // A local server needs no key; one given anyway is still sent.
    if (!p.apiKeyRequired) config.keyOptional = true;
    configs[p.name] = config;
  }
  return configs;
}
