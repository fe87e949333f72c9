// After "Replay Selected Traces": once every job of the batch has ended, one notification sums it
// up and offers "Open Batch Summary" (the aggregate panel) when at least one replay can be compared.
import * as vscode from 'vscode';
import type { ReplayJob } from '../../core/replay/replay-types';
import { CommandId } from '../common/command-ids';
import type { Log } from '../common/log';
import type { Notifications } from '../common/notifications';
import type { ReplayHost } from './replay-host';

export async function announceBatch(
  replays: ReplayHost,
  jobs: readonly ReplayJob[],
  log: Log,
  notifications: Notifications,
): Promise<void> {
  try {
    const done = await Promise.all(jobs.map((j) => replays.wait(j.id)));
    const count = (status: ReplayJob['status']) => done.filter((j) => j.status === status).length;
    const parts = [
      `${count('COMPLETED')} completed`,
      count('FAILED') ? `${count('FAILED')} failed` : '',
      count('CANCELLED') ? `${count('CANCELLED')} cancelled` : '',
    ];
    const text = `The batch of ${done.length} replays finished: ${parts.filter(Boolean).join(', ')}.`;
    log.info(text);
    const comparable = done.filter((j) => j.replayTraceId).map((j) => j.id);
    if (!comparable.length) {
      void notifications.warning(text);
      return;
    }
    await notifications.info(text, {
      title: 'Open Batch Summary',
      run: () => vscode.commands.executeCommand(CommandId.OpenBatchSummary, comparable),
    });
  } catch (err) {
    log.error('summing up the batch failed', err);
  }
}
