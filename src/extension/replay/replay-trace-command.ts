// "Replay Trace" and "Replay Selected Traces". Without arguments it asks for a trace of the source
// the Traces view shows (the store or a platform connection); from the Traces view it takes the
// clicked (or selected) traces. An options object skips the questions
// (tests, other commands): { traceId | traceIds, model, parameters, templatePath, mode, fromSpanId,
// toolPolicy, confirm: false }. "Replay from Here" (an LLM span row of the Traces view, the trace
// detail panel's button) asks the same questions with the span preset: the replay forks there.
// Either way nothing is queued unless every provider the replay calls has its key (replay-start.ts).
// Repeated samples (issue 18): the wizard's Samples row (default: traceReplay.replay.repeat), or the
// setting when nothing is asked; N samples with the overrides and N A/A per trace, and the batch panel.
import type { TemplateRef } from '../../core/prompts/template-ref';
import { parseTemplateSpec } from '../../core/sources/template-spec';
import { replayabilitySummary, traceReplayability } from '../../core/replay/replayability';
import { ForkSpanError, forkSpanOf, spansBeforeFork } from '../../core/replay/replay-fork';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import type { ReplayJob, ReplayMode, ReplayOverrides, ToolPolicy } from '../../core/replay/replay-types';
import { PlatformError } from '../../core/sources/platform-errors';
import { CommandId } from '../common/command-ids';
import { importTracesFix, startReceiverFix, type Notifications } from '../common/notifications';
import type { Log } from '../common/log';
import type { QuickInputs } from '../common/multi-step-input';
import { traceRefsFromArgs } from './replay-args';
import type { ReplayHost } from './replay-host';
import { startReplays } from './replay-start';
import { defaultSamples, repeatSetting } from './replay-repeat-setting';
import { SAMPLES_CACHE_NOTICE } from './replay-sample-texts';
import { CACHE_BYPASS_NOTICE, isRepeated, planSamples, type SampleCounts } from '../../core/replay/replay-samples';
import { defaultToolPolicy } from './replay-tool-policy';
import { askReplayOverrides, type WizardFork } from './replay-wizard';
import type { StoreHost } from '../store/store-host';
import type { TemplateFiles } from '../templates/template-files';
import { tracePickItems, type TracePickItem } from '../sources/trace-pick-items';
import type { TraceSources } from '../sources/trace-sources';

export interface ReplayTraceOptions {
  traceId?: string;
  traceIds?: string[];
  /** The source the ids are from ('langfuse', 'phoenix:<name>'); absent: the store. */
  sourceId?: string;
  model?: string;
  parameters?: Record<string, unknown>;
  template?: TemplateRef;
  /** The template as text: a file's path or a prompt spec (`langfuse:<name>@<version>`). */
  templatePath?: string;
  templateSpanIds?: string[];
  mode?: ReplayMode;
  /** Replay from this LLM span of the (one) trace: "Replay from Here". */
  fromSpanId?: string;
  toolPolicy?: ToolPolicy;
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
  if (o.template) out.template = o.template;
  else if (o.templatePath) out.template = parseTemplateSpec(o.templatePath);
  if (o.templateSpanIds) out.templateSpanIds = o.templateSpanIds;
  if (o.mode) out.mode = o.mode;
  if (o.fromSpanId) out.fromSpanId = o.fromSpanId;
  if (o.toolPolicy) out.toolPolicy = o.toolPolicy;
  return out;
}

/** "Replay from Here"'s argument: a span row of the Traces view, { traceId, spanId } (the trace
 *  detail panel), or ReplayTraceOptions naming fromSpanId. */
function forkOptions(arg: unknown): ReplayTraceOptions | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const v = arg as {
    type?: unknown;
    traceId?: unknown;
    span?: { id?: unknown };
    spanId?: unknown;
    fromSpanId?: unknown;
  };
  if (typeof v.traceId !== 'string') return undefined;
  if (v.type === 'span' && typeof v.span?.id === 'string') return { traceId: v.traceId, fromSpanId: v.span.id };
  if (typeof v.fromSpanId === 'string') return arg as ReplayTraceOptions;
  if (typeof v.spanId === 'string') return { traceId: v.traceId, fromSpanId: v.spanId };
  return undefined;
}

interface Deps {
  stores: StoreHost;
  replays: ReplayHost;
  templates: TemplateFiles;
  sources: TraceSources;
  log: Log;
  notifications: Notifications;
  /** The provider configuration as it is now (read afresh: a key stored a moment ago counts). */
  configs(): Promise<ProviderConfigs>;
  /** The wizard's quick input (tests script it); undefined: VS Code's. */
  inputs?(): QuickInputs | undefined;
  /** Called with the jobs of a "Replay Selected Traces" batch of two or more. */
  onBatchQueued?(jobs: ReplayJob[]): void;
  /** Default: vscode.window.showQuickPick. */
  pickTrace?: TracePicker;
}

/** The trace question of "Replay Trace" run without a trace: the quick pick, or a test's answer. */
export type TracePicker = (
  items: TracePickItem[],
  options: vscode.QuickPickOptions,
) => Thenable<TracePickItem | undefined>;

/** Asks which trace to replay, from the source the Traces view shows: the store's recorded traces,
 *  or the first page of the active platform connection (read from the store cache when the view
 *  listed it already). A picked platform trace is copied into the store first, as the view's
 *  replay does. Returns the store id. */
async function pickTrace(deps: Deps): Promise<string | undefined> {
  const active = deps.sources.active();
  let items: TracePickItem[];
  if (active.kind === 'platform') {
    const page = await (await deps.sources.platformTraces(active.id)).listTraces();
    items = tracePickItems(page.traces, active.id);
    if (!items.length) {
      void deps.notifications.info(
        `${active.label} lists no traces with LLM calls on its first page; open one from the Traces view or switch the source.`,
        { title: 'Switch Trace Source...', run: () => vscode.commands.executeCommand(CommandId.SwitchTraceSource) },
      );
      return undefined;
    }
  } else {
    const store = await deps.stores.get();
    items = tracePickItems(await store.listTraces({ limit: PICK_LIMIT, filter: { origin: 'recorded' } }));
    if (!items.length) {
      void deps.notifications.info(
        'There are no recorded traces with LLM calls to replay yet; start the receiver and run your app, or import a trace file.',
        startReceiverFix(),
        importTracesFix(),
      );
      return undefined;
    }
  }
  const pick = deps.pickTrace ?? ((i, o) => vscode.window.showQuickPick(i, o));
  const picked = await pick(items, {
    title: 'Trace Replay: Replay Trace',
    placeHolder: `Trace to replay from ${active.kind === 'platform' ? active.label : 'the local store'} (newest first)`,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return (await deps.sources.localTraceIds([picked.ref]))[0];
}

async function replay(deps: Deps, traceIds: string[], options: ReplayTraceOptions | undefined): Promise<ReplayJob[]> {
  if (!traceIds.length) return [];
  if (options?.fromSpanId !== undefined && traceIds.length > 1)
    throw new ForkSpanError(
      `A replay from span ${options.fromSpanId} forks one trace at one of its spans, and ${traceIds.length} traces were given; replay them one at a time.`,
    );
  let overrides: ReplayOverrides | undefined;
  let counts: SampleCounts | undefined;
  const store = await deps.stores.get();
  const found = (await Promise.all(traceIds.map((id) => store.getTrace(id)))).filter((t): t is Trace => !!t);
  let traces = found;
  if (options?.confirm === false) {
    overrides = overridesOf(options);
    counts = repeatSetting();
  } else {
    if (!found.length) {
      void deps.notifications.warning(
        'The trace is no longer in the store; refresh the Traces view and pick another one.',
        { title: 'Refresh Traces', run: () => vscode.commands.executeCommand(CommandId.RefreshTraces) },
      );
      return [];
    }
    // Said before the user starts: traces with no replayable LLM span are left out, partly
    // replayable ones are named (their refused spans fail without a request).
    const checked = found.map((trace) => ({ trace, replayability: traceReplayability(trace) }));
    traces = checked.filter((c) => c.replayability.replayable.length > 0).map((c) => c.trace);
    const notices = checked
      .map((c) => replayabilitySummary(c.replayability))
      .filter((n): n is string => n !== undefined);
    const openTrace = {
      title: 'Open Trace',
      run: () =>
        vscode.commands.executeCommand(
          CommandId.OpenTraceDetail,
          checked.find((c) => c.replayability.refused.length)?.trace.id,
        ),
    };
    if (!traces.length) {
      void deps.notifications.error(
        `Trace Replay cannot replay ${found.length > 1 ? 'these traces' : 'this trace'}: ${notices[0]}`,
        openTrace,
      );
      return [];
    }
    if (notices.length)
      void deps.notifications.warning(
        found.length > 1
          ? `${found.length - traces.length} of ${found.length} traces cannot be replayed and are left out; ${notices[0]}`
          : upperFirst(notices[0]),
        openTrace,
      );
    traceIds = traces.map((t) => t.id);
    // Replay from Here: the span is checked now (it may be gone, or not an LLM span), one sentence.
    let fork: WizardFork | undefined;
    if (options?.fromSpanId !== undefined) {
      const span = forkSpanOf(traces[0], options.fromSpanId);
      fork = { spanId: span.id, spanName: span.name, before: spansBeforeFork(traces[0], span) };
    }
    const name = traces[0].name || traces[0].id;
    const title = fork
      ? `Replay "${name}" from span ${fork.spanName}`
      : traces.length === 1
        ? `Replay "${name}"`
        : `Replay ${traces.length} traces`;
    const tools = defaultToolPolicy(deps.replays.liveTools);
    if (tools.warning) void deps.notifications.warning(tools.warning);
    const samples = defaultSamples();
    if (samples.warning) void deps.notifications.warning(samples.warning);
    const chosen = traces;
    const choice = await askReplayOverrides(chosen, title, {
      configs: () => deps.configs(),
      templateFiles: () => deps.templates.list(),
      promptChoices: () => deps.sources.promptChoices(chosen),
      inputs: deps.inputs?.(),
      toolPolicy: options?.toolPolicy ?? tools.policy,
      liveTools: deps.replays.liveTools,
      samples: samples.counts,
      ...(fork ? { fork } : {}),
    });
    overrides = choice?.overrides;
    counts = choice?.samples;
  }
  if (!overrides || !counts) return [];
  const chosen = overrides;
  const sampled = counts;
  const ids = traceIds;
  return startReplays(
    {
      notifications: deps.notifications,
      configs: () => deps.configs(),
      log: deps.log,
      runsOnWorkers: () => deps.replays.runsOnWorkers,
    },
    {
      traces,
      model: chosen.model,
      queue: async () => {
        // More than one sample: N samples with the overrides and N without (A/A) per trace.
        if (isRepeated(sampled) && chosen.cache !== false) {
          deps.log.info(`replays: ${CACHE_BYPASS_NOTICE}`);
          void deps.notifications.info(SAMPLES_CACHE_NOTICE);
        }
        const jobs: ReplayJob[] = [];
        for (const p of planSamples(ids, chosen, sampled))
          jobs.push(await deps.replays.enqueue(p.traceId, p.overrides, p.sample));
        return jobs;
      },
      // The whole question again, for the same traces.
      chooseModel: () =>
        vscode.commands.executeCommand(
          ids.length === 1 ? CommandId.ReplayTrace : CommandId.ReplaySelectedTraces,
          ids.length === 1 ? ids[0] : ids,
        ),
    },
  );
}

/** Store ids of what the command got: platform rows (and ids with a sourceId) are copied into the
 *  store first. */
function localIds(deps: Deps, arg: unknown, all: unknown, options: ReplayTraceOptions | undefined): Promise<string[]> {
  if (options) {
    const ids = options.traceIds ?? (options.traceId ? [options.traceId] : []);
    return deps.sources.localTraceIds(ids.map((id) => ({ id, sourceId: options.sourceId })));
  }
  return deps.sources.localTraceIds(traceRefsFromArgs(arg, all));
}

function failed(deps: Deps, err: unknown): undefined {
  // A platform that said no may be the wrong source for this trace: switching is offered too.
  const switchSource = {
    title: 'Switch Trace Source...',
    run: () => vscode.commands.executeCommand(CommandId.SwitchTraceSource),
  };
  void deps.notifications.reportError(err, 'start the replay', ...(err instanceof PlatformError ? [switchSource] : []));
  return undefined;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function registerReplayTraceCommands(deps: Deps): vscode.Disposable[] {
  return [
    // Returns the queued job (undefined when cancelled) so callers can wait for it.
    vscode.commands.registerCommand(CommandId.ReplayTrace, async (arg?: unknown) => {
      try {
        const options = isOptions(arg) ? arg : undefined;
        const id = (await localIds(deps, arg, undefined, options))[0] ?? (await pickTrace(deps));
        if (!id) return undefined;
        const jobs = await replay(deps, [id], options);
        // Repeated samples of one trace: the batch panel aggregates them (spread and verdict).
        if (jobs.length > 1) deps.onBatchQueued?.(jobs);
        return jobs[0];
      } catch (err) {
        return failed(deps, err);
      }
    }),
    // Replay from Here: the wizard with the span preset; returns the queued job (undefined: cancelled).
    vscode.commands.registerCommand(CommandId.ReplayFromSpan, async (arg?: unknown) => {
      try {
        const options = forkOptions(arg);
        if (!options) {
          void deps.notifications.info(
            'Replay from Here starts at an LLM span: use it on an LLM span row of the Traces view or in the trace detail panel.',
          );
          return undefined;
        }
        const id = (await localIds(deps, undefined, undefined, options))[0];
        if (!id) return undefined;
        const jobs = await replay(deps, [id], options);
        if (jobs.length > 1) deps.onBatchQueued?.(jobs);
        return jobs[0];
      } catch (err) {
        return failed(deps, err);
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
        return failed(deps, err);
      }
    }),
  ];
}
