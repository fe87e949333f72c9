// `trace-replay resume`: finishes the replays an interrupted run left PENDING or RUNNING (a killed
// CLI, a closed VS Code) without sending their finished spans again. Jobs that another live process
// is running are left to it and named. `replay` and `batch` resume the same way when they start.
import type { Command } from 'commander';
import { countOf } from '../../core/compare/format-values';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../core/replay/replay-queue';
import { CliError } from '../cli-error';
import { positiveInt } from '../override-options';
import { replayJobJson, replayJobText } from '../replay-json';
import { ReplayProgress } from '../replay-progress';
import { runReplaysAndResume } from '../run-replays';
import { addStoreOption, withStore } from '../store-option';

interface ResumeOptions {
  store: string;
  json?: boolean;
  concurrency: number;
}

export function registerResumeCommand(program: Command): void {
  addStoreOption(
    program
      .command('resume')
      .description('finish the replays an interrupted run left unfinished (finished spans are not sent again)')
      .option('--concurrency <n>', 'replay jobs running at once', positiveInt, DEFAULT_REPLAY_CONCURRENCY)
      .option('--json', 'print JSON: the resumed jobs (an array)'),
  ).action(async (opts: ResumeOptions) => {
    const run = await withStore(opts.store, (store) =>
      runReplaysAndResume(store, [], { overrides: {}, concurrency: opts.concurrency, json: opts.json }),
    );
    if (opts.json) console.log(JSON.stringify(run.resumed.map(replayJobJson), null, 2));
    else {
      if (ReplayProgress.enabled(opts.json)) for (const job of run.resumed) console.log(replayJobText(job));
      if (!run.resumed.length) console.log('No interrupted replays to resume.');
    }
    if (run.elsewhere.length) {
      const owners = [...new Set(run.elsewhere.map((j) => j.owner ?? 'unknown'))].join(', ');
      console.error(
        `trace-replay: ${countOf(run.elsewhere.length, 'replay')} still running in another process (${owners}); left to it.`,
      );
    }
    const unfinished = run.resumed.filter((j) => j.status !== 'COMPLETED').length;
    if (unfinished)
      throw new CliError(`${unfinished} of ${run.resumed.length} resumed replay(s) did not complete; see above.`);
  });
}
