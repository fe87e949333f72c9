// Opens the trace source a `--source` value names: `local` (the store), `<platform>` (that
// platform's default connection, e.g. `langfuse`, `phoenix`) or `<platform>:<name>` (a named one),
// with connections from the environment (<PREFIX>_* variables, see platform-env.ts). Platform
// reads are cached in the store, so a second look at a page or a trace costs no request. The CLI's
// traces / trace / replay / batch / prompts commands all open their source here.
import { UserError } from '../util/user-error';
import type { TraceStore } from '../store/trace-store';
import { LOCAL_SOURCE_ID, LocalTraceSource } from './local-source';
import type { Env, PlatformClientOptions, PlatformConnection, PlatformDescriptor, PlatformSession } from './platform';
import { findConnection } from './platform-env';
import { findPlatform, PLATFORMS } from './platform-registry';

export type { Env } from './platform';

export type SourceSpec = { kind: 'local' } | { kind: 'platform'; platform: PlatformDescriptor; connection?: string };

/** "local, langfuse or langfuse:<connection name>". */
function sourceChoices(): string {
  const choices = ['local', ...PLATFORMS.flatMap((p) => [p.id, `${p.id}:<connection name>`])];
  return `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}

export class SourceSpecError extends UserError {
  readonly code = 'INVALID_SOURCE';
  override readonly kind = 'usage';
  override name = 'SourceSpecError';
  constructor(readonly value: string) {
    super(`"${value}" is not a trace source; use ${sourceChoices()}.`);
  }
}

export type OpenedTraceSource =
  | { kind: 'local'; id: string; label: string; source: LocalTraceSource }
  | { kind: 'platform'; id: string; label: string; session: PlatformSession };

export interface OpenSourceContext {
  store: TraceStore;
  env?: Env;
  /** Tests pass a fetch or a sleep; the CLI uses the defaults (Retry-After is really waited for). */
  clientOptions?: PlatformClientOptions;
  /** Cached list pages older than this are read again (the platform default when absent). */
  listTtlSeconds?: number;
}

export function parseSourceSpec(value: string | undefined): SourceSpec {
  const v = (value ?? LOCAL_SOURCE_ID).trim();
  if (v === LOCAL_SOURCE_ID) return { kind: 'local' };
  const colon = v.indexOf(':');
  const platform = findPlatform(colon < 0 ? v : v.slice(0, colon));
  if (!platform) throw new SourceSpecError(v);
  if (colon < 0) return { kind: 'platform', platform };
  const connection = v.slice(colon + 1);
  if (!connection) throw new SourceSpecError(v);
  return { kind: 'platform', platform, connection };
}

/** A platform connection from the environment (the first one when no name is given), opened.
 *  Throws a PlatformConfigError naming what to set when there is none. */
export async function openPlatform(
  platform: PlatformDescriptor,
  connectionName: string | undefined,
  ctx: OpenSourceContext,
): Promise<PlatformSession> {
  const connection: PlatformConnection = findConnection(
    platform,
    platform.connectionsFromEnv(ctx.env ?? {}),
    connectionName,
  );
  return platform.open(connection, {
    store: ctx.store,
    clientOptions: ctx.clientOptions,
    listTtlSeconds: ctx.listTtlSeconds,
  });
}

export async function resolveTraceSource(
  value: string | undefined,
  ctx: OpenSourceContext,
): Promise<OpenedTraceSource> {
  const spec = parseSourceSpec(value);
  if (spec.kind === 'local') {
    const source = new LocalTraceSource(ctx.store);
    return { kind: 'local', id: source.id, label: source.label, source };
  }
  const session = await openPlatform(spec.platform, spec.connection, ctx);
  return { kind: 'platform', id: session.sourceId, label: session.label, session };
}
