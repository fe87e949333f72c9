import type { Command } from 'commander';
import { PLATFORMS } from '../../core/sources/platform-registry';
import type { TraceSummary } from '../../core/model/trace';
import { CliError } from '../cli-error';
import { DEFAULT_LIST_TTL_SECONDS } from '../../core/sources/platform';
import { wholeNumber } from '../option-values';
import { addStoreOption, withStore } from '../store-option';
import { addSourceOption, openSource } from '../source-option';
import { tracesTable } from '../format-text';
import { traceSummaryJson } from '../json-shapes';

interface TracesOptions {
  store: string;
  source: string;
  limit?: number;
  offset: number;
  cursor?: string;
  refresh?: boolean;
  listTtl?: number;
  filter?: string;
  replays?: boolean;
  json?: boolean;
}

export function registerTracesCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      program
        .command('traces')
        .description(
          `list the traces in the store (or on a platform with --source ${PLATFORMS.map((p) => p.id).join(' / ')}), newest first`,
        )
        .option(
          '--limit <n>',
          'how many traces at most (default 100 from the store, 20 per page from a platform, at most 100)',
          wholeNumber('--limit', 1),
        )
        .option('--offset <n>', 'skip this many of the newest (store only)', wholeNumber('--offset', 0), 0)
        .option('--cursor <cursor>', 'platforms: the page after this cursor (printed under the previous page)')
        .option('--refresh', 'platforms: ask the platform again instead of using the pages cached in the store')
        .option(
          '--list-ttl <seconds>',
          `platforms: serve a cached page younger than this, else ask again (default ${DEFAULT_LIST_TTL_SECONDS}; 0 always asks)`,
          wholeNumber('--list-ttl', 0),
        )
        .option('--filter <text>', 'only traces whose name, model, prompt or service contains this text')
        .option('--replays', 'list the traces produced by replays instead of the recorded ones (store only)')
        .option('--json', 'print JSON: [{id, name, startTime, durationMs, spanCount, llmSpanCount, models}]'),
    ),
  ).action(async (opts: TracesOptions) => {
    const listed = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      if (source.kind === 'local') {
        if (opts.cursor !== undefined)
          throw new CliError("--cursor pages a platform's lists; page the store with --offset.", 'usage');
        if (opts.listTtl !== undefined)
          throw new CliError(
            "--list-ttl is how long a platform's page is cached; the store is always read as it is.",
            'usage',
          );
        const filter = { text: opts.filter, origin: opts.replays ? ('replay' as const) : ('recorded' as const) };
        return {
          summaries: await store.listTraces({ limit: opts.limit ?? 100, offset: opts.offset, filter }),
          label: source.label,
        };
      }
      if (opts.replays || opts.offset)
        throw new CliError(
          `--replays and --offset list the store; with --source ${opts.source} page with --cursor.`,
          'usage',
        );
      if (opts.refresh) await source.session.traces.refreshList();
      // A cursor that is not the list's (or a platform too old to list) is a usage error: exit 2.
      const page = await source.session.traces.listTraces({
        limit: opts.limit,
        cursor: opts.cursor,
        filter: { text: opts.filter },
        refresh: opts.refresh,
        listTtlSeconds: opts.listTtl,
      });
      return { summaries: page.traces, label: source.label, nextCursor: page.nextCursor, sourceValue: opts.source };
    });
    print(listed.summaries, opts, listed.label);
    // On stderr so --json output stays one JSON document.
    if ('nextCursor' in listed && listed.nextCursor) {
      console.error(`More traces: trace-replay traces --source ${listed.sourceValue} --cursor ${listed.nextCursor}`);
    }
  });
}

function print(summaries: TraceSummary[], opts: TracesOptions, label: string): void {
  if (opts.json) console.log(JSON.stringify(summaries.map(traceSummaryJson), null, 2));
  else if (summaries.length) console.log(tracesTable(summaries));
  else if (opts.source === 'local')
    console.log(
      `No traces in ${opts.store}. Import a file (trace-replay import FILE) or run the receiver (trace-replay receive).`,
    );
  else console.log(`No traces in ${label}${opts.filter ? ` match "${opts.filter}"` : ''}.`);
}
