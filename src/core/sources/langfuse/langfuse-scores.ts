// Scores Langfuse holds for a trace (its evaluators, annotations, API scores), read with
// GET /api/public/v3/scores and shown next to ours in the comparison.
import type { PlatformScore } from '../../eval/evaluation-types';
import type { ScoreV3 } from './langfuse-api-types';
import type { LangfuseClient } from './langfuse-client';

export const LANGFUSE_SCORE_SOURCE = 'langfuse';

export function platformScore(score: ScoreV3, traceId: string): PlatformScore {
  const out: PlatformScore = {
    name: score.name,
    value: score.value,
    // e.g. "langfuse:eval", "langfuse:annotation", "langfuse:api"
    source: `${LANGFUSE_SCORE_SOURCE}:${score.source.toLowerCase()}`,
    target: { traceId },
  };
  if (score.subject?.kind === 'observation') out.target.spanId = score.subject.id;
  if (score.comment) out.comment = score.comment;
  return out;
}

/** All scores of a trace (every page; at most 100 per request, as the API allows). */
export async function fetchLangfuseScores(
  client: LangfuseClient,
  traceId: string,
  options: { maxPages?: number } = {},
): Promise<PlatformScore[]> {
  const scores: PlatformScore[] = [];
  let cursor: string | undefined;
  let pages = 0;
  const maxPages = options.maxPages ?? 10;
  do {
    const res = await client.listScores({ traceId, fields: ['details', 'subject'], limit: 100, cursor });
    for (const s of res.data) {
      // Session and experiment scores are not about this trace's content.
      if (s.subject && s.subject.kind !== 'trace' && s.subject.kind !== 'observation') continue;
      scores.push(platformScore(s, traceId));
    }
    cursor = res.meta.cursor ?? undefined;
  } while (cursor && ++pages < maxPages);
  return scores;
}
