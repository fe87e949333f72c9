// The commands that open panels: "Open Comparison" (a replay's comparison panel), "Compare Two
// Replays" (two comparison panels of one trace side by side; replays of different traces are
// refused with the reason), "Open Trace Details" (the trace panel; a click on
// a trace or span in the Traces view) and "Open Batch Summary" (the aggregate of a batch).
// Each returns the id of what it opened (undefined when nothing opened) so callers and tests can
// find the panel.
import * as vscode from 'vscode';
import { CommandId } from '../common/command-ids';
import type { Notifications } from '../common/notifications';
import { relativeTime } from '../common/format';
import type { Panels } from './panels';
import { jobIdsFromArgs, traceRefsFromArgs } from '../replay/replay-args';
import type { ReplayHost } from '../replay/replay-host';
import { pickReplayJob } from '../replay/replay-pick';
import type { StoreHost } from '../store/store-host';
import type { TraceRef, TraceSources } from '../sources/trace-sources';

const PICK_LIMIT = 500;

function guarded<A extends unknown[], R>(notifications: Notifications, what: string, fn: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R | undefined> => {
    try {
      return await fn(...args);
    } catch (err) {
      // A platform error already says what to check (keys, URL, a trace the platform no longer has).
      void notifications.reportError(err, what);
      return undefined;
    }
  };
}

/** A trace (and maybe a span) from what a command got: an id, a Traces view node, { traceId, spanId },
 *  or { traceId, sourceId } (a platform row). */
function traceTarget(arg: unknown): { trace: TraceRef; spanId?: string } | undefined {
  if (typeof arg === 'object' && arg !== null) {
    const a = arg as {
      type?: unknown;
      traceId?: unknown;
      spanId?: unknown;
      sourceId?: unknown;
      span?: { id?: unknown };
    };
    if (a.type === 'span' && typeof a.traceId === 'string' && typeof a.span?.id === 'string')
      return { trace: { id: a.traceId }, spanId: a.span.id };
    if (a.type === undefined && typeof a.traceId === 'string' && a.sourceId === undefined) {
      return { trace: { id: a.traceId }, spanId: typeof a.spanId === 'string' ? a.spanId : undefined };
    }
  }
  const [trace] = traceRefsFromArgs(arg, undefined);
  return trace ? { trace } : undefined;
}

async function pickTrace(stores: StoreHost, notifications: Notifications): Promise<string | undefined> {
  const summaries = await (await stores.get()).listTraces({ limit: PICK_LIMIT, filter: { origin: 'recorded' } });
  if (!summaries.length) {
    void notifications.info('There are no recorded traces yet; import or record some first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    summaries.map((s) => ({
      label: s.name || s.id,
      description: `${relativeTime(s.startTime)} · ${s.models.join(', ')}`,
      detail: s.id,
      id: s.id,
    })),
    {
      title: 'Trace Replay: Open Trace Details',
      placeHolder: 'Trace (newest first)',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return picked?.id;
}

/** Two replays of different traces have no common original, so side by side they compare
 *  nothing: the one sentence that says so and what to select instead (undefined: same trace). */
async function differentTraces(
  replays: ReplayHost,
  stores: StoreHost,
  a: string,
  b: string,
): Promise<string | undefined> {
  const [ja, jb] = await Promise.all([replays.getJob(a), replays.getJob(b)]);
  if (!ja || !jb || ja.traceId === jb.traceId) return undefined; // a missing replay is reported when its panel opens
  const store = await stores.get();
  const name = (traceId: string): string => `"${store.getSummary(traceId)?.name || traceId.slice(0, 8)}"`;
  return `These replays are of different traces (${name(ja.traceId)} and ${name(jb.traceId)}), so they have no original in common to compare against; select two replays under the same trace in the Replays view, or open each one with Open Comparison.`;
}

export function registerPanelCommands(
  panels: Panels,
  replays: ReplayHost,
  stores: StoreHost,
  sources: TraceSources,
  notifications: Notifications,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      CommandId.OpenComparison,
      guarded(notifications, 'open the comparison', async (arg?: unknown, all?: unknown) => {
        const id =
          jobIdsFromArgs(arg, all)[0] ??
          (await pickReplayJob(
            replays,
            stores,
            ['COMPLETED', 'FAILED', 'CANCELLED', 'RUNNING', 'PENDING'],
            'Trace Replay: Open Comparison',
            notifications,
          ));
        if (!id) return undefined;
        return (await panels.openComparison(id))?.replayId;
      }),
    ),
    // Two comparison panels side by side rather than a batch summary of two: each shows its own
    // span-level diffs and metric deltas against the same original, which is what comparing two
    // replays needs; a bootstrap interval over two pairs says nothing.
    vscode.commands.registerCommand(
      CommandId.CompareReplays,
      guarded(notifications, 'compare the replays', async (arg?: unknown, all?: unknown) => {
        const ids = jobIdsFromArgs(arg, all);
        if (ids.length !== 2) {
          void notifications.info('Select exactly two replays (Ctrl/Cmd-click) to compare them.');
          return undefined;
        }
        const refused = await differentTraces(replays, stores, ids[0], ids[1]);
        if (refused) {
          void notifications.warning(refused); // not awaited: the command does not wait for the toast to close
          return undefined;
        }
        const left = await panels.openComparison(ids[0], { column: vscode.ViewColumn.One, withTemplate: false });
        const right = await panels.openComparison(ids[1], {
          column: left ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
          withTemplate: false,
        });
        const opened = [left?.replayId, right?.replayId].filter((x): x is string => !!x);
        return opened.length ? opened : undefined;
      }),
    ),
    vscode.commands.registerCommand(
      CommandId.OpenTraceDetail,
      // Args: (target) or (target, { preview: true }) from a click in the Traces view (the preview
      // panel); a context menu passes (node, selected nodes) and opens a pinned panel.
      guarded(notifications, 'open the trace details', async (arg?: unknown, how?: unknown) => {
        const target = traceTarget(arg);
        // A platform trace is copied into the store first (no request when it is there already).
        const traceId = target
          ? (await sources.localTraceIds([target.trace]))[0]
          : await pickTrace(stores, notifications);
        if (!traceId) return undefined;
        const preview =
          typeof how === 'object' &&
          how !== null &&
          !Array.isArray(how) &&
          (how as { preview?: unknown }).preview === true;
        return (await panels.openTrace(traceId, { selectSpanId: target?.spanId, preview }))?.traceId;
      }),
    ),
    vscode.commands.registerCommand(
      CommandId.OpenBatchSummary,
      guarded(notifications, 'open the batch summary', async (arg?: unknown, all?: unknown) => {
        const ids = jobIdsFromArgs(arg, all);
        if (!ids.length) {
          void notifications.info('Select the replays of the batch (Ctrl/Cmd-click) first.');
          return undefined;
        }
        return (await panels.openBatch(ids))?.replayIds;
      }),
    ),
  ];
}
