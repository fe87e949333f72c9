// The replay history (store collection `replays`), readable without a running queue (the
// `trace-replay replays` command, the extension's tree).
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';
import type { ReplayJob } from './replay-types';

export const REPLAYS_COLLECTION = 'replays';

function isReplayJob(value: unknown): value is ReplayJob {
  const v = value as ReplayJob | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.traceId === 'string' && Array.isArray(v.spans);
}

export function openReplayJobs(store: TraceStore): Promise<JsonDocumentCollection<ReplayJob>> {
  return store.collection<ReplayJob>(REPLAYS_COLLECTION, { validate: isReplayJob });
}

/** Newest first; unreadable job documents are skipped. `traceId` matches the original trace. */
export async function listReplayJobs(jobs: JsonDocumentCollection<ReplayJob>, filter: { traceId?: string } = {}): Promise<ReplayJob[]> {
  const { found } = await jobs.getMany(await jobs.listIds());
  const all = [...found.values()].filter(j => filter.traceId === undefined || j.traceId === filter.traceId);
  return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
