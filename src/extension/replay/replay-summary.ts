// The summary step of "Replay Trace": Start replay first, then one row per fact (trace, fork span,
// model, parameters, template, mode, tool results, samples, estimated cost) and a row per missing key.
// The Tool results row opens the tool-policy pick (for live it lists the tools that will really run);
// the Samples row opens the samples pick (replay-samples-step.ts). The estimated cost counts every
// sample, and names the cost budget (traceReplay.replay.maxCostUsd) when one is set.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import { formatTemplateRef, type TemplateRef } from '../../core/prompts/template-ref';
import { isRepeated, samplesPerTrace, type SampleCounts } from '../../core/replay/replay-samples';
import type { ReplayMode, ToolPolicy } from '../../core/replay/replay-types';
import { findPlatform } from '../../core/sources/platform-registry';
import { SET_API_KEY_BUTTON } from '../common/next-actions';
import { formatParameters } from './parameter-text';
import { estimateReplayCost, type CostEstimate } from './replay-estimate';
import { keyProblemMessage, replayKeyProblems, type KeyProblem } from './replay-key-check';
import { estimateSamples } from '../../core/pricing/replay-estimate';
import { costRowText, SAMPLES_DETAIL, samplesText } from './replay-sample-texts';
import { toolPolicyText } from './replay-tool-policy';

export interface SummaryItem extends vscode.QuickPickItem {
  /** The "Start replay" row. */
  start?: boolean;
  /** A missing key: picking the row opens "Set API Key..." for it. */
  problem?: KeyProblem;
  /** The Tool results row: picking it opens the tool-policy pick. */
  tools?: boolean;
  /** The Samples row: picking it opens the samples pick. */
  samples?: boolean;
  /** The Estimated cost row: the estimate it shows (every sample counted). */
  cost?: CostEstimate;
  /** Which fact the row shows (tests read them by it). */
  fact?: 'trace' | 'fork' | 'model' | 'parameters' | 'template' | 'mode' | 'tools' | 'samples' | 'cost';
}

/** The span a "Replay from Here" forks at, and the spans that keep their recorded output. */
export interface WizardFork {
  spanId: string;
  spanName: string;
  before: ReadonlySet<string>;
}

export interface SummaryState {
  model?: string;
  parametersText: string;
  parameters?: Record<string, unknown>;
  template?: TemplateRef;
  mode: ReplayMode;
  toolPolicy: ToolPolicy;
  /** Live: the tools that will really run. */
  liveTools?: string;
  /** Live from the setting could not start: why (the policy is recorded). */
  liveProblem?: string;
  /** Replays of each trace with the overrides, and A/A ones without. */
  samples: SampleCounts;
}

/** What the summary shows besides the state. */
export interface SummaryContext {
  /** Some span is linked to a prompt template. */
  linked: boolean;
  fork?: WizardFork;
  /** traceReplay.replay.maxCostUsd (0: no budget). */
  budgetUsd: number;
}

export const START_REPLAY_LABEL = '$(play) Start replay';

export function recordedModels(traces: Trace[]): string[] {
  const models = new Set<string>();
  for (const t of traces)
    for (const s of t.spans)
      if (s.llm) models.add(`${s.llm.provider ?? '?'}:${s.llm.requestModel ?? s.llm.responseModel ?? '?'}`);
  return [...models];
}

function modeText(mode: ReplayMode, fork: WizardFork | undefined): string {
  if (fork) return 'Chained from the chosen span: later calls see its replayed output';
  return mode === 'chained'
    ? 'Chained: later calls see the replayed outputs'
    : 'Independent: each call gets its recorded inputs';
}

function templateText(template: TemplateRef | undefined, linked: boolean): string {
  if (template === undefined) return linked ? 'recorded prompt' : 'recorded prompt (no span is linked to a template)';
  return template.kind === 'file' ? path.basename(template.path) : formatTemplateRef(template);
}

export function displayNameOf(platform: string): string {
  return findPlatform(platform)?.displayName ?? platform;
}

function forkKeptText(kept: number): string {
  if (kept === 0) return 'no earlier span is kept as recorded';
  return kept === 1 ? '1 earlier span keeps its recorded output' : `${kept} earlier spans keep their recorded output`;
}

function toolsDetail(s: SummaryState): string {
  if (s.toolPolicy === 'live' && s.liveTools !== undefined) return `Will really run: ${s.liveTools}`;
  if (s.liveProblem !== undefined) return `$(warning) Not live: ${s.liveProblem}`;
  return 'Pick to change (setting traceReplay.replay.tools)';
}

/** The traces as the replay will send them: without the spans a fork reuses. */
function sentPart(traces: Trace[], fork: WizardFork | undefined): Trace[] {
  if (!fork) return traces;
  return traces.map((t) => ({ ...t, spans: t.spans.filter((s) => !fork.before.has(s.id)) }));
}

function samplesDetail(samples: SampleCounts): string {
  const change = 'pick to change (setting traceReplay.replay.repeat)';
  return isRepeated(samples) ? `${SAMPLES_DETAIL}; ${change}` : change.charAt(0).toUpperCase() + change.slice(1);
}

/** The summary's rows: Start replay first, then one row per fact, and a row per missing key. */
export function summaryItems(
  traces: Trace[],
  s: SummaryState,
  configs: ProviderConfigs,
  context: SummaryContext,
): SummaryItem[] {
  const { linked, fork } = context;
  const sent = sentPart(traces, fork);
  const estimate = estimateReplayCost(sent, s.model, configs, estimateSamples(s.samples));
  const cost = costRowText(estimate, s.samples, context.budgetUsd);
  const jobs = traces.length * samplesPerTrace(s.samples);
  const problems = replayKeyProblems(sent, s.model, configs);
  const names = traces.map((t) => t.name || t.id);
  const changed = s.parameters && Object.keys(s.parameters).length ? formatParameters(s.parameters) : undefined;
  const items: SummaryItem[] = [
    { label: START_REPLAY_LABEL, description: jobs > 1 ? `${jobs} replays` : undefined, start: true },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    {
      label: 'Trace',
      description: traces.length === 1 ? names[0] : `${traces.length} traces: ${names.join(', ')}`,
      fact: 'trace',
    },
  ];
  if (fork)
    items.push({
      label: 'From span',
      description: `${fork.spanName} (${fork.spanId}); ${forkKeptText(fork.before.size)}`,
      fact: 'fork',
    });
  items.push(
    { label: 'Model', description: s.model ?? `recorded: ${recordedModels(traces).join(', ')}`, fact: 'model' },
    {
      label: 'Parameters',
      description: changed ?? `as recorded${s.parametersText ? `: ${s.parametersText}` : ''}`,
      fact: 'parameters',
    },
    { label: 'Prompt template', description: templateText(s.template, linked), fact: 'template' },
    { label: 'Mode', description: modeText(s.mode, fork), fact: 'mode' },
    {
      label: '$(tools) Tool results',
      description: toolPolicyText(s.toolPolicy),
      detail: toolsDetail(s),
      fact: 'tools',
      tools: true,
    },
    {
      label: '$(layers) Samples',
      description: samplesText(s.samples, traces.length),
      detail: samplesDetail(s.samples),
      fact: 'samples',
      samples: true,
    },
    { label: 'Estimated cost', description: cost.description, detail: cost.detail, fact: 'cost', cost: estimate },
  );
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
