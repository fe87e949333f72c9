// `--source local|<platform>|<platform>:<connection>` on the commands that read traces (traces,
// trace, replay, batch, prompts). Platform connections come from the platform's environment
// variables (LANGFUSE_*, PHOENIX_*; see docs/platforms.md), named ones from <PREFIX>_CONNECTIONS.
import type { Command } from 'commander';
import type { SessionOpener } from '../core/replay/platform-replay';
import { openPlatform, resolveTraceSource, SourceSpecError, type OpenedTraceSource } from '../core/sources/open-source';
import { isPlatformUsageError } from '../core/sources/platform-errors';
import { PLATFORMS } from '../core/sources/platform-registry';
import type { TraceStore } from '../core/store/trace-store';
import { CliError } from './cli-error';

export const SOURCE_HELP = `where the traces are: local (the store), ${PLATFORMS.map((p) => p.id).join(', ')}, or <platform>:<connection> (keys from ${PLATFORMS.map((p) => `${p.envPrefix}_*`).join(', ')} environment variables)`;

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
    if (err instanceof SourceSpecError || isPlatformUsageError(err) || also.some((c) => err instanceof c))
      throw new CliError((err as Error).message, 2);
    throw err;
  }
}

export function openSource(
  value: string | undefined,
  store: TraceStore,
  options: { listTtlSeconds?: number } = {},
): Promise<OpenedTraceSource> {
  return usageErrors(() =>
    resolveTraceSource(value, { store, env: process.env, listTtlSeconds: options.listTtlSeconds }),
  );
}

/** Opens platform connections from the environment (prompt versions, scores of stored replays). */
export function envSessions(store: TraceStore): SessionOpener {
  return (platform, connection) => usageErrors(() => openPlatform(platform, connection, { store, env: process.env }));
}

/** Local ids are OTLP hex (typed in any case); platform ids are case-sensitive strings. */
export function traceIdArg(source: OpenedTraceSource, id: string): string {
  return source.kind === 'local' ? id.toLowerCase() : id;
}
