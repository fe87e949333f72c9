// The "Replays" view and the commands on its items: cancel, re-run, delete, refresh, and "Show
// Replays" from a trace in the Traces view (reveals that trace's group here).
import * as vscode from 'vscode';
import { TERMINAL_STATUSES } from '../../core/replay/replay-types';
import { CommandId, REPLAYS_VIEW_ID } from '../common/command-ids';
import { jobIdsFromArgs, traceRefsFromArgs } from '../replay/replay-args';
import type { ReplayHost } from '../replay/replay-host';
import { pickReplayJob } from '../replay/replay-pick';
import type { ReplaysTreeNode, ReplaysTreeProvider } from './replays-tree';
import type { StoreHost } from '../store/store-host';
import type { TraceSources } from '../sources/trace-sources';
import type { Notifications } from '../common/notifications';

export function registerReplaysView(
  tree: ReplaysTreeProvider,
  host: ReplayHost,
  stores: StoreHost,
  sources: TraceSources,
  notifications: Notifications,
): vscode.Disposable[] {
  const view: vscode.TreeView<ReplaysTreeNode> = vscode.window.createTreeView(REPLAYS_VIEW_ID, {
    treeDataProvider: tree,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const guarded =
    (what: string, fn: (arg?: unknown, all?: unknown) => Promise<unknown>) => async (arg?: unknown, all?: unknown) => {
      try {
        return await fn(arg, all);
      } catch (err) {
        void notifications.reportError(err, what);
        return undefined;
      }
    };
  return [
    view,
    vscode.commands.registerCommand(CommandId.RefreshReplays, () => tree.refresh()),
    vscode.commands.registerCommand(
      CommandId.CancelReplay,
      guarded('cancel the replay', async (arg, all) => {
        let ids = jobIdsFromArgs(arg, all);
        if (!ids.length) {
          const picked = await pickReplayJob(
            host,
            stores,
            ['RUNNING', 'PENDING'],
            'Trace Replay: Cancel Replay',
            notifications,
          );
          ids = picked ? [picked] : [];
        }
        const results = await Promise.all(ids.map((id) => host.cancel(id)));
        return results.some(Boolean);
      }),
    ),
    vscode.commands.registerCommand(
      CommandId.RerunReplay,
      guarded('re-run the replay', async (arg, all) => {
        const jobs = [];
        for (const id of jobIdsFromArgs(arg, all)) {
          const job = await host.getJob(id);
          if (job) jobs.push(await host.enqueue(job.traceId, job.overrides));
        }
        return jobs;
      }),
    ),
    vscode.commands.registerCommand(
      CommandId.DeleteReplay,
      guarded('delete the replay', async (arg, all) => {
        let deleted = 0;
        for (const id of jobIdsFromArgs(arg, all)) {
          const job = await host.getJob(id);
          if (job && TERMINAL_STATUSES.has(job.status) && (await host.deleteJob(id))) deleted++;
        }
        return deleted;
      }),
    ),
    vscode.commands.registerCommand(
      CommandId.ShowReplaysOfTrace,
      guarded('show the replays', async (arg, all) => {
        // A platform row: its replays are filed under the store copy's id.
        const [traceId] = await sources.localTraceIds(traceRefsFromArgs(arg, all).slice(0, 1));
        if (!traceId) return false;
        const group = await tree.groupOf(traceId);
        if (!group) {
          await notifications.info('This trace has not been replayed yet.', {
            title: 'Replay Trace',
            run: () => vscode.commands.executeCommand(CommandId.ReplayTrace, traceId),
          });
          return false;
        }
        await view.reveal(group, { select: true, focus: true, expand: true });
        return true;
      }),
    ),
  ];
}
