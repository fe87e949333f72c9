import type { Command } from 'commander';
import { listReplayJobs, openReplayJobs } from '../../core/replay/replay-history';
import { replayJobJson, replaysTable } from '../replay-json';
import { addStoreOption, withStore } from '../store-option';

export function registerReplaysCommand(program: Command): void {
  addStoreOption(
    program
      .command('replays')
      .description('list the replay history, newest first')
      .option('--trace <id>', 'only replays of this original trace')
      .option(
        '--json',
        'print JSON: [{id, status, traceId, replayTraceId, overrides, startedAt, finishedAt, spans, error?, sample?}]',
      ),
  ).action(async (opts: { store: string; trace?: string; json?: boolean }) => {
    const jobs = await withStore(opts.store, async (store) =>
      listReplayJobs(await openReplayJobs(store), { traceId: opts.trace?.toLowerCase() }),
    );
    if (opts.json) console.log(JSON.stringify(jobs.map(replayJobJson), null, 2));
    else
      console.log(
        jobs.length
          ? replaysTable(jobs)
          : `No replays in ${opts.store}${opts.trace ? ` for trace ${opts.trace}` : ''}. Start one with trace-replay replay TRACE_ID.`,
      );
  });
}
