import type { Command } from 'commander';
import { addStoreOption, withStore } from '../store-option';
import { tracesTable } from '../format-text';
import { traceSummaryJson } from '../json-shapes';

export function registerTracesCommand(program: Command): void {
  addStoreOption(
    program
      .command('traces')
      .description('list the traces in the store, newest first')
      .option('--limit <n>', 'how many traces at most', Number, 100)
      .option('--offset <n>', 'skip this many of the newest', Number, 0)
      .option('--filter <text>', 'only traces whose name, model, prompt or service contains this text')
      .option('--replays', 'list the traces produced by replays instead of the recorded ones')
      .option('--json', 'print JSON: [{id, name, startTime, durationMs, spanCount, llmSpanCount, models}]'),
  ).action(async (opts: { store: string; limit: number; offset: number; filter?: string; replays?: boolean; json?: boolean }) => {
    const filter = { text: opts.filter, origin: opts.replays ? ('replay' as const) : ('recorded' as const) };
    const summaries = await withStore(opts.store, store => store.listTraces({ limit: opts.limit, offset: opts.offset, filter }));
    if (opts.json) console.log(JSON.stringify(summaries.map(traceSummaryJson), null, 2));
    else console.log(summaries.length ? tracesTable(summaries) : `No traces in ${opts.store}. Import a file (trace-replay import FILE) or run the receiver (trace-replay receive).`);
  });
}
