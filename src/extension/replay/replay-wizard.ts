// The multi-step quick input of "Replay Trace": (1) model, (2) prompt-template version (only when
// the trace has template-linked spans), (3) parameters, (4) mode, then a summary (trace, model,
// parameters, template, mode, estimated cost range, any missing key) with an explicit "Start
// replay". Resolves with the overrides, or undefined when the user cancels. The model step alone
// is also asked by "Replay with This Prompt Version" (askReplayModel).
import { errorMessage } from '../../core/util/error-message';
import { findPlatform } from '../../core/sources/platform-registry';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { ProviderAdapter } from '../../core/llm/provider-adapter';
import { isUsable, pickerProviders } from '../../core/llm/provider-registry';
import type { Trace } from '../../core/model/trace';
import { loadPromptTemplateFile } from '../../core/prompts/prompt-template';
import { formatTemplateRef, type TemplateRef } from '../../core/prompts/template-ref';
import type { ReplayMode, ReplayOverrides } from '../../core/replay/replay-types';
import { PlatformError } from '../../core/sources/platform-errors';
import { CommandId } from '../common/command-ids';
import { SET_API_KEY_BUTTON } from '../common/next-actions';
import type { PlatformPromptChoice } from '../sources/platform-prompt-choices';
import { BACK, runSteps, WINDOW_INPUTS, type QuickInputs, type StepResult } from '../common/multi-step-input';
import {
  changedParameters,
  formatParameters,
  parseParameters,
  ParameterTextError,
  recordedParameters,
} from './parameter-text';
import { endpointProfiles } from '../keys/provider-settings';
import { estimateReplayCost } from './replay-estimate';
import {
  keyProblemMessage,
  modelSpecProblem,
  replayKeyProblems,
  resolveModelSpec,
  type KeyProblem,
} from './replay-key-check';
import { getSetting } from '../common/settings';
import { spansUsingTemplate, templateNames } from '../templates/template-traces';

interface State {
  model?: string;
  template?: TemplateRef;
  templateSpanIds?: string[];
  parametersText: string;
  parameters?: Record<string, unknown>;
  mode: ReplayMode;
}

export interface ModelItem extends vscode.QuickPickItem {
  /** The model spec this row picks (absent: keep the recorded model). */
  spec?: string;
  /** Opens the typed input, prefilled with this text. */
  custom?: string;
  /** A typed spec that is not valid: picking it keeps the step open (the reason is its detail). */
  problem?: string;
}
interface TemplateItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  prompt?: PlatformPromptChoice;
  /** A row that only informs (a platform could not be read): picking it keeps the step open. */
  inert?: boolean;
}
interface ModeItem extends vscode.QuickPickItem {
  mode: ReplayMode;
}
export interface SummaryItem extends vscode.QuickPickItem {
  /** The "Start replay" row. */
  start?: boolean;
  /** A missing key: picking the row opens "Set API Key..." for it. */
  problem?: KeyProblem;
  /** Which fact the row shows (tests read them by it). */
  fact?: 'trace' | 'model' | 'parameters' | 'template' | 'mode' | 'cost';
}

export const START_REPLAY_LABEL = '$(play) Start replay';
export const KEY_SET = 'key set';
export const NO_KEY = `no key — ${SET_API_KEY_BUTTON}`;
export const NO_KEY_NEEDED = 'no key needed';

function recordedModels(traces: Trace[]): string[] {
  const models = new Set<string>();
  for (const t of traces)
    for (const s of t.spans)
      if (s.llm) models.add(`${s.llm.provider ?? '?'}:${s.llm.requestModel ?? s.llm.responseModel ?? '?'}`);
  return [...models];
}

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

export interface ModelQuestion {
  title: string;
  step?: number;
  totalSteps?: number;
  current?: string;
}

/** The model step: a row, or typed `provider:model` + Enter. Resolves with the spec, null for
 *  "keep the recorded model", BACK, or undefined when cancelled. */
export async function askModel(
  traces: Trace[],
  configs: ProviderConfigs,
  q: ModelQuestion,
  inputs: QuickInputs = WINDOW_INPUTS,
): Promise<StepResult<string | null>> {
  for (;;) {
    const items = modelItems(traces, configs);
    const picked = await inputs.pickOne<ModelItem>({
      title: q.title,
      step: q.step,
      totalSteps: q.totalSteps,
      items,
      activeItem: items.find((i) => i.spec !== undefined && i.spec === q.current),
      placeholder: 'Model to replay the LLM calls with: pick one, or type provider:model and press Enter',
      typedItem: (v) => typedModelItem(v, items, configs),
      inert: (i) => i.problem !== undefined,
    });
    if (picked === undefined || picked === BACK) return picked;
    if (picked.custom === undefined) return picked.spec ?? null;
    const typed = await inputs.inputText({
      title: q.title,
      step: q.step,
      totalSteps: q.totalSteps,
      back: true,
      value: picked.custom || (q.current ?? ''),
      prompt: 'provider:model, e.g. openai:gpt-4.1-mini or anthropic:claude-haiku-4-5',
      validate: (v) => (v.trim() === '' ? 'Type a model as provider:model.' : modelSpecProblem(v, configs)),
    });
    if (typeof typed === 'string') return typed.trim();
    if (typed === undefined) return undefined;
  }
}

function firstLlmParameters(traces: Trace[]): Record<string, unknown> {
  for (const t of traces) for (const s of t.spans) if (s.llm) return recordedParameters(s.llm.parameters);
  return {};
}

export interface WizardDeps {
  /** The provider configuration as it is now (read again after a key is set in the summary). */
  configs(): Promise<ProviderConfigs>;
  templateFiles(): Promise<vscode.Uri[]>;
  /** Versions and labels of the platform prompts the spans are linked to (undefined: none, or no
   *  connection); throws PlatformError when the platform cannot be read. */
  promptChoices?(): Promise<PlatformPromptChoice[] | undefined>;
  /** Default: VS Code's quick input. */
  inputs?: QuickInputs;
}

/** Platform prompt versions as items, read once per wizard (Back does not ask the platform again). */
function promptItemsOnce(deps: WizardDeps): () => Promise<TemplateItem[]> {
  let items: Promise<TemplateItem[]> | undefined;
  const read = async (): Promise<TemplateItem[]> => {
    try {
      const choices = await deps.promptChoices?.();
      if (!choices?.length) return [];
      const platforms = [...new Set(choices.map((c) => c.ref.platform))];
      return platforms.flatMap((platform) => [
        { label: `${displayNameOf(platform)} prompt versions`, kind: vscode.QuickPickItemKind.Separator },
        ...choices
          .filter((c) => c.ref.platform === platform)
          .map((c) => ({ label: `$(cloud) ${c.label}`, description: c.description, detail: c.spec, prompt: c })),
      ]);
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      return [{ label: '$(warning) Platform prompt versions could not be read', detail: err.message, inert: true }];
    }
  };
  return () => (items ??= read());
}

function modeText(mode: ReplayMode): string {
  return mode === 'chained'
    ? 'Chained: later calls see the replayed outputs'
    : 'Independent: each call gets its recorded inputs';
}

function templateText(template: TemplateRef | undefined, linked: boolean): string {
  if (template === undefined) return linked ? 'recorded prompt' : 'recorded prompt (no span is linked to a template)';
  return template.kind === 'file' ? path.basename(template.path) : formatTemplateRef(template);
}

function displayNameOf(platform: string): string {
  return findPlatform(platform)?.displayName ?? platform;
}

/** The summary's rows: Start replay first, then one row per fact, and a row per missing key. */
export function summaryItems(
  traces: Trace[],
  s: {
    model?: string;
    parametersText: string;
    parameters?: Record<string, unknown>;
    template?: TemplateRef;
    mode: ReplayMode;
  },
  configs: ProviderConfigs,
  linked: boolean,
): SummaryItem[] {
  const estimate = estimateReplayCost(traces, s.model, configs);
  const problems = replayKeyProblems(traces, s.model, configs);
  const names = traces.map((t) => t.name || t.id);
  const changed = s.parameters && Object.keys(s.parameters).length ? formatParameters(s.parameters) : undefined;
  const items: SummaryItem[] = [
    { label: START_REPLAY_LABEL, description: traces.length > 1 ? `${traces.length} replays` : undefined, start: true },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    {
      label: 'Trace',
      description: traces.length === 1 ? names[0] : `${traces.length} traces: ${names.join(', ')}`,
      fact: 'trace',
    },
    { label: 'Model', description: s.model ?? `recorded: ${recordedModels(traces).join(', ')}`, fact: 'model' },
    {
      label: 'Parameters',
      description: changed ?? `as recorded${s.parametersText ? `: ${s.parametersText}` : ''}`,
      fact: 'parameters',
    },
    { label: 'Prompt template', description: templateText(s.template, linked), fact: 'template' },
    { label: 'Mode', description: modeText(s.mode), fact: 'mode' },
    { label: 'Estimated cost', description: estimate.range, detail: estimate.basis, fact: 'cost' },
  ];
  if (problems.length) items.push({ label: 'Before it can start', kind: vscode.QuickPickItemKind.Separator });
  for (const p of problems) {
    items.push(
      p.kind === 'missing-key'
        ? {
            label: `$(key) No API key for ${p.displayName}`,
            description: SET_API_KEY_BUTTON,
            detail: keyProblemMessage(p, traces.length > 1 ? 'these traces' : 'this trace'),
            problem: p,
          }
        : {
            label: '$(warning) The model cannot be called',
            detail: keyProblemMessage(p, traces.length > 1 ? 'these traces' : 'this trace'),
          },
    );
  }
  return items;
}

/** `traces`: one trace, or the batch (recorded values are taken from the first). */
export async function askReplayOverrides(
  traces: Trace[],
  title: string,
  deps: WizardDeps,
): Promise<ReplayOverrides | undefined> {
  const inputs = deps.inputs ?? WINDOW_INPUTS;
  const linked = traces.some((t) => t.spans.some((s) => s.llm?.prompt));
  const total = linked ? 4 : 3;
  const recorded = firstLlmParameters(traces);
  const stepNo = (n: number): number => (linked || n < 2 ? n + 1 : n);

  const model = async (s: State): Promise<StepResult<State>> => {
    const picked = await askModel(
      traces,
      await deps.configs(),
      { title, step: stepNo(0), totalSteps: total, current: s.model },
      inputs,
    );
    if (picked === undefined || picked === BACK) return picked;
    return { ...s, model: picked ?? undefined };
  };

  const promptItems = promptItemsOnce(deps);
  const template = async (s: State): Promise<StepResult<State>> => {
    const promptNames = new Set(
      traces.flatMap((t) => t.spans.map((sp) => sp.llm?.prompt?.name).filter((n): n is string => !!n)),
    );
    const [files, fromPlatforms] = await Promise.all([deps.templateFiles(), promptItems()]);
    const items: TemplateItem[] = [
      { label: '$(history) Keep recorded prompt', description: [...promptNames].join(', ') },
      ...fromPlatforms,
    ];
    if (files.length && fromPlatforms.length)
      items.push({ label: 'Template files', kind: vscode.QuickPickItemKind.Separator });
    for (const uri of files)
      items.push({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri });
    const placeholder = fromPlatforms.length
      ? 'Prompt version: one kept on the platform, or a template file of this workspace'
      : 'Prompt-template version (a template file of this workspace)';
    const current = s.template ? formatTemplateRef(s.template) : undefined;
    const active = items.find((i) => (i.prompt && i.prompt.spec === current) || (i.uri && i.uri.fsPath === current));
    const picked = await inputs.pickOne({
      title,
      step: 2,
      totalSteps: total,
      items,
      placeholder,
      activeItem: active,
      inert: (i) => i.inert === true,
    });
    if (picked === undefined || picked === BACK) return picked;
    if (picked.prompt) return { ...s, template: picked.prompt.ref, templateSpanIds: picked.prompt.spanIds };
    if (!picked.uri) return { ...s, template: undefined, templateSpanIds: undefined };
    const tpl = await loadPromptTemplateFile(picked.uri.fsPath);
    const names = templateNames(tpl, picked.uri.fsPath);
    // Spans linked by name (or matching the text); if none, every template-linked span.
    let spanIds = traces.flatMap((t) => spansUsingTemplate(t, tpl, names));
    if (!spanIds.length) spanIds = traces.flatMap((t) => t.spans.filter((sp) => sp.llm?.prompt).map((sp) => sp.id));
    return { ...s, template: { kind: 'file', path: picked.uri.fsPath }, templateSpanIds: spanIds };
  };

  const parameters = async (s: State): Promise<StepResult<State>> => {
    const typed = await inputs.inputText({
      title,
      step: stepNo(2),
      totalSteps: total,
      value: s.parametersText,
      prompt:
        'Parameters as key=value, comma separated (key=null removes a recorded one); prefilled with the recorded values',
      placeholder: 'temperature=0.2, max_tokens=512',
      validate: (v) => {
        try {
          parseParameters(v);
          return undefined;
        } catch (err) {
          if (err instanceof ParameterTextError) return err.message;
          throw err;
        }
      },
    });
    if (typed === undefined || typed === BACK) return typed;
    return { ...s, parametersText: typed, parameters: changedParameters(recorded, parseParameters(typed)) };
  };

  const mode = async (s: State): Promise<StepResult<State>> => {
    const items: ModeItem[] = [
      { label: 'Independent', description: 'each call gets its recorded inputs', mode: 'independent' },
      {
        label: 'Chained',
        description: 'later calls see the replayed outputs; tool results stay recorded',
        mode: 'chained',
      },
    ];
    const picked = await inputs.pickOne({
      title,
      step: stepNo(3),
      totalSteps: total,
      items,
      activeItem: items.find((i) => i.mode === s.mode),
      placeholder: 'Mode',
    });
    if (picked === undefined || picked === BACK) return picked;
    return { ...s, mode: picked.mode };
  };

  // No step number: it asks nothing new; Back returns to the mode, Escape queues nothing.
  const summary = async (s: State): Promise<StepResult<State>> => {
    for (;;) {
      const items = summaryItems(traces, s, await deps.configs(), linked);
      const picked = await inputs.pickOne<SummaryItem>({
        title: `${title}: summary`,
        back: true,
        items,
        activeItem: items[0],
        placeholder: 'Check the replay; Enter starts it, Back changes a step',
        inert: (i) => !i.start && !i.problem,
      });
      if (picked === undefined || picked === BACK) return picked;
      if (picked.start) return s;
      // A missing key: its box, then the summary again (read with the new key).
      if (picked.problem?.kind === 'missing-key')
        await vscode.commands.executeCommand(CommandId.SetApiKey, { key: picked.problem.keyName });
    }
  };

  const steps = linked ? [model, template, parameters, mode, summary] : [model, parameters, mode, summary];
  const done = await runSteps<State>({ parametersText: formatParameters(recorded), mode: 'independent' }, steps);
  if (!done) return undefined;
  const overrides: ReplayOverrides = { mode: done.mode };
  if (done.model) overrides.model = done.model;
  if (done.parameters) overrides.parameters = done.parameters;
  if (done.template) {
    overrides.template = done.template;
    if (done.templateSpanIds?.length) overrides.templateSpanIds = done.templateSpanIds;
  }
  return overrides;
}
