// Copies a trace from its source into the local store, so the replay engine, the replay history
// and the comparison work on it exactly as on a recorded trace. A Langfuse trace is marked with
// `Trace.source`, and the prompt versions its generations were linked to are read once and put on
// the spans' prompt links: Langfuse records only the prompt name and version, and the recorded
// template is what lets a new version's variables be recovered from the recorded messages.
import type { Span, Trace, TraceOrigin } from '../model/trace';
import { templateForLink } from '../prompts/prompt-template';
import { TemplateParseError } from '../prompts/template-errors';
import { otlpTraceId } from '../otlp/encode-otlp-json';
import type { TraceStore } from '../store/trace-store';
import { cacheKey, storeLangfuseCache } from './langfuse/langfuse-cache';
import { LangfusePromptNotFoundError } from './langfuse/langfuse-errors';
import type { LangfusePrompts } from './langfuse/langfuse-prompts';
import type { LangfuseContext, OpenedTraceSource } from './open-source';

export class TraceNotInStoreError extends Error {
  readonly code = 'trace-not-found';
  override name = 'TraceNotInStoreError';
  constructor(readonly traceId: string, readonly storeDir: string) {
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

/** Langfuse ids are kept when they can name a file; others get a stable 32-hex id. */
export function localTraceIdFor(platformTraceId: string): string {
  return FILE_SAFE_ID.test(platformTraceId) ? platformTraceId : otlpTraceId(platformTraceId);
}

/** `<base>/project/<projectId>/traces/<traceId>`, Langfuse's trace page. */
export function langfuseTraceUrl(baseUrl: string, projectId: string | undefined, traceId: string): string | undefined {
  return projectId ? `${baseUrl}/project/${encodeURIComponent(projectId)}/traces/${encodeURIComponent(traceId)}` : undefined;
}

/** The Langfuse project id of a trace read earlier (from the cached observations; no request). */
export async function cachedLangfuseProjectId(store: TraceStore, lf: LangfuseContext, traceId: string): Promise<string | undefined> {
  const entry = await (await storeLangfuseCache(store)).get(cacheKey(lf.connection, 'trace', traceId));
  return entry?.kind === 'trace' ? entry.observations.find((o) => o.projectId)?.projectId : undefined;
}

/** Fills `prompt.template` of LLM spans linked to a Langfuse prompt version (one request per
 *  distinct version). A version Langfuse no longer has, or cannot be replayed (message
 *  placeholders), is noted on the span and left out. */
export async function linkRecordedPrompts(trace: Trace, prompts: LangfusePrompts): Promise<void> {
  for (const span of trace.spans) {
    const link = span.llm?.prompt;
    if (!link?.name || link.template !== undefined || link.version === undefined) continue;
    const version = Number(link.version);
    if (!Number.isInteger(version)) continue;
    try {
      link.template = templateForLink(await prompts.getPrompt(link.name, { version }));
    } catch (err) {
      if (!(err instanceof LangfusePromptNotFoundError) && !(err instanceof TemplateParseError)) throw err;
      addWarning(span, `The linked Langfuse prompt ${link.name} version ${version} could not be read (${err.message})`);
    }
  }
}

function addWarning(span: Span, warning: string): void {
  span.warnings = [...(span.warnings ?? []), warning];
}

function sameOrigin(trace: Trace | undefined, origin: TraceOrigin): boolean {
  const s = trace?.source;
  return s !== undefined && s.kind === origin.kind && s.baseUrl === origin.baseUrl && s.connection === origin.connection && s.traceId === origin.traceId;
}

/** The trace in the local store, copied there first when it comes from Langfuse. A Langfuse trace
 *  already copied is served from the store unless `refresh`; one that Langfuse does not have
 *  (deleted, outside the retention window) is a TraceGoneError. */
export async function fetchIntoStore(source: OpenedTraceSource, store: TraceStore, traceId: string, options: { refresh?: boolean } = {}): Promise<FetchedTrace> {
  if (source.kind === 'local') {
    const trace = await store.getTrace(traceId);
    if (!trace) throw new TraceNotInStoreError(traceId, store.dir);
    return { localId: traceId, trace, fetched: false };
  }
  const origin: TraceOrigin = { kind: 'langfuse', connection: source.connection.name, baseUrl: source.connection.baseUrl, traceId };
  // An app that exports to both the receiver and Langfuse gives both copies the same id; the
  // recorded one is never overwritten: the Langfuse copy then takes an id derived from its origin.
  let localId = localTraceIdFor(traceId);
  let stored = await store.getTrace(localId);
  if (stored && !sameOrigin(stored, origin)) {
    localId = otlpTraceId(`langfuse/${origin.baseUrl}/${origin.connection}/${traceId}`);
    stored = await store.getTrace(localId);
  }
  if (stored && sameOrigin(stored, origin) && !options.refresh) return { localId, trace: stored, fetched: false };
  const trace = await source.source.requireTrace(traceId, { refresh: options.refresh });
  await linkRecordedPrompts(trace, source.prompts);
  const url = langfuseTraceUrl(source.connection.baseUrl, await cachedLangfuseProjectId(store, source, traceId), traceId);
  if (url) origin.url = url;
  trace.id = localId;
  for (const span of trace.spans) span.traceId = localId;
  trace.source = origin;
  await store.putTrace(trace);
  return { localId, trace, fetched: true };
}
