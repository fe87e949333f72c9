// "Replay Trace" and "Replay Selected Traces". Without arguments it asks for a trace; from the
// Traces view it takes the clicked (or selected) traces. An options object skips the questions
// (tests, other commands): { traceId | traceIds, model, parameters, templatePath, mode, confirm: false }.
import * as vscode from 'vscode';
import type { Trace } from '../core/model/trace';
import type { ReplayJob, ReplayMode, ReplayOverrides } from '../core/replay/replay-types';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import { CommandId } from './command-ids';
import { relativeTime } from './format';
import type { Log } from './log';
import { traceRefsFromArgs } from './replay-args';
import type { ReplayHost } from './replay-host';
import { askReplayOverrides } from './replay-wizard';
import type { StoreHost } from './store-host';
import type { TemplateFiles } from './template-files';
import type { TraceSources } from './trace-sources';

export interface ReplayTraceOptions {
  traceId?: string;
  traceIds?: string[];
  /** The source the ids are from ('langfuse', 'langfuse:<name>'); absent: the store. */
  sourceId?: string;
  model?: string;
  parameters?: Record<string, unknown>;
  templatePath?: string;
  templateSpanIds?: string[];
  mode?: ReplayMode;
  /** false: enqueue with these values, no questions. */
  confirm?: boolean;
}

const PICK_LIMIT = 500;

function isOptions(v: unknown): v is ReplayTraceOptions {
  return typeof v === 'object' && v !== null && !('type' in v) && ('traceId' in v || 'traceIds' in v || 'confirm' in v);
}

function overridesOf(o: ReplayTraceOptions): ReplayOverrides {
  const out: ReplayOverrides = {};
  if (o.model) out.model = o.model;
  if (o.parameters) out.parameters = o.parameters;
  if (o.templatePath) out.templatePath = o.templatePath;
  if (o.templateSpanIds) out.templateSpanIds = o.templateSpanIds;
  if (o.mode) out.mode = o.mode;
  return out;
}

interface Deps {
  stores: StoreHost;
  replays: ReplayHost;
  templates: TemplateFiles;
  sources: TraceSources;
  log: Log;
  /** Called with the jobs of a "Replay Selected Traces" batch of two or more. */
  onBatchQueued?(jobs: ReplayJob[]): void;
}

async function pickTrace(stores: StoreHost): Promise<string | undefined> {
  const store = await stores.get();
  const summaries = (await store.listTraces({ limit: PICK_LIMIT, filter: { origin: 'recorded' } })).filter(s => s.llmSpanCount > 0);
  if (!summaries.length) {
    void vscode.window.showInformationMessage('Trace Replay: there are no recorded traces with LLM calls to replay yet; import or record some first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    summaries.map(s => ({ label: s.name || s.id, description: `${relativeTime(s.startTime)} · ${s.models.join(', ')}`, detail: `${s.llmSpanCount} LLM call(s) · ${s.id}`, id: s.id })),
    { title: 'Trace Replay: Replay Trace', placeHolder: 'Trace to replay (newest first)', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.id;
}

async function replay(deps: Deps, traceIds: string[], options: ReplayTraceOptions | undefined): Promise<ReplayJob[]> {
  if (!traceIds.length) return [];
  let overrides: ReplayOverrides | undefined;
  if (options?.confirm === false) overrides = overridesOf(options);
  else {
    const store = await deps.stores.get();
    const traces = (await Promise.all(traceIds.map(id => store.getTrace(id)))).filter((t): t is Trace => !!t);
    if (!traces.length) {
      void vscode.window.showWarningMessage('Trace Replay: the trace is no longer in the store.');
      return [];
    }
    const title = traces.length === 1 ? `Replay "${traces[0].name || traces[0].id}"` : `Replay ${traces.length} traces`;
    overrides = await askReplayOverrides(traces, title, {
      configs: await deps.replays.providerConfigs(),
      templateFiles: () => deps.templates.list(),
      langfuseChoices: () => deps.sources.promptChoices(traces),
    });
  }
  if (!overrides) return [];
  const jobs: ReplayJob[] = [];
  for (const id of traceIds) jobs.push(await deps.replays.enqueue(id, overrides));
  return jobs;
}

/** Store ids of what the command got: Langfuse rows (and ids with a sourceId) are copied into the
 *  store first. */
function localIds(deps: Deps, arg: unknown, all: unknown, options: ReplayTraceOptions | undefined): Promise<string[]> {
  if (options) {
    const ids = options.traceIds ?? (options.traceId ? [options.traceId] : []);
    return deps.sources.localTraceIds(ids.map(id => ({ id, sourceId: options.sourceId })));
  }
  return deps.sources.localTraceIds(traceRefsFromArgs(arg, all));
}

function failed(log: Log, err: unknown): undefined {
  if (err instanceof LangfuseError) {
    // Already one sentence that says what to check.
    log.warn(`starting the replay failed: ${err.message}`);
    void vscode.window.showErrorMessage(`Trace Replay could not start the replay: ${err.message}`);
    return undefined;
  }
  log.error('starting the replay failed', err);
  const reason = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(`Trace Replay could not start the replay: ${reason}`, 'Open Output').then(c => c && log.show());
  return undefined;
}

export function registerReplayTraceCommands(deps: Deps): vscode.Disposable[] {
  return [
    // Returns the queued job (undefined when cancelled) so callers can wait for it.
    vscode.commands.registerCommand(CommandId.ReplayTrace, async (arg?: unknown) => {
      try {
        const options = isOptions(arg) ? arg : undefined;
        const id = (await localIds(deps, arg, undefined, options))[0] ?? (await pickTrace(deps.stores));
        if (!id) return undefined;
        return (await replay(deps, [id], options))[0];
      } catch (err) {
        return failed(deps.log, err);
      }
    }),
    // One job per selected trace, all with the same overrides; returns the jobs.
    vscode.commands.registerCommand(CommandId.ReplaySelectedTraces, async (arg?: unknown, all?: unknown) => {
      try {
        const options = isOptions(arg) ? arg : undefined;
        const ids = await localIds(deps, arg, all, options);
        const jobs = await replay(deps, ids, options);
        if (jobs.length > 1) deps.onBatchQueued?.(jobs);
        return jobs;
      } catch (err) {
        return failed(deps.log, err);
      }
    }),
  ];
}
