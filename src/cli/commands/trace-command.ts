import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { addStoreOption, withStore } from '../store-option';
import { addSourceOption, openSource, traceIdArg } from '../source-option';
import { traceTree } from '../format-text';
import { traceJson } from '../json-shapes';

export function registerTraceCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      program
        .command('trace')
        .description('show one trace: its span tree, or everything as JSON')
        .argument(
          '<id>',
          'trace id (32 hex characters, as listed by `trace-replay traces`; a platform trace id with --source <platform>)',
        )
        .option('--refresh', 'platforms: read the trace again instead of using the copy cached in the store')
        .option('--json', 'print the normalized trace as JSON (see README for the shape)'),
    ),
  ).action(async (id: string, opts: { store: string; source: string; refresh?: boolean; json?: boolean }) => {
    const trace = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      if (source.kind === 'platform') return source.session.traces.requireTrace(id, { refresh: opts.refresh });
      return store.getTrace(traceIdArg(source, id));
    });
    if (!trace)
      throw new CliError(
        `Trace ${id} is not in the store ${opts.store}; list the stored ids with \`trace-replay traces --store ${opts.store}\`.`,
      );
    console.log(opts.json ? JSON.stringify(traceJson(trace), null, 2) : traceTree(trace));
  });
}
