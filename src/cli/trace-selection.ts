// Which traces `batch` and `estimate` take: --filter, --prompt and --limit over the store or a
// platform's trace list (--source), newest first.
import type { Command } from 'commander';
import type { TraceSummary } from '../core/model/trace';
import type { OpenedTraceSource } from '../core/sources/open-source';
import { matchesTraceFilter } from '../core/store/trace-filter';
import type { TraceStore } from '../core/store/trace-store';
import { positiveInt } from './override-options';

export interface TraceSelectionOptions {
  filter?: string;
  prompt?: string;
  limit: number;
  /** Platforms: read the list again instead of the cached pages. */
  refresh?: boolean;
}

export function addTraceSelectionOptions(command: Command): Command {
  return command
    .option('--filter <text>', 'only traces whose name, model, prompt or service contains this text')
    .option('--prompt <name>', 'only traces whose LLM spans used this prompt')
    .option('--limit <n>', 'at most this many traces (newest first)', positiveInt, 50);
}

/** The newest recorded traces that match, at most --limit: from the store, or page by page from
 *  a platform (cached pages for a minute unless --refresh; --filter and --prompt narrow each page). */
export async function selectTraces(
  source: OpenedTraceSource,
  store: TraceStore,
  opts: TraceSelectionOptions,
): Promise<TraceSummary[]> {
  if (source.kind === 'local')
    return store.listTraces({
      limit: opts.limit,
      filter: { text: opts.filter, prompt: opts.prompt, origin: 'recorded' },
    });
  if (opts.refresh) await source.session.traces.refreshList();
  const picked: TraceSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.session.traces.listTraces({
      limit: Math.min(100, opts.limit),
      cursor,
      refresh: opts.refresh,
    });
    picked.push(...page.traces.filter((t) => matchesTraceFilter(t, { text: opts.filter, prompt: opts.prompt })));
    cursor = page.nextCursor;
  } while (cursor !== undefined && picked.length < opts.limit);
  return picked.slice(0, opts.limit);
}
