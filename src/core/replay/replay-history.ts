// The replay history (store collection `replays`), readable without a running queue (the
// `trace-replay replays` command, the extension's tree).
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';
import type { Score, ScoreErrorCode } from '../eval/evaluation-types';
import { templateRefFromLegacyPath } from '../prompts/template-ref';
import { normalizeErrorCode } from '../util/user-error';
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
function upgradeTemplatePath(job: ReplayJob): ReplayJob {
  const legacy = (job.overrides as { templatePath?: unknown } | undefined)?.templatePath;
  if (typeof legacy !== 'string') return job;
  const { templatePath: _old, ...overrides } = job.overrides as ReplayJob['overrides'] & { templatePath?: string };
  return { ...job, overrides: { ...overrides, template: templateRefFromLegacyPath(legacy) } };
}

function upgradeScores(scores: Score[] | undefined): Score[] | undefined {
  if (!Array.isArray(scores) || !scores.some((s) => typeof s?.errorCode === 'string')) return scores;
  return scores.map((s) =>
    typeof s?.errorCode === 'string' ? { ...s, errorCode: normalizeErrorCode(s.errorCode) as ScoreErrorCode } : s,
  );
}

/** 0.1 stored some error codes in kebab case (a failed job's `trace-gone`, a score's
 *  `evaluator-error`): they read as the UPPER_SNAKE codes of today. */
function upgradeErrorCodes(job: ReplayJob): ReplayJob {
  const out = typeof job.errorCode === 'string' ? { ...job, errorCode: normalizeErrorCode(job.errorCode) } : job;
  const evaluation = job.evaluation;
  if (!evaluation) return out;
  const original = upgradeScores(evaluation.original);
  const replay = upgradeScores(evaluation.replay);
  if (original === evaluation.original && replay === evaluation.replay) return out;
  return { ...out, evaluation: { ...evaluation, original: original ?? [], replay: replay ?? [] } };
}

function upgradeReplayJob(job: ReplayJob): ReplayJob {
  return upgradeErrorCodes(upgradeTemplatePath(job));
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
