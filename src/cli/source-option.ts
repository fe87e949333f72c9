// `--source local|<platform>|<platform>:<connection>` on the commands that read traces (traces,
// trace, replay, batch, prompts). Platform connections come from the platform's environment
// variables (LANGFUSE_*, PHOENIX_*; see docs/platforms.md), named ones from <PREFIX>_CONNECTIONS.
import type { Command } from 'commander';
import type { SessionOpener } from '../core/replay/platform-replay';
import { openPlatform, resolveTraceSource, type OpenedTraceSource } from '../core/sources/open-source';
import { PLATFORMS } from '../core/sources/platform-registry';
import type { TraceStore } from '../core/store/trace-store';

export const SOURCE_HELP = `where the traces are: local (the store), ${PLATFORMS.map((p) => p.id).join(', ')}, or <platform>:<connection> (keys from ${PLATFORMS.map((p) => `${p.envPrefix}_*`).join(', ')} environment variables)`;

export function addSourceOption(command: Command, defaultValue = 'local'): Command {
  return command.option('--source <source>', SOURCE_HELP, defaultValue);
}

export function openSource(
  value: string | undefined,
  store: TraceStore,
  options: { listTtlSeconds?: number } = {},
): Promise<OpenedTraceSource> {
  // A bad spec or a platform that is not set up throws a usage error (kind 'usage': exit 2).
  return resolveTraceSource(value, { store, env: process.env, listTtlSeconds: options.listTtlSeconds });
}

/** Opens platform connections from the environment (prompt versions, scores of stored replays). */
export function envSessions(store: TraceStore): SessionOpener {
  return (platform, connection) => openPlatform(platform, connection, { store, env: process.env });
}

/** Local ids are OTLP hex (typed in any case); platform ids are case-sensitive strings. */
export function traceIdArg(source: OpenedTraceSource, id: string): string {
  return source.kind === 'local' ? id.toLowerCase() : id;
}
