// The multi-step quick input of "Replay Trace": (1) model, (2) prompt-template version (only when
// the trace has template-linked spans), (3) parameters, (4) mode — with the cost estimate in the
// last step's title. Resolves with the overrides, or undefined when the user cancels.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../core/llm/llm-types';
import { parseModelSpec } from '../core/llm/model-target';
import { pickerProviders } from '../core/llm/provider-registry';
import type { Trace } from '../core/model/trace';
import { loadPromptTemplateFile } from '../core/prompts/prompt-template';
import type { ReplayMode, ReplayOverrides } from '../core/replay/replay-types';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import type { LangfusePromptChoice } from './langfuse-prompt-choices';
import { BACK, inputText, pickOne, runSteps, type StepResult } from './multi-step-input';
import { changedParameters, formatParameters, parseParameters, ParameterTextError, recordedParameters } from './parameter-text';
import { endpointProfiles } from './provider-settings';
import { estimateReplayCost } from './replay-estimate';
import { getSetting } from './settings';
import { spansUsingTemplate, templateNames } from './template-traces';

interface State {
  model?: string;
  templatePath?: string;
  templateSpanIds?: string[];
  parametersText: string;
  parameters?: Record<string, unknown>;
  mode: ReplayMode;
}

interface ModelItem extends vscode.QuickPickItem {
  spec?: string;
  custom?: boolean;
}
interface TemplateItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  langfuse?: LangfusePromptChoice;
  /** A row that only informs (Langfuse could not be read): picking it keeps the step open. */
  inert?: boolean;
}
interface ModeItem extends vscode.QuickPickItem {
  mode: ReplayMode;
}

function recordedModels(traces: Trace[]): string[] {
  const models = new Set<string>();
  for (const t of traces) for (const s of t.spans) if (s.llm) models.add(`${s.llm.provider ?? '?'}:${s.llm.requestModel ?? s.llm.responseModel ?? '?'}`);
  return [...models];
}

function modelItems(traces: Trace[], configs: ProviderConfigs): ModelItem[] {
  const offered = new Set<string>();
  const items: ModelItem[] = [{ label: '$(history) Keep recorded model', description: recordedModels(traces).join(', ') }];
  const add = (spec: string, description?: string): void => {
    if (offered.has(spec)) return;
    offered.add(spec);
    items.push({ label: spec, spec, description });
  };
  items.push({ label: 'Models', kind: vscode.QuickPickItemKind.Separator });
  for (const m of getSetting('models')) if (typeof m === 'string' && m.trim()) add(m.trim());
  // Each set-up provider's suggested models, then the endpoint profiles' own.
  for (const a of pickerProviders()) {
    if (configs[a.id] === undefined) continue;
    for (const m of a.suggestedModels ?? []) add(`${a.id}:${m}`, a.displayName);
  }
  for (const p of endpointProfiles()) for (const m of p.models ?? []) add(`${p.name}:${m}`, p.baseUrl);
  items.push({ label: '$(edit) Custom…', description: 'provider:model', custom: true });
  return items;
}

function firstLlmParameters(traces: Trace[]): Record<string, unknown> {
  for (const t of traces) for (const s of t.spans) if (s.llm) return recordedParameters(s.llm.parameters);
  return {};
}

export interface WizardDeps {
  configs: ProviderConfigs;
  templateFiles(): Promise<vscode.Uri[]>;
  /** Versions and labels of the Langfuse prompts the spans are linked to (undefined: none, or no
   *  connection); throws LangfuseError when Langfuse cannot be read. */
  langfuseChoices?(): Promise<LangfusePromptChoice[] | undefined>;
}

/** Langfuse prompt versions as items, read once per wizard (Back does not ask Langfuse again). */
function langfuseItemsOnce(deps: WizardDeps): () => Promise<TemplateItem[]> {
  let items: Promise<TemplateItem[]> | undefined;
  const read = async (): Promise<TemplateItem[]> => {
    try {
      const choices = await deps.langfuseChoices?.();
      if (!choices?.length) return [];
      return [
        { label: 'Langfuse prompt versions', kind: vscode.QuickPickItemKind.Separator },
        ...choices.map(c => ({ label: `$(cloud) ${c.label}`, description: c.description, detail: c.spec, langfuse: c })),
      ];
    } catch (err) {
      if (!(err instanceof LangfuseError)) throw err;
      return [{ label: '$(warning) Langfuse prompt versions could not be read', detail: err.message, inert: true }];
    }
  };
  return () => (items ??= read());
}

/** `traces`: one trace, or the batch (recorded values are taken from the first). */
export async function askReplayOverrides(traces: Trace[], title: string, deps: WizardDeps): Promise<ReplayOverrides | undefined> {
  const linked = traces.some(t => t.spans.some(s => s.llm?.prompt));
  const total = linked ? 4 : 3;
  const recorded = firstLlmParameters(traces);
  const stepNo = (n: number): number => (linked || n < 2 ? n + 1 : n);

  const model = async (s: State): Promise<StepResult<State>> => {
    for (;;) {
      const items = modelItems(traces, deps.configs);
      const picked = await pickOne({ title, step: stepNo(0), totalSteps: total, items, placeholder: 'Model to replay the LLM calls with' });
      if (picked === undefined || picked === BACK) return picked;
      if (!picked.custom) return { ...s, model: picked.spec };
      const typed = await inputText({
        title, step: stepNo(0), totalSteps: total, value: s.model ?? '', prompt: 'provider:model, e.g. openai:gpt-4.1-mini or ollama:llama3.2',
        validate: v => {
          try {
            parseModelSpec(v, deps.configs);
            return undefined;
          } catch (err) {
            return (err as Error).message;
          }
        },
      });
      if (typeof typed === 'string') return { ...s, model: typed.trim() };
      if (typed === undefined) return undefined;
    }
  };

  const langfuseItems = langfuseItemsOnce(deps);
  const template = async (s: State): Promise<StepResult<State>> => {
    const promptNames = new Set(traces.flatMap(t => t.spans.map(sp => sp.llm?.prompt?.name).filter((n): n is string => !!n)));
    const [files, fromLangfuse] = await Promise.all([deps.templateFiles(), langfuseItems()]);
    const items: TemplateItem[] = [{ label: '$(history) Keep recorded prompt', description: [...promptNames].join(', ') }, ...fromLangfuse];
    if (files.length && fromLangfuse.length) items.push({ label: 'Template files', kind: vscode.QuickPickItemKind.Separator });
    for (const uri of files) items.push({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri });
    const placeholder = fromLangfuse.length ? 'Prompt version: one from Langfuse, or a template file of this workspace' : 'Prompt-template version (a template file of this workspace)';
    let picked: StepResult<TemplateItem>;
    do {
      const active = items.find(i => (i.langfuse && i.langfuse.spec === s.templatePath) || (i.uri && i.uri.fsPath === s.templatePath));
      picked = await pickOne({ title, step: 2, totalSteps: total, items, placeholder, activeItem: active });
    } while (picked !== undefined && picked !== BACK && picked.inert);
    if (picked === undefined || picked === BACK) return picked;
    if (picked.langfuse) return { ...s, templatePath: picked.langfuse.spec, templateSpanIds: picked.langfuse.spanIds };
    if (!picked.uri) return { ...s, templatePath: undefined, templateSpanIds: undefined };
    const tpl = await loadPromptTemplateFile(picked.uri.fsPath);
    const names = templateNames(tpl, picked.uri.fsPath);
    // Spans linked by name (or matching the text); if none, every template-linked span.
    let spanIds = traces.flatMap(t => spansUsingTemplate(t, tpl, names));
    if (!spanIds.length) spanIds = traces.flatMap(t => t.spans.filter(sp => sp.llm?.prompt).map(sp => sp.id));
    return { ...s, templatePath: picked.uri.fsPath, templateSpanIds: spanIds };
  };

  const parameters = async (s: State): Promise<StepResult<State>> => {
    const typed = await inputText({
      title, step: stepNo(2), totalSteps: total, value: s.parametersText,
      prompt: 'Parameters as key=value, comma separated (key=null removes a recorded one); prefilled with the recorded values',
      placeholder: 'temperature=0.2, max_tokens=512',
      validate: v => {
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
    const estimate = estimateReplayCost(traces, s.model, deps.configs);
    const items: ModeItem[] = [
      { label: 'Independent', description: 'each call gets its recorded inputs', mode: 'independent' },
      { label: 'Chained', description: 'later calls see the replayed outputs (tool results stay recorded)', mode: 'chained' },
    ];
    const picked = await pickOne({
      title: `${title} — ${estimate.text}`, step: stepNo(3), totalSteps: total, items,
      activeItem: items.find(i => i.mode === s.mode), placeholder: `Mode; Enter starts the replay (${estimate.text})`,
    });
    if (picked === undefined || picked === BACK) return picked;
    return { ...s, mode: picked.mode };
  };

  const steps = linked ? [model, template, parameters, mode] : [model, parameters, mode];
  const done = await runSteps<State>({ parametersText: formatParameters(recorded), mode: 'independent' }, steps);
  if (!done) return undefined;
  const overrides: ReplayOverrides = { mode: done.mode };
  if (done.model) overrides.model = done.model;
  if (done.parameters) overrides.parameters = done.parameters;
  if (done.templatePath) {
    overrides.templatePath = done.templatePath;
    if (done.templateSpanIds?.length) overrides.templateSpanIds = done.templateSpanIds;
  }
  return overrides;
}
