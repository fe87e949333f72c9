// `--source local|langfuse|langfuse:<name>` on the commands that read traces (traces, trace,
// replay, batch). Langfuse connections come from LANGFUSE_BASE_URL (or LANGFUSE_HOST),
// LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, named ones from LANGFUSE_CONNECTIONS.
import type { Command } from 'commander';
import { LangfuseConfigError } from '../core/sources/langfuse/langfuse-errors';
import { openLangfuse, resolveTraceSource, SourceSpecError, type LangfuseContext, type OpenedTraceSource } from '../core/sources/open-source';
import type { TraceStore } from '../core/store/trace-store';
import { CliError } from './cli-error';

export const SOURCE_HELP = 'where the traces are: local (the store), langfuse, or langfuse:<connection> (keys from the LANGFUSE_* environment variables)';

export function addSourceOption(command: Command, defaultValue = 'local'): Command {
  return command.option('--source <source>', SOURCE_HELP, defaultValue);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Configuration mistakes (and the extra error classes given) are usage errors: exit 2, said in
 *  one sentence. */
export async function usageErrors<T>(work: () => Promise<T>, ...also: ErrorClass[]): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ([SourceSpecError, LangfuseConfigError, ...also].some(c => err instanceof c)) throw new CliError((err as Error).message, 2);
    throw err;
  }
}

export function openSource(value: string | undefined, store: TraceStore): Promise<OpenedTraceSource> {
  return usageErrors(() => resolveTraceSource(value, { store, env: process.env }));
}

/** The Langfuse connection of `source` when it is one, else the first configured connection. */
export function langfuseFor(source: OpenedTraceSource, store: TraceStore): Promise<LangfuseContext> {
  if (source.kind === 'langfuse') return Promise.resolve(source);
  return usageErrors(() => openLangfuse(undefined, { store, env: process.env }));
}

/** Local ids are OTLP hex (typed in any case); Langfuse ids are case-sensitive strings. */
export function traceIdArg(source: OpenedTraceSource, id: string): string {
  return source.kind === 'local' ? id.toLowerCase() : id;
}
