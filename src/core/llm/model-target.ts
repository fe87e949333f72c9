// Which provider/model/API a replayed call goes to: parsed from a `provider:model` spec (or a bare
// model name with a well-known prefix), or read from the recorded call itself.
import type { LlmCall } from '../model/trace';
import { UnknownModelError } from './llm-errors';
import type { ModelTarget, ProviderConfigs } from './llm-types';

const OPENAI_PREFIXES = [/^gpt-/, /^o[134](-|$)/, /^chatgpt-/, /^text-/, /^davinci/];
const ANTHROPIC_PREFIXES = [/^claude-/];

/** The provider a bare model name belongs to by its well-known prefix, if any. */
export function providerForModelName(model: string): 'openai' | 'anthropic' | undefined {
  const m = model.toLowerCase();
  if (OPENAI_PREFIXES.some((re) => re.test(m))) return 'openai';
  if (ANTHROPIC_PREFIXES.some((re) => re.test(m))) return 'anthropic';
  return undefined;
}

/**
 * `openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`, `ollama:llama3.1:8b` (a configured profile;
 * the model keeps any further colons) or a bare `gpt-4o-mini` / `claude-haiku-4-5`.
 */
export function parseModelSpec(spec: string, configs: ProviderConfigs): ModelTarget {
  const text = spec.trim();
  const configured = Object.keys(configs);
  if (text === '') throw new UnknownModelError(spec, configured, 'No model given.');
  const colon = text.indexOf(':');
  if (colon > 0) {
    const provider = text.slice(0, colon).toLowerCase();
    const model = text.slice(colon + 1).trim();
    if (configs[provider] !== undefined) {
      if (model === '') throw new UnknownModelError(spec, configured, `"${spec}" names provider ${provider} but no model.`);
      return { provider, model };
    }
    // A bare Ollama-style name (llama3.1:8b) has a colon too; only a known prefix makes it a provider.
    if (providerForModelName(text) === undefined) {
      throw new UnknownModelError(spec, configured, `No provider named "${provider}" is configured.`);
    }
  }
  const provider = providerForModelName(text);
  if (provider === undefined) throw new UnknownModelError(spec, configured);
  return { provider, model: text };
}

/** Bedrock and Vertex spell Claude models their own way; the Anthropic API name is recovered where
 *  the pattern is known (us.anthropic.claude-3-5-sonnet-20240620-v1:0, claude-3-5-sonnet@20240620). */
function anthropicModelName(model: string): string | undefined {
  const bedrock = /^(?:[a-z]{2,6}\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$/.exec(model);
  if (bedrock) return bedrock[1];
  const vertex = /^(claude-[a-z0-9.-]+)@(\d{8})$/.exec(model);
  if (vertex) return `${vertex[1]}-${vertex[2]}`;
  return model.startsWith('claude-') ? model : undefined;
}

/** The provider, model and API the call was recorded with, mapped onto our provider names. */
export function targetForRecorded(call: LlmCall): ModelTarget {
  const model = call.requestModel ?? call.responseModel;
  const recordedProvider = call.provider?.toLowerCase();
  if (model === undefined || model === '') {
    throw new UnknownModelError('', [], 'The recorded call names no model; choose one with --model provider:model.');
  }
  const api = call.api === 'unknown' ? undefined : call.api;
  const withApi = (provider: string, m: string): ModelTarget => (api !== undefined ? { provider, model: m, api } : { provider, model: m });
  switch (recordedProvider) {
    case 'openai':
    case 'anthropic':
      return withApi(recordedProvider, model);
    case 'azure.ai.openai':
      // Azure deployments need their own endpoint: a profile named "azure" (openai-compatible).
      return withApi('azure', model);
    case 'aws.bedrock':
    case 'gcp.vertex_ai': {
      const claude = anthropicModelName(model);
      if (claude !== undefined) return { provider: 'anthropic', model: claude, api: 'anthropic.messages' };
      return withApi(recordedProvider, model);
    }
    case undefined:
    case '': {
      const byName = providerForModelName(model);
      if (byName !== undefined) return withApi(byName, model);
      if (call.api === 'anthropic.messages') return withApi('anthropic', model);
      if (call.api === 'chat.completions' || call.api === 'responses') return withApi('openai', model);
      throw new UnknownModelError(model, [], `The recorded call does not say which provider served "${model}".`);
    }
    default:
      return withApi(recordedProvider, model);
  }
}
