import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { addStoreOption, withStore } from '../store-option';
import { traceTree } from '../format-text';
import { traceJson } from '../json-shapes';

export function registerTraceCommand(program: Command): void {
  addStoreOption(
    program
      .command('trace')
      .description('show one trace: its span tree, or everything as JSON')
      .argument('<id>', 'trace id (32 hex characters, as listed by `trace-replay traces`)')
      .option('--json', 'print the normalized trace as JSON (see README for the shape)'),
  ).action(async (id: string, opts: { store: string; json?: boolean }) => {
    const trace = await withStore(opts.store, store => store.getTrace(id.toLowerCase()));
    if (!trace) throw new CliError(`Trace ${id} is not in the store ${opts.store}; list the stored ids with \`trace-replay traces --store ${opts.store}\`.`);
    console.log(opts.json ? JSON.stringify(traceJson(trace), null, 2) : traceTree(trace));
  });
}
