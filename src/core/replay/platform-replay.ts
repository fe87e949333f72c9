// Replays of traces read from a platform (Langfuse, Arize Phoenix, ...): what a replay did there is
// kept per job in the store collection `platform-replays` (document id = job id), next to the job
// itself in `replays`:
//   { jobId, platform, connection, baseUrl, originalTraceId, originalUrl?,
//     writeBack?: { platformTraceId, url?, spanCount, writtenAt }, writeBackError?,
//     scoresWritten?, scoresError? }
// Writing the replayed trace back, our scores onto it, and reading the platform's own scores of
// both traces go through the platform's session; records written by 0.1 (`langfuse-replays`) are
// still read.
import type { PlatformScore } from '../eval/evaluation-types';
import type { Trace } from '../model/trace';
import type { PlatformDescriptor, PlatformSession } from '../sources/platform';
import { PlatformError } from '../sources/platform-errors';
import { requirePlatform } from '../sources/platform-registry';
import type { TraceStore } from '../store/trace-store';
import { openReplayJobs } from './replay-history';
import type { ReplayJob } from './replay-types';

export const PLATFORM_REPLAYS_COLLECTION = 'platform-replays';
/** Where 0.1 kept the records of Langfuse replays. */
const LEGACY_LANGFUSE_REPLAYS = 'langfuse-replays';

export interface PlatformWriteBack {
  /** The id the platform files the replayed trace under. */
  platformTraceId: string;
  url?: string;
  spanCount: number;
  writtenAt: string;
}

export interface PlatformReplayRecord {
  jobId: string;
  /** The platform's id ('langfuse', 'phoenix'). */
  platform: string;
  connection: string;
  baseUrl: string;
  /** The original trace's id on the platform. */
  originalTraceId: string;
  originalUrl?: string;
  writeBack?: PlatformWriteBack;
  /** Why the write-back failed (the replay itself is in the store either way). */
  writeBackError?: string;
  /** How many of our scores were attached to the written-back trace. */
  scoresWritten?: number;
  scoresError?: string;
}

/** Opens a connection of a platform by name (the CLI from the environment, the extension from
 *  its settings and SecretStorage). */
export type SessionOpener = (platform: PlatformDescriptor, connection: string) => Promise<PlatformSession>;

function isRecord(value: unknown): value is PlatformReplayRecord {
  const v = value as PlatformReplayRecord | null;
  return typeof v === 'object' && v !== null && typeof v.jobId === 'string' && typeof v.originalTraceId === 'string';
}

/** A 0.1 record: no platform, `writeBack.langfuseTraceId`. */
function upgradeLegacy(record: PlatformReplayRecord): PlatformReplayRecord {
  const wb = record.writeBack as (PlatformWriteBack & { langfuseTraceId?: string }) | undefined;
  const out: PlatformReplayRecord = { ...record, platform: record.platform ?? 'langfuse' };
  if (wb && wb.platformTraceId === undefined && wb.langfuseTraceId !== undefined) {
    const { langfuseTraceId, ...rest } = wb;
    out.writeBack = { ...rest, platformTraceId: langfuseTraceId };
  }
  return out;
}

function records(store: TraceStore) {
  return store.collection<PlatformReplayRecord>(PLATFORM_REPLAYS_COLLECTION, { validate: isRecord });
}

export async function readPlatformReplay(store: TraceStore, jobId: string): Promise<PlatformReplayRecord | undefined> {
  const docs = await records(store);
  if (!docs.isValidId(jobId)) return undefined;
  const found = await docs.get(jobId);
  if (found) return found;
  const legacy = await store.collection<PlatformReplayRecord>(LEGACY_LANGFUSE_REPLAYS, {
    validate: isRecord,
    upgrade: upgradeLegacy,
  });
  return legacy.get(jobId);
}

export interface RecordOptions {
  /** Send the replayed trace to the platform (when the job completed). */
  writeBack: boolean;
  /** Attach the job's evaluator scores of the replay to the written-back trace (platforms that
   *  can). Default: with the write-back. */
  writeScores?: boolean;
  tags?: string[];
  environment?: string;
}

/** Records that the job replayed a trace of `session`'s platform; with `writeBack`, also sends the
 *  replayed trace there (linked to the original) and, where the platform takes them, our scores.
 *  A failed write-back is recorded and rethrown. Undefined when the job's original trace did not
 *  come from this platform. */
export async function recordPlatformReplay(
  store: TraceStore,
  session: PlatformSession,
  job: ReplayJob,
  options: RecordOptions,
): Promise<PlatformReplayRecord | undefined> {
  const original = await store.getTrace(job.traceId);
  const origin = original?.source;
  if (origin?.kind !== session.descriptor.id) return undefined;
  const record: PlatformReplayRecord = {
    jobId: job.id,
    platform: origin.kind,
    connection: origin.connection,
    baseUrl: origin.baseUrl,
    originalTraceId: origin.traceId,
  };
  if (origin.url) record.originalUrl = origin.url;
  const replay = job.replayTraceId !== undefined ? await store.getTrace(job.replayTraceId) : undefined;
  let failure: unknown;
  if (options.writeBack && replay?.replayOf && session.writeBack) {
    try {
      // The platform knows the original by its own id, which the local copy's id may not be.
      const linked: Trace = { ...replay, replayOf: { ...replay.replayOf, originalTraceId: origin.traceId } };
      const result = await session.writeBack(linked, { tags: options.tags, environment: options.environment });
      const writeBack: PlatformWriteBack = {
        platformTraceId: result.platformTraceId,
        spanCount: result.spanCount,
        writtenAt: new Date().toISOString(),
      };
      if (result.url) writeBack.url = result.url;
      record.writeBack = writeBack;
      const scores = job.evaluation?.replay ?? [];
      if ((options.writeScores ?? true) && session.writeScores && scores.length > 0) {
        try {
          record.scoresWritten = await session.writeScores({ platformTraceId: result.platformTraceId, scores });
        } catch (err) {
          if (!(err instanceof PlatformError)) throw err;
          record.scoresError = err.message;
        }
      }
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      record.writeBackError = err.message;
      failure = err;
    }
  }
  await (await records(store)).put(job.id, record);
  if (failure) throw failure;
  return record;
}

export interface JobPlatformScores {
  /** The platform's display name, for headings ("Langfuse"). */
  platform: string;
  /** Scores the platform holds for the original trace (target.traceId is its platform id). */
  original: PlatformScore[];
  /** Scores of the written-back replay (empty when it was not written back). */
  replay: PlatformScore[];
}

/** The platform's scores of a replay job's original and written-back traces, read now (they
 *  arrive after the platform's evaluators ran, so they are not cached). Undefined for a job whose
 *  original trace did not come from a platform that keeps scores. */
export async function platformScoresFor(
  store: TraceStore,
  jobId: string,
  open: SessionOpener,
): Promise<JobPlatformScores | undefined> {
  let record = await readPlatformReplay(store, jobId);
  if (!record) {
    const jobs = await openReplayJobs(store);
    const job = jobs.isValidId(jobId) ? await jobs.get(jobId) : undefined;
    const origin = job ? (await store.getTrace(job.traceId))?.source : undefined;
    if (!origin) return undefined;
    record = {
      jobId,
      platform: origin.kind,
      connection: origin.connection,
      baseUrl: origin.baseUrl,
      originalTraceId: origin.traceId,
    };
  }
  const platform = requirePlatform(record.platform);
  if (!platform.capabilities.includes('scores')) return undefined;
  const session = await open(platform, record.connection);
  if (!session.scoresOf) return undefined;
  const original = await session.scoresOf(record.originalTraceId);
  const replay = record.writeBack ? await session.scoresOf(record.writeBack.platformTraceId) : [];
  return { platform: platform.displayName, original, replay };
}
