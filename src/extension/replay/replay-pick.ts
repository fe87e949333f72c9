// A quick pick of replay jobs, for commands run from the Command Palette without an argument.
import * as vscode from 'vscode';
import type { ReplayJobStatus } from '../../core/replay/replay-types';
import { relativeTime } from '../common/format';
import { describeOverrides, STATUS_TEXT } from './replay-format';
import type { ReplayHost } from './replay-host';
import type { StoreHost } from '../store/store-host';
import type { Notifications } from '../common/notifications';

export async function pickReplayJob(
  host: ReplayHost,
  stores: StoreHost,
  statuses: ReplayJobStatus[],
  title: string,
  notifications: Notifications,
): Promise<string | undefined> {
  const jobs = (await host.listJobs()).filter((j) => statuses.includes(j.status));
  if (!jobs.length) {
    void notifications.info(`There is no ${statuses.map((s) => STATUS_TEXT[s]).join(' or ')} replay.`);
    return undefined;
  }
  const store = stores.current();
  const picked = await vscode.window.showQuickPick(
    jobs.map((j) => ({
      label: store?.getSummary(j.traceId)?.name || j.traceId,
      description: `${describeOverrides(j)} · ${STATUS_TEXT[j.status]} · ${relativeTime(Date.parse(j.createdAt))}`,
      id: j.id,
    })),
    { title, placeHolder: 'Replay (newest first)', matchOnDescription: true },
  );
  return picked?.id;
}
