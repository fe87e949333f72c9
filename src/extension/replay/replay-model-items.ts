// The rows of the model step of "Replay Trace" (and "Replay with This Prompt Version"): keep the
// recorded model, the user's models, one group per provider with its key state, the endpoint
// profiles, Custom, and the row offered for a typed provider:model.
import { errorMessage } from '../../core/util/error-message';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { ProviderAdapter } from '../../core/llm/provider-adapter';
import { isUsable, pickerProviders } from '../../core/llm/provider-registry';
import type { Trace } from '../../core/model/trace';
import { SET_API_KEY_BUTTON } from '../common/next-actions';
import { getSetting } from '../common/settings';
import { endpointProfiles } from '../keys/provider-settings';
import { modelSpecProblem, replayKeyProblems, resolveModelSpec } from './replay-key-check';
import { recordedModels } from './replay-summary';

export interface ModelItem extends vscode.QuickPickItem {
  /** The model spec this row picks (absent: keep the recorded model). */
  spec?: string;
  /** Opens the typed input, prefilled with this text. */
  custom?: string;
  /** A typed spec that is not valid: picking it keeps the step open (the reason is its detail). */
  problem?: string;
}
export const KEY_SET = 'key set';
export const NO_KEY = `no key — ${SET_API_KEY_BUTTON}`;
export const NO_KEY_NEEDED = 'no key needed';

/** "key set" / "no key — Set API Key..." / "no key needed" for a provider id (an adapter of the
 *  registry or an endpoint profile). */
export function keyState(provider: string, configs: ProviderConfigs): string {
  const config = configs[provider];
  const adapter = pickerProviders().find((a) => a.id === provider);
  if (adapter?.credentials === 'none' || config?.keyOptional === true) return NO_KEY_NEEDED;
  if (adapter?.credentials === 'aws')
    return config !== undefined ? 'AWS credentials set up' : 'not set up — needs AWS credentials';
  if (adapter !== undefined) return isUsable(adapter, config) ? KEY_SET : NO_KEY;
  if (config !== undefined) return config.apiKey ? KEY_SET : NO_KEY;
  return 'unknown provider';
}

function specState(spec: string, configs: ProviderConfigs): string {
  try {
    return keyState(resolveModelSpec(spec, configs).provider, configs);
  } catch (err) {
    return errorMessage(err);
  }
}

/** Set-up providers first (registry order), the offline stand-in, then those without a key. */
function providerOrder(configs: ProviderConfigs): ProviderAdapter[] {
  const rank = (a: ProviderAdapter): number => {
    const state = keyState(a.id, configs);
    return state === KEY_SET || state === 'AWS credentials set up' ? 0 : state === NO_KEY_NEEDED ? 1 : 2;
  };
  return [...pickerProviders()].sort((a, b) => rank(a) - rank(b));
}

/** The model step's rows: keep the recorded model, the user's models, then one group per provider
 *  (a separator with its name, each row saying its key state), the endpoint profiles, and Custom. */
export function modelItems(traces: Trace[], configs: ProviderConfigs): ModelItem[] {
  const offered = new Set<string>();
  const recordedProblems = replayKeyProblems(traces, undefined, configs);
  const recordedState =
    recordedProblems.length === 0
      ? 'ready'
      : recordedProblems[0].kind === 'missing-key'
        ? `no key for ${recordedProblems[0].displayName}`
        : 'cannot be called as recorded';
  const items: ModelItem[] = [
    { label: '$(history) Keep recorded model', description: `${recordedModels(traces).join(', ')} · ${recordedState}` },
  ];
  const add = (spec: string, description: string, detail?: string): void => {
    if (offered.has(spec)) return;
    offered.add(spec);
    items.push({ label: spec, spec, description, ...(detail ? { detail } : {}) });
  };
  // The models setting's entries go first into their provider's group; those of no known provider
  // get a group of their own.
  const byProvider = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const m of getSetting('models')) {
    if (typeof m !== 'string' || m.trim() === '') continue;
    let provider: string | undefined;
    try {
      provider = resolveModelSpec(m.trim(), configs).provider;
    } catch {
      provider = undefined;
    }
    if (provider === undefined) unplaced.push(m.trim());
    else byProvider.set(provider, [...(byProvider.get(provider) ?? []), m.trim()]);
  }
  const group = (
    label: string,
    specs: string[],
    describe: (spec: string) => string,
    typeHint?: { label: string; description: string; prefix: string },
  ): void => {
    const fresh = [...new Set(specs)].filter((spec) => !offered.has(spec));
    if (!fresh.length && !typeHint) return; // no separator without rows
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    for (const spec of fresh) add(spec, describe(spec));
    if (!fresh.length && typeHint)
      items.push({ label: typeHint.label, description: typeHint.description, custom: typeHint.prefix });
  };
  for (const a of providerOrder(configs)) {
    const state = keyState(a.id, configs);
    const specs = [...(byProvider.get(a.id) ?? []), ...(a.suggestedModels ?? []).map((m) => `${a.id}:${m}`)];
    // A provider without suggestions (Azure: your deployment names) is still listed, to type into.
    group(a.displayName, specs, () => state, {
      label: `$(edit) ${a.id}:…`,
      description: `${state} · type the model or deployment name`,
      prefix: `${a.id}:`,
    });
  }
  for (const p of endpointProfiles()) {
    const state = keyState(p.name, configs);
    const specs = [...(byProvider.get(p.name) ?? []), ...(p.models ?? []).map((m) => `${p.name}:${m}`)];
    group(`Endpoint "${p.name}"`, specs, () => `${state} · ${p.baseUrl}`, {
      label: `$(edit) ${p.name}:…`,
      description: `${state} · ${p.baseUrl}`,
      prefix: `${p.name}:`,
    });
  }
  group('Your models', unplaced, (spec) => specState(spec, configs));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(edit) Custom…', description: 'type provider:model', custom: '' });
  return items;
}

/** The row offered for typed text: the spec with its key state, or why it cannot be used. */
export function typedModelItem(value: string, items: ModelItem[], configs: ProviderConfigs): ModelItem | undefined {
  const text = value.trim();
  if (text === '' || items.some((i) => i.spec === text)) return undefined;
  const problem = modelSpecProblem(text, configs);
  if (problem !== undefined)
    return { label: text, description: '$(error) cannot be used', detail: problem, problem, alwaysShow: true };
  return {
    label: text,
    spec: text,
    description: `use the typed model · ${specState(text, configs)}`,
    alwaysShow: true,
  };
}
