// Opens the trace source a `--source` value names: `local` (the store), `langfuse` (the default
// Langfuse connection) or `langfuse:<name>` (a named one), with connections from the environment
// (see langfuse-config.ts). Langfuse reads are cached in the store, so a second look at a page or a
// trace costs no request. The CLI's traces / trace / replay / batch commands and the prompts list
// all open their source here.
import type { TraceStore } from '../store/trace-store';
import { LangfuseClient, type LangfuseClientOptions } from './langfuse/langfuse-client';
import { storeLangfuseCache } from './langfuse/langfuse-cache';
import { findLangfuseConnection, langfuseConnectionsFromEnv, type LangfuseConnection } from './langfuse/langfuse-config';
import { LangfusePrompts } from './langfuse/langfuse-prompts';
import { LangfuseTraceSource } from './langfuse/langfuse-source';
import { LOCAL_SOURCE_ID, LocalTraceSource } from './local-source';

export type Env = Record<string, string | undefined>;

export type SourceSpec = { kind: 'local' } | { kind: 'langfuse'; connection?: string };

export class SourceSpecError extends Error {
  readonly code = 'invalid-source';
  override name = 'SourceSpecError';
  constructor(readonly value: string) {
    super(`"${value}" is not a trace source; use local, langfuse or langfuse:<connection name>.`);
  }
}

/** Everything a Langfuse flow needs, on one connection. */
export interface LangfuseContext {
  connection: LangfuseConnection;
  client: LangfuseClient;
  source: LangfuseTraceSource;
  prompts: LangfusePrompts;
}

export type OpenedTraceSource =
  | { kind: 'local'; id: string; label: string; source: LocalTraceSource }
  | ({ kind: 'langfuse'; id: string; label: string } & LangfuseContext);

export interface OpenSourceContext {
  store: TraceStore;
  env?: Env;
  /** Tests pass a fetch or a sleep; the CLI uses the defaults (Retry-After is really waited for). */
  clientOptions?: LangfuseClientOptions;
}

export function parseSourceSpec(value: string | undefined): SourceSpec {
  const v = (value ?? LOCAL_SOURCE_ID).trim();
  if (v === LOCAL_SOURCE_ID) return { kind: 'local' };
  if (v === 'langfuse') return { kind: 'langfuse' };
  if (v.startsWith('langfuse:') && v.length > 'langfuse:'.length) return { kind: 'langfuse', connection: v.slice('langfuse:'.length) };
  throw new SourceSpecError(v);
}

/** A Langfuse connection from the environment (the first one without a name), with its client,
 *  its store-cached trace source and its prompts. Throws LangfuseConfigError when none is set. */
export async function openLangfuse(connectionName: string | undefined, ctx: OpenSourceContext): Promise<LangfuseContext> {
  const connection = findLangfuseConnection(langfuseConnectionsFromEnv(ctx.env ?? {}), connectionName);
  const client = new LangfuseClient(connection, ctx.clientOptions);
  const source = new LangfuseTraceSource(client, { cache: await storeLangfuseCache(ctx.store) });
  return { connection, client, source, prompts: new LangfusePrompts(client) };
}

export async function resolveTraceSource(value: string | undefined, ctx: OpenSourceContext): Promise<OpenedTraceSource> {
  const spec = parseSourceSpec(value);
  if (spec.kind === 'local') {
    const source = new LocalTraceSource(ctx.store);
    return { kind: 'local', id: source.id, label: source.label, source };
  }
  const lf = await openLangfuse(spec.connection, ctx);
  return { kind: 'langfuse', id: lf.source.id, label: lf.source.label, ...lf };
}
