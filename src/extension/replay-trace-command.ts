// "Replay Trace" and "Replay Selected Traces". Without arguments it asks for a trace of the source
// the Traces view shows (the store or a Langfuse connection); from the Traces view it takes the
// clicked (or selected) traces. An options object skips the questions
// (tests, other commands): { traceId | traceIds, model, parameters, templatePath, mode, confirm: false }.
import { replayabilitySummary, traceReplayability } from '../core/replay/replayability';
import * as vscode from 'vscode';
import type { Trace } from '../core/model/trace';
import type { ReplayJob, ReplayMode, ReplayOverrides } from '../core/replay/replay-types';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import { CommandId } from './command-ids';
import type { Log } from './log';
import { traceRefsFromArgs } from './replay-args';
import type { ReplayHost } from './replay-host';
import { askReplayOverrides } from './replay-wizard';
import type { StoreHost } from './store-host';
import type { TemplateFiles } from './template-files';
import { tracePickItems, type TracePickItem } from './trace-pick-items';
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
  /** Default: vscode.window.showQuickPick. */
  pickTrace?: TracePicker;
}

/** The trace question of "Replay Trace" run without a trace: the quick pick, or a test's answer. */
export type TracePicker = (items: TracePickItem[], options: vscode.QuickPickOptions) => Thenable<TracePickItem | undefined>;

/** Asks which trace to replay, from the source the Traces view shows: the store's recorded traces,
 *  or the first page of the active Langfuse connection (read from the store cache when the view
 *  listed it already). A picked Langfuse trace is copied into the store first, as the view's
 *  replay does. Returns the store id. */
async function pickTrace(deps: Deps): Promise<string | undefined> {
  const active = deps.sources.active();
  let items: TracePickItem[];
  if (active.kind === 'langfuse') {
    const page = await (await deps.sources.langfuseSource(active.id)).listTraces();
    items = tracePickItems(page.traces, active.id);
    if (!items.length) {
      void vscode.window.showInformationMessage(`Trace Replay: ${active.label} lists no traces with LLM calls on its first page; open one from the Traces view or switch the source.`);
      return undefined;
    }
  } else {
    const store = await deps.stores.get();
    items = tracePickItems(await store.listTraces({ limit: PICK_LIMIT, filter: { origin: 'recorded' } }));
    if (!items.length) {
      void vscode.window.showInformationMessage('Trace Replay: there are no recorded traces with LLM calls to replay yet; import or record some first.');
      return undefined;
    }
  }
  const pick = deps.pickTrace ?? ((i, o) => vscode.window.showQuickPick(i, o));
  const picked = await pick(items, {
    title: 'Trace Replay: Replay Trace',
    placeHolder: `Trace to replay from ${active.kind === 'langfuse' ? active.label : 'the local store'} (newest first)`,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return (await deps.sources.localTraceIds([picked.ref]))[0];
}

async function replay(deps: Deps, traceIds: string[], options: ReplayTraceOptions | undefined): Promise<ReplayJob[]> {
  if (!traceIds.length) return [];
  let overrides: ReplayOverrides | undefined;
  if (options?.confirm === false) overrides = overridesOf(options);
  else {
    const store = await deps.stores.get();
    const found = (await Promise.all(traceIds.map(id => store.getTrace(id)))).filter((t): t is Trace => !!t);
    if (!found.length) {
      void vscode.window.showWarningMessage('Trace Replay: the trace is no longer in the store.');
      return [];
    }
    // Said before the user starts: traces with no replayable LLM span are left out, partly
    // replayable ones are named (their refused spans fail without a request).
    const checked = found.map(trace => ({ trace, replayability: traceReplayability(trace) }));
    const traces = checked.filter(c => c.replayability.replayable.length > 0).map(c => c.trace);
    const notices = checked.map(c => replayabilitySummary(c.replayability)).filter((n): n is string => n !== undefined);
    if (!traces.length) {
      void vscode.window.showErrorMessage(`Trace Replay cannot replay ${found.length > 1 ? 'these traces' : 'this trace'}: ${notices[0]}`);
      return [];
    }
    if (notices.length) void vscode.window.showWarningMessage(`Trace Replay: ${found.length > 1 ? `${found.length - traces.length} of ${found.length} traces cannot be replayed and are left out; ` : ''}${notices[0]}`);
    traceIds = traces.map(t => t.id);
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
        const id = (await localIds(deps, arg, undefined, options))[0] ?? (await pickTrace(deps));
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
