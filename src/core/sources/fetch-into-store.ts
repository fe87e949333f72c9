// Copies a trace from its platform into the local store, so the replay engine, the replay history
// and the comparison work on it exactly as on a recorded trace. The copy is marked with
// `Trace.source` (platform, connection, base URL, the platform's id, its page), and the platform
// completes it first (PlatformSession.prepareForStore: e.g. the templates of linked prompt
// versions).
import { UserError } from '../util/user-error';
import type { Trace, TraceOrigin } from '../model/trace';
import { otlpTraceId } from '../otlp/encode-otlp-json';
import type { TraceStore } from '../store/trace-store';
import type { OpenedTraceSource } from './open-source';
import type { PlatformSession } from './platform';

export class TraceNotInStoreError extends UserError {
  readonly code = 'TRACE_NOT_FOUND';
  override name = 'TraceNotInStoreError';
  constructor(
    readonly traceId: string,
    readonly storeDir: string,
  ) {
    super(`Trace ${traceId} is not in the store ${storeDir}; list the stored ids with \`trace-replay traces\`.`);
  }
}

export interface FetchedTrace {
  /** The id of the copy in the local store (what replay jobs and comparisons refer to). */
  localId: string;
  trace: Trace;
  /** False when the store already held the copy (no request was made). */
  fetched: boolean;
}

// The store's document-id rule (document-collection.ts): ids name files.
const FILE_SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** Platform ids are kept when they can name a file; others get a stable 32-hex id. */
export function localTraceIdFor(platformTraceId: string): string {
  return FILE_SAFE_ID.test(platformTraceId) ? platformTraceId : otlpTraceId(platformTraceId);
}

function sameOrigin(trace: Trace | undefined, origin: TraceOrigin): boolean {
  const s = trace?.source;
  return (
    s !== undefined &&
    s.kind === origin.kind &&
    s.baseUrl === origin.baseUrl &&
    s.connection === origin.connection &&
    s.traceId === origin.traceId
  );
}

/** Where a trace read through `session` comes from. */
export function originOf(session: PlatformSession, traceId: string): TraceOrigin {
  return {
    kind: session.descriptor.id,
    connection: session.connection.name,
    baseUrl: session.connection.baseUrl,
    traceId,
  };
}

/** The trace in the local store, copied there first when it comes from a platform. A platform
 *  trace already copied is served from the store unless `refresh`; one that the platform does not
 *  have (deleted, outside the retention window) is a PlatformError TRACE_GONE. */
export async function fetchIntoStore(
  source: OpenedTraceSource,
  store: TraceStore,
  traceId: string,
  options: { refresh?: boolean } = {},
): Promise<FetchedTrace> {
  if (source.kind === 'local') {
    const trace = await store.getTrace(traceId);
    if (!trace) throw new TraceNotInStoreError(traceId, store.dir);
    return { localId: traceId, trace, fetched: false };
  }
  const { session } = source;
  const origin = originOf(session, traceId);
  // An app that exports to both the receiver and a platform gives both copies the same id; the
  // recorded one is never overwritten: the platform's copy then takes an id derived from its origin.
  let localId = localTraceIdFor(traceId);
  let stored = await store.getTrace(localId);
  if (stored && !sameOrigin(stored, origin)) {
    localId = otlpTraceId(`${origin.kind}/${origin.baseUrl}/${origin.connection}/${traceId}`);
    stored = await store.getTrace(localId);
  }
  if (stored && sameOrigin(stored, origin) && !options.refresh) return { localId, trace: stored, fetched: false };
  const trace = await session.traces.requireTrace(traceId, { refresh: options.refresh });
  await session.prepareForStore?.(trace);
  const url = await session.traceUrl(traceId);
  if (url) origin.url = url;
  trace.id = localId;
  for (const span of trace.spans) span.traceId = localId;
  trace.source = origin;
  await store.putTrace(trace);
  return { localId, trace, fetched: true };
}
