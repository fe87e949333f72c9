// The replay history (store collection `replays`), readable without a running queue (the
// `trace-replay replays` command, the extension's tree).
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';
import { templateRefFromLegacyPath } from '../prompts/template-ref';
import type { ReplayJob } from './replay-types';

export const REPLAYS_COLLECTION = 'replays';

function isReplayJob(value: unknown): value is ReplayJob {
  const v = value as ReplayJob | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.traceId === 'string' &&
    Array.isArray(v.spans)
  );
}

/** Jobs written before TemplateRef named their template by `templatePath` (a file or a
 *  `langfuse:` spec). */
function upgradeReplayJob(job: ReplayJob): ReplayJob {
  const legacy = (job.overrides as { templatePath?: unknown } | undefined)?.templatePath;
  if (typeof legacy !== 'string') return job;
  const { templatePath: _old, ...overrides } = job.overrides as ReplayJob['overrides'] & { templatePath?: string };
  return { ...job, overrides: { ...overrides, template: templateRefFromLegacyPath(legacy) } };
}

export function openReplayJobs(store: TraceStore): Promise<JsonDocumentCollection<ReplayJob>> {
  return store.collection<ReplayJob>(REPLAYS_COLLECTION, { validate: isReplayJob, upgrade: upgradeReplayJob });
}

/** Newest first; unreadable job documents are skipped. `traceId` matches the original trace. */
export async function listReplayJobs(
  jobs: JsonDocumentCollection<ReplayJob>,
  filter: { traceId?: string } = {},
): Promise<ReplayJob[]> {
  const { found } = await jobs.getMany(await jobs.listIds());
  const all = [...found.values()].filter((j) => filter.traceId === undefined || j.traceId === filter.traceId);
  return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
