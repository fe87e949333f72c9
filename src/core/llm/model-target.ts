// Which provider/model/API a replayed call goes to: parsed from a `provider:model` spec (or a bare
// model name with a well-known prefix), or read from the recorded call itself. Which names belong
// to which provider comes from the registry's adapters.
import type { LlmCall } from '../model/trace';
import { UnknownModelError } from './llm-errors';
import type { ModelTarget, ProviderConfigs } from './llm-types';
import type { ProviderAdapter } from './provider-adapter';
import { isUsable, PROVIDERS, type ProviderRegistry } from './provider-registry';

/** The provider a bare model name belongs to by its well-known prefix, if any. */
export function providerForModelName(model: string, registry: ProviderRegistry = PROVIDERS): string | undefined {
  return registry.forModelName(model)?.id;
}

/**
 * `openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`, `ollama:llama3.1:8b` (a configured profile;
 * the model keeps any further colons) or a bare `gpt-4o-mini` / `claude-haiku-4-5`.
 */
export function parseModelSpec(
  spec: string,
  configs: ProviderConfigs,
  registry: ProviderRegistry = PROVIDERS,
): ModelTarget {
  const text = spec.trim();
  const configured = Object.keys(configs);
  if (text === '') throw new UnknownModelError(spec, configured, 'No model given.');
  const colon = text.indexOf(':');
  if (colon > 0) {
    const provider = text.slice(0, colon).toLowerCase();
    const model = text.slice(colon + 1).trim();
    if (configs[provider] !== undefined) {
      if (model === '')
        throw new UnknownModelError(spec, configured, `"${spec}" names provider ${provider} but no model.`);
      return { provider, model };
    }
    // A bare Ollama-style name (llama3.1:8b) has a colon too; only a known prefix makes it a provider.
    if (providerForModelName(text, registry) === undefined) {
      throw new UnknownModelError(spec, configured, `No provider named "${provider}" is configured.`);
    }
  }
  const provider = providerForModelName(text, registry);
  if (provider === undefined) throw new UnknownModelError(spec, configured);
  return { provider, model: text };
}

/** Whether an adapter takes this model name: any name when it lists no prefixes (Azure deployments). */
function claims(adapter: ProviderAdapter, model: string): boolean {
  const m = model.toLowerCase();
  return adapter.modelPrefixes.length === 0 || adapter.modelPrefixes.some((re) => re.test(m));
}

/** A configured provider that serves a model recorded on `recordedProvider` under its own name for
 *  it (Claude recorded on Bedrock or Vertex -> Anthropic). */
function fallbackTarget(
  recordedProvider: string,
  model: string,
  configs: ProviderConfigs,
  registry: ProviderRegistry,
): ModelTarget | undefined {
  for (const adapter of registry.all()) {
    if (configs[adapter.id] === undefined) continue;
    const name = adapter.fallbackModel?.(recordedProvider, model);
    if (name !== undefined) return { provider: adapter.id, model: name, api: adapter.apis[0] };
  }
  return undefined;
}

/** The provider, model and API the call was recorded with, mapped onto our provider names: the
 *  adapter that replays that recorded provider when it is set up (and takes the model); else, with
 *  a warning, another configured one that serves the same model (Claude recorded on Bedrock or
 *  Vertex -> Anthropic); else that adapter anyway (execute() then says how to set it up), or a
 *  profile of the recorded name. */
export function targetForRecorded(
  call: LlmCall,
  configs: ProviderConfigs,
  registry: ProviderRegistry = PROVIDERS,
): ModelTarget {
  const model = call.requestModel ?? call.responseModel;
  const recordedProvider = call.provider?.toLowerCase();
  if (model === undefined || model === '') {
    throw new UnknownModelError('', [], 'The recorded call names no model; choose one with --model provider:model.');
  }
  const api = call.api === 'unknown' ? undefined : call.api;
  const withApi = (provider: string, m: string): ModelTarget =>
    api !== undefined ? { provider, model: m, api } : { provider, model: m };
  if (recordedProvider === undefined || recordedProvider === '') {
    const byName = providerForModelName(model, registry);
    if (byName !== undefined) return withApi(byName, model);
    // The first adapter that replays recorded calls of this API (openai before azure).
    const byApi = registry
      .all()
      .find((a) => a.recordedProviders.length > 0 && api !== undefined && a.apis.includes(api));
    if (byApi !== undefined) return withApi(byApi.id, model);
    throw new UnknownModelError(model, [], `The recorded call does not say which provider served "${model}".`);
  }
  const own = registry.forRecorded(recordedProvider);
  if (own !== undefined && isUsable(own, configs[own.id]) && claims(own, model)) return withApi(own.id, model);
  const fallback = fallbackTarget(recordedProvider, model, configs, registry);
  if (fallback !== undefined) {
    // Not serving the model is the deeper reason: setting the provider up would not help.
    const unserved = own !== undefined && !claims(own, model);
    const why =
      own === undefined
        ? `no provider for ${recordedProvider} is registered`
        : unserved
          ? `${own.displayName} does not serve that model`
          : `${own.displayName} is not set up`;
    const fix =
      own !== undefined && !unserved
        ? `set up ${own.id} to replay it where it ran, or pick a model`
        : 'pick a model to choose otherwise';
    fallback.warnings = [
      `recorded on ${recordedProvider} as ${model}; ${why}, so it is replayed on ${fallback.provider} as ${fallback.model} (${fix}).`,
    ];
    return fallback;
  }
  return withApi(own?.id ?? recordedProvider, model);
}
