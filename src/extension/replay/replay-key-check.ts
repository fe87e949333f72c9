// Before anything is queued: which provider each replayable LLM call of the traces will go to (the
// chosen model, else the recorded one), and whether that provider can be called — its key is in
// SecretStorage or its environment variable, or it needs none (offline, a local endpoint). A
// replay that would fail on a missing key is not queued; the caller shows the problem with its fix.
// Also the model-spec rules of the wizard's typed input (known provider ids from the registry).
import type { ProviderConfigs } from '../../core/llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../../core/llm/model-target';
import type { ProviderAdapter } from '../../core/llm/provider-adapter';
import {
  ENDPOINT_PROFILES,
  isUsable,
  pickerProviders,
  providerById,
  providerForConfig,
} from '../../core/llm/provider-registry';
import type { Trace } from '../../core/model/trace';
import { traceReplayability } from '../../core/replay/replayability';
import { endpointKeyName, envVarsFor, providerKeyName, type ApiKeyName } from '../keys/api-keys';
import { errorMessage } from '../../core/util/error-message';

/** Why the replay cannot start. */
export type KeyProblem =
  /** A provider that needs a key has none. */
  | { kind: 'missing-key'; provider: string; displayName: string; keyName: ApiKeyName; envVars: readonly string[] }
  /** A provider with AWS credentials is not set up (no key to set: the credential chain and a region). */
  | { kind: 'not-set-up'; provider: string; displayName: string }
  /** The model names no known provider (or the recorded call names none). */
  | { kind: 'model'; message: string };

/** Every provider id a model spec may name: the registry's (set up or not) and the configured
 *  endpoint profiles. */
export function knownProviderIds(configs: ProviderConfigs): string[] {
  return [...new Set([...pickerProviders().map((a) => a.id), ...Object.keys(configs)])];
}

/** `provider:model` where provider is known (set up or not), else a bare model of a well-known
 *  prefix (gpt-4o -> openai); throws UnknownModelError otherwise. */
export function resolveModelSpec(spec: string, configs: ProviderConfigs): { provider: string; model: string } {
  const text = spec.trim();
  const colon = text.indexOf(':');
  if (colon > 0) {
    const provider = text.slice(0, colon).toLowerCase();
    const model = text.slice(colon + 1).trim();
    const adapter = providerById(provider);
    // A registry provider not set up yet (no key): the key check then says what is missing.
    if (model !== '' && configs[provider] === undefined && adapter !== undefined && pickerProviders().includes(adapter))
      return { provider, model };
  }
  return parseModelSpec(text, configs);
}

/** The message under a typed model (undefined: fine). Empty text says nothing: the box is not red
 *  before the user typed. */
export function modelSpecProblem(spec: string, configs: ProviderConfigs): string | undefined {
  const text = spec.trim();
  if (text === '') return undefined;
  const colon = text.indexOf(':');
  const known = knownProviderIds(configs);
  if (colon > 0 && text.slice(colon + 1).trim() === '')
    return `Add the model after "${text.slice(0, colon)}:", e.g. ${text.slice(0, colon)}:${suggestion(text.slice(0, colon))}.`;
  try {
    resolveModelSpec(text, configs);
    return undefined;
  } catch {
    const provider = colon > 0 ? text.slice(0, colon) : undefined;
    return provider !== undefined
      ? `Unknown provider "${provider}": use one of ${known.join(', ')} (e.g. openai:gpt-4.1-mini).`
      : `Cannot tell which provider serves "${text}": write it as provider:model with one of ${known.join(', ')}.`;
  }
}

function suggestion(provider: string): string {
  return providerById(provider)?.suggestedModels?.[0] ?? 'model-name';
}

function adapterOf(provider: string, configs: ProviderConfigs): ProviderAdapter | undefined {
  const config = configs[provider];
  return config !== undefined ? providerForConfig(config) : providerById(provider);
}

/** The problem of one target provider, or undefined when it can be called. */
function providerProblem(provider: string, configs: ProviderConfigs): KeyProblem | undefined {
  const adapter = adapterOf(provider, configs);
  const config = configs[provider];
  if (adapter === undefined) return { kind: 'model', message: `No provider named "${provider}" is configured.` };
  if (adapter.credentials === 'aws')
    return config === undefined ? { kind: 'not-set-up', provider, displayName: adapter.displayName } : undefined;
  if (adapter.credentials === 'none') return undefined;
  if (config !== undefined && isUsable(adapter, config)) return undefined;
  // An endpoint profile keeps its key under its own name.
  const profile = config?.kind === ENDPOINT_PROFILES.id;
  const keyName = profile ? endpointKeyName(provider) : providerKeyName(adapter);
  return {
    kind: 'missing-key',
    provider,
    displayName: profile ? `endpoint "${provider}"` : adapter.displayName,
    keyName,
    envVars: envVarsFor(keyName),
  };
}

/** The problems (one per provider, in call order) that would fail these replays; [] when they can start. */
export function replayKeyProblems(traces: Trace[], model: string | undefined, configs: ProviderConfigs): KeyProblem[] {
  const out = new Map<string, KeyProblem>();
  for (const trace of traces) {
    const replayable = new Set(traceReplayability(trace).replayable);
    for (const span of trace.spans) {
      if (!span.llm || !replayable.has(span.id)) continue;
      let provider: string;
      try {
        provider =
          model !== undefined
            ? resolveModelSpec(model, configs).provider
            : targetForRecorded(span.llm, configs).provider;
      } catch (err) {
        const message = errorMessage(err);
        out.set(`model:${message}`, { kind: 'model', message });
        continue;
      }
      if (out.has(provider)) continue;
      const problem = providerProblem(provider, configs);
      if (problem) out.set(provider, problem);
    }
  }
  return [...out.values()];
}

/** One sentence naming the cause and the fix; `what` is e.g. 'this trace' or '2 traces'. */
export function keyProblemMessage(problem: KeyProblem, what: string): string {
  switch (problem.kind) {
    case 'missing-key':
      return `Trace Replay needs an API key for ${problem.displayName} to replay ${what}, so nothing was queued: set it with "Set API Key..." (or the ${problem.envVars.join(' / ')} environment variable).`;
    case 'not-set-up':
      return `Trace Replay cannot replay ${what} on ${problem.displayName}, so nothing was queued: set up AWS credentials and traceReplay.providers.${problem.provider}.region, or choose another model.`;
    case 'model':
      // The error's first sentence (the cause); the fix is the model question.
      return `Trace Replay cannot replay ${what}, so nothing was queued: ${problem.message.split(/(?<=\.)\s/)[0].replace(/\.$/, '')}; choose a model.`;
  }
}
