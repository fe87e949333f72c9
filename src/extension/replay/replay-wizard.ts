// The multi-step quick input of "Replay Trace": (1) model, (2) prompt-template version (only when
// the trace has template-linked spans), (3) parameters, (4) mode (not for "Replay from Here", which
// is chained), then a summary (replay-summary.ts: trace, fork span, model, parameters, template,
// mode, tool results and samples — both pickable, estimated cost range, any missing key) with an
// explicit "Start replay". Resolves with the overrides and the sample counts, or undefined when the
// user cancels. The model step alone is also asked by "Replay with This Prompt Version" (askReplayModel).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import { loadPromptTemplateFile } from '../../core/prompts/prompt-template';
import { formatTemplateRef, type TemplateRef } from '../../core/prompts/template-ref';
import { SINGLE_SAMPLE, type SampleCounts } from '../../core/replay/replay-samples';
import type { ReplayMode, ReplayOverrides, ToolPolicy } from '../../core/replay/replay-types';
import { PlatformError } from '../../core/sources/platform-errors';
import { CommandId } from '../common/command-ids';
import type { PlatformPromptChoice } from '../sources/platform-prompt-choices';
import { BACK, runSteps, WINDOW_INPUTS, type QuickInputs, type StepResult } from '../common/multi-step-input';
import {
  changedParameters,
  formatParameters,
  parseParameters,
  ParameterTextError,
  recordedParameters,
} from './parameter-text';
import { modelSpecProblem } from './replay-key-check';
import { spansUsingTemplate, templateNames } from '../templates/template-traces';
import { displayNameOf, summaryItems, type SummaryItem, type WizardFork } from './replay-summary';
import { costBudgetSetting } from './replay-repeat-setting';
import { askSamples } from './replay-samples-step';
import { askToolPolicy, withLiveTools } from './replay-tool-policy';
import type { LiveToolsQuestion } from './live-tools';
import { modelItems, typedModelItem, type ModelItem } from './replay-model-items';

export { START_REPLAY_LABEL, type SummaryItem, type WizardFork } from './replay-summary';
export {
  KEY_SET,
  NO_KEY,
  NO_KEY_NEEDED,
  keyState,
  modelItems,
  typedModelItem,
  type ModelItem,
} from './replay-model-items';

interface State {
  model?: string;
  template?: TemplateRef;
  templateSpanIds?: string[];
  parametersText: string;
  parameters?: Record<string, unknown>;
  mode: ReplayMode;
  toolPolicy: ToolPolicy;
  /** Live: the tools that will really run (the servers started). */
  liveTools?: string;
  /** Live came from the setting and its servers did not start: why (the replay uses recorded). */
  liveProblem?: string;
  samples: SampleCounts;
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
  /** The tool policy the summary starts with (the setting traceReplay.replay.tools). */
  toolPolicy?: ToolPolicy;
  /** "Replay from Here": the span the replay forks at (no mode step: it is chained). */
  fork?: WizardFork;
  /** Whether live tools can be picked, and starting their servers (absent: live is inert). */
  liveTools?: LiveToolsQuestion;
  /** The samples the summary starts with (the setting traceReplay.replay.repeat; default one). */
  samples?: SampleCounts;
}

/** What the wizard resolves with: the overrides, and how many samples of each trace to queue. */
export interface WizardChoice {
  overrides: ReplayOverrides;
  samples: SampleCounts;
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

/** `traces`: one trace, or the batch (recorded values are taken from the first). */
export async function askReplayOverrides(
  traces: Trace[],
  title: string,
  deps: WizardDeps,
): Promise<WizardChoice | undefined> {
  const inputs = deps.inputs ?? WINDOW_INPUTS;
  const fork = deps.fork;
  const linked = traces.some((t) => t.spans.some((s) => s.llm?.prompt));
  const total = (linked ? 4 : 3) - (fork ? 1 : 0);
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
      s = await withLiveTools(s, deps.liveTools);
      const items = summaryItems(traces, s, await deps.configs(), { linked, fork, budgetUsd: costBudgetSetting() });
      const picked = await inputs.pickOne<SummaryItem>({
        title: `${title}: summary`,
        back: true,
        items,
        activeItem: items[0],
        placeholder: 'Check the replay; Enter starts it, Back changes a step',
        inert: (i) => !i.start && !i.problem && !i.tools && !i.samples,
      });
      if (picked === undefined || picked === BACK) return picked;
      if (picked.start) return s;
      if (picked.tools) {
        const choice = await askToolPolicy(inputs, title, s.toolPolicy, deps.liveTools);
        if (choice === undefined) return undefined;
        if (choice !== BACK)
          s = { ...s, toolPolicy: choice.policy, liveTools: choice.liveTools, liveProblem: undefined };
        continue;
      }
      if (picked.samples) {
        const samples = await askSamples(inputs, title, s.samples, traces.length);
        if (samples === undefined) return undefined;
        if (samples !== BACK) s = { ...s, samples };
        continue;
      }
      // A missing key: its box, then the summary again (read with the new key).
      if (picked.problem?.kind === 'missing-key')
        await vscode.commands.executeCommand(CommandId.SetApiKey, { key: picked.problem.keyName });
    }
  };

  const steps = [model, ...(linked ? [template] : []), parameters, ...(fork ? [] : [mode]), summary];
  const done = await runSteps<State>(
    {
      parametersText: formatParameters(recorded),
      mode: fork ? 'chained' : 'independent',
      toolPolicy: deps.toolPolicy ?? 'recorded',
      samples: deps.samples ?? SINGLE_SAMPLE,
    },
    steps,
  );
  if (!done) return undefined;
  const overrides: ReplayOverrides = { mode: done.mode };
  if (fork) overrides.fromSpanId = fork.spanId;
  if (done.toolPolicy !== 'recorded') overrides.toolPolicy = done.toolPolicy;
  if (done.model) overrides.model = done.model;
  if (done.parameters) overrides.parameters = done.parameters;
  if (done.template) {
    overrides.template = done.template;
    if (done.templateSpanIds?.length) overrides.templateSpanIds = done.templateSpanIds;
  }
  return { overrides, samples: done.samples };
}
