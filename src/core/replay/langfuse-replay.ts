// Replays of Langfuse traces: prompt versions named as template specs (`langfuse:<name>@<version>`,
// `langfuse:<name>#<label>`), writing the replayed trace back to Langfuse, and the scores Langfuse
// later attaches to the original and to the written-back replay.
//
// A spec may name the connection its prompt is read from: `langfuse[<connection>]:<name>@<version>`.
// The extension queues jobs with such specs, so a job resumed after a reload, or two jobs naming the
// same prompt on two connections at once, read the prompt where it was checked, not wherever the
// active connection points by then. Without a connection the caller's connection is used (the CLI).
//
// What a replay did in Langfuse is kept per job in the store collection `langfuse-replays`
// (document id = job id), next to the job itself in `replays`:
//   { jobId, connection, baseUrl, originalTraceId, originalUrl?,
//     writeBack?: { langfuseTraceId, url?, spanCount, writtenAt }, writeBackError? }
import type { PlatformScore } from '../eval/evaluation-types';
import type { Trace } from '../model/trace';
import { cachedLangfuseProjectId, fetchIntoStore, langfuseTraceUrl } from '../sources/fetch-into-store';
import { LangfuseClient, type LangfuseClientOptions } from '../sources/langfuse/langfuse-client';
import { findLangfuseConnection, langfuseConnectionsFromEnv, type LangfuseConnection } from '../sources/langfuse/langfuse-config';
import { LangfuseError } from '../sources/langfuse/langfuse-errors';
import type { LangfusePrompts } from '../sources/langfuse/langfuse-prompts';
import { fetchLangfuseScores } from '../sources/langfuse/langfuse-scores';
import { writeBackTrace, type WritebackOptions } from '../sources/langfuse/langfuse-writeback';
import { openLangfuse, type Env, type LangfuseContext, type OpenedTraceSource } from '../sources/open-source';
import type { TraceStore } from '../store/trace-store';
import { isLangfuseTemplateSpec, langfuseTemplateSpecFor, LangfuseTemplateSpecError, parseLangfuseTemplateSpec, promptSelectorOf } from './langfuse-template-spec';
import { openReplayJobs } from './replay-history';
import type { ReplayJob } from './replay-types';

export const LANGFUSE_REPLAYS_COLLECTION = 'langfuse-replays';

export interface LangfuseWriteBack {
  /** The id Langfuse files the replayed trace under. */
  langfuseTraceId: string;
  url?: string;
  spanCount: number;
  writtenAt: string;
}

export interface LangfuseReplayRecord {
  jobId: string;
  connection: string;
  baseUrl: string;
  /** The original trace's Langfuse id. */
  originalTraceId: string;
  originalUrl?: string;
  writeBack?: LangfuseWriteBack;
  /** Why the write-back failed (the replay itself is in the store either way). */
  writeBackError?: string;
}

function isRecord(value: unknown): value is LangfuseReplayRecord {
  const v = value as LangfuseReplayRecord | null;
  return typeof v === 'object' && v !== null && typeof v.jobId === 'string' && typeof v.originalTraceId === 'string';
}

async function records(store: TraceStore) {
  return store.collection<LangfuseReplayRecord>(LANGFUSE_REPLAYS_COLLECTION, { validate: isRecord });
}

export async function readLangfuseReplay(store: TraceStore, jobId: string): Promise<LangfuseReplayRecord | undefined> {
  const docs = await records(store);
  return docs.isValidId(jobId) ? docs.get(jobId) : undefined;
}

/** Records that the job replayed a Langfuse trace; with `writeBack`, also sends the replayed trace
 *  to Langfuse over OTLP (linked to the original by metadata and tags). A failed write-back is
 *  recorded and rethrown. Undefined when the job's original trace did not come from Langfuse. */
export async function recordLangfuseReplay(store: TraceStore, lf: LangfuseContext, job: ReplayJob, options: { writeBack: boolean } & WritebackOptions): Promise<LangfuseReplayRecord | undefined> {
  const original = await store.getTrace(job.traceId);
  const origin = original?.source;
  if (origin?.kind !== 'langfuse') return undefined;
  const record: LangfuseReplayRecord = { jobId: job.id, connection: origin.connection, baseUrl: origin.baseUrl, originalTraceId: origin.traceId };
  if (origin.url) record.originalUrl = origin.url;
  const replay = job.replayTraceId !== undefined ? await store.getTrace(job.replayTraceId) : undefined;
  let failure: unknown;
  if (options.writeBack && replay?.replayOf) {
    try {
      // Langfuse knows the original by its own id, which the local copy's id may not be.
      const linked: Trace = { ...replay, replayOf: { ...replay.replayOf, originalTraceId: origin.traceId } };
      const result = await writeBackTrace(lf.client, linked, { tags: options.tags, environment: options.environment });
      const writeBack: LangfuseWriteBack = { langfuseTraceId: result.langfuseTraceId, spanCount: result.spanCount, writtenAt: new Date().toISOString() };
      const url = langfuseTraceUrl(origin.baseUrl, await cachedLangfuseProjectId(store, lf, origin.traceId), result.langfuseTraceId);
      if (url) writeBack.url = url;
      record.writeBack = writeBack;
    } catch (err) {
      if (!(err instanceof LangfuseError)) throw err;
      record.writeBackError = err.message;
      failure = err;
    }
  }
  await (await records(store)).put(job.id, record);
  if (failure) throw failure;
  return record;
}

export interface JobPlatformScores {
  /** Scores Langfuse holds for the original trace (target.traceId is its Langfuse id). */
  original: PlatformScore[];
  /** Scores of the written-back replay (empty when it was not written back). */
  replay: PlatformScore[];
}

export interface PlatformScoreOptions {
  /** Default: langfuseConnectionsFromEnv(env). */
  connections?: LangfuseConnection[];
  env?: Env;
  clientOptions?: LangfuseClientOptions;
}

/** The Langfuse scores of a replay job's original and written-back traces, read now (scores arrive
 *  after Langfuse's evaluators ran, so they are not cached). Undefined for a job whose original
 *  trace did not come from Langfuse. Two requests or more (one per trace and page of 100). */
export async function platformScoresFor(store: TraceStore, jobId: string, options: PlatformScoreOptions = {}): Promise<JobPlatformScores | undefined> {
  let record = await readLangfuseReplay(store, jobId);
  if (!record) {
    const jobs = await openReplayJobs(store);
    const job = jobs.isValidId(jobId) ? await jobs.get(jobId) : undefined;
    const origin = job ? (await store.getTrace(job.traceId))?.source : undefined;
    if (origin?.kind !== 'langfuse') return undefined;
    record = { jobId, connection: origin.connection, baseUrl: origin.baseUrl, originalTraceId: origin.traceId };
  }
  const connection = findLangfuseConnection(options.connections ?? langfuseConnectionsFromEnv(options.env ?? {}), record.connection);
  const client = new LangfuseClient(connection, options.clientOptions);
  const original = await fetchLangfuseScores(client, record.originalTraceId);
  const replay = record.writeBack ? await fetchLangfuseScores(client, record.writeBack.langfuseTraceId) : [];
  return { original, replay };
}

export interface SourceReplayOptions {
  /** Langfuse: read the traces again instead of the copies already in the store. */
  refresh?: boolean;
  /** The template override as given: a file path or a `langfuse:` spec. */
  templatePath?: string;
  /** Shorthand for a `langfuse:` spec of the prompt the spans are linked to. */
  promptVersion?: number;
  promptLabel?: string;
  /** Where a Langfuse connection for prompts comes from when the traces are local. */
  env?: Env;
  clientOptions?: LangfuseClientOptions;
}

export interface SourceReplayPlan {
  /** Store ids of the traces to replay, in the order given. */
  traceIds: string[];
  /** The template override to put into the job (`langfuse:` specs stay specs). */
  templatePath?: string;
  /** For createReplayServices' template sources, when the template is a Langfuse prompt. */
  langfusePrompts?: LangfusePrompts;
}

/** Everything before enqueueing a replay of traces from `source`: Langfuse traces are copied into
 *  the store (a gone trace is a TraceGoneError), `--prompt-version/--prompt-label` become a spec, and
 *  a Langfuse prompt is read once now, so a wrong name or version fails before any LLM call. */
export async function prepareSourceReplay(source: OpenedTraceSource, store: TraceStore, traceIds: string[], options: SourceReplayOptions = {}): Promise<SourceReplayPlan> {
  const shorthand = options.promptVersion !== undefined || options.promptLabel !== undefined;
  const ids: string[] = [];
  const traces: Trace[] = [];
  for (const id of traceIds) {
    if (source.kind === 'langfuse') {
      const fetched = await fetchIntoStore(source, store, id, { refresh: options.refresh });
      ids.push(fetched.localId);
      traces.push(fetched.trace);
    } else {
      // A missing local trace fails its job in the queue, as before; only the shorthand reads them.
      ids.push(id);
      const trace = shorthand ? await store.getTrace(id) : undefined;
      if (trace) traces.push(trace);
    }
  }
  const plan: SourceReplayPlan = { traceIds: ids, templatePath: options.templatePath };
  if (shorthand) {
    if (options.templatePath !== undefined) throw new LangfuseTemplateSpecError('Give either a template (--template) or a prompt version/label of the linked prompt, not both.');
    if (options.promptVersion !== undefined && options.promptLabel !== undefined) throw new LangfuseTemplateSpecError('Give either a prompt version or a prompt label, not both.');
    plan.templatePath = langfuseTemplateSpecFor(traces, options.promptVersion !== undefined ? { version: options.promptVersion } : { label: options.promptLabel });
  }
  if (plan.templatePath !== undefined && isLangfuseTemplateSpec(plan.templatePath)) {
    const spec = parseLangfuseTemplateSpec(plan.templatePath);
    // A spec that names its connection is read there; else from the traces' own connection.
    const lf = source.kind === 'langfuse' && (spec.connection === undefined || spec.connection === source.connection.name)
      ? source
      : await openLangfuse(spec.connection, { store, env: options.env, clientOptions: options.clientOptions });
    await lf.prompts.getPrompt(spec.name, promptSelectorOf(spec));
    plan.langfusePrompts = lf.prompts;
  }
  return plan;
}
