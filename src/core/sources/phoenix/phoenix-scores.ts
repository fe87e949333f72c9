// Scores and Phoenix annotations, both ways.
// Read (scoresOf): the trace's annotations (GET .../trace_annotations?trace_ids=) and its spans'
// (GET .../span_annotations?span_ids=, at most 1000 ids per request) -> PlatformScore, value the
// score, else the label; source "phoenix:<annotator kind>" (phoenix:human, phoenix:llm, phoenix:code).
// Write (writeScores): our evaluator scores as annotations, span scores on the OTLP span ids the
// write-back used, trace scores on the trace; annotator_kind LLM for judges, CODE otherwise;
// identifier "trace-replay", so scoring again updates them (Phoenix upserts on name, target and
// identifier). Phoenix queues annotations and retries them while the spans are still being
// ingested, so scores of a trace written back a moment ago are kept.
import type { PlatformScore, Score } from '../../eval/evaluation-types';
import { otlpSpanId, otlpTraceId } from '../../otlp/encode-otlp-json';
import type { ScoresToWrite } from '../platform';
import type {
  PhoenixAnnotationResult,
  PhoenixSpanAnnotationData,
  PhoenixTraceAnnotationData,
} from './phoenix-api-types';
import type { PhoenixClient } from './phoenix-client';

export const PHOENIX_SCORE_SOURCE = 'phoenix';
export const ANNOTATION_IDENTIFIER = 'trace-replay';
const MAX_IDS = 1000;
const MAX_PAGES = 20;

interface AnyAnnotation {
  name: string;
  annotator_kind: string;
  result?: PhoenixAnnotationResult | null;
}

function platformScore(a: AnyAnnotation, traceId: string, spanId?: string): PlatformScore {
  const r = a.result ?? {};
  const out: PlatformScore = {
    name: a.name,
    value: r.score ?? r.label ?? r.explanation ?? '',
    source: `${PHOENIX_SCORE_SOURCE}:${a.annotator_kind.toLowerCase()}`,
    target: spanId ? { traceId, spanId } : { traceId },
  };
  if (r.explanation) out.comment = r.explanation;
  return out;
}

/** Every annotation of the trace and of its spans (`spanIds`: the trace's span ids in Phoenix). */
export async function fetchPhoenixScores(
  client: PhoenixClient,
  traceId: string,
  spanIds: string[],
): Promise<PlatformScore[]> {
  const scores: PlatformScore[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await client.listTraceAnnotations([traceId], cursor);
    for (const a of res.data) scores.push(platformScore(a, traceId));
    cursor = res.next_cursor ?? undefined;
  } while (cursor && ++pages < MAX_PAGES);
  for (let i = 0; i < spanIds.length; i += MAX_IDS) {
    const chunk = spanIds.slice(i, i + MAX_IDS);
    cursor = undefined;
    pages = 0;
    do {
      const res = await client.listSpanAnnotations(chunk, cursor);
      for (const a of res.data) scores.push(platformScore(a, traceId, a.span_id));
      cursor = res.next_cursor ?? undefined;
    } while (cursor && ++pages < MAX_PAGES);
  }
  return scores;
}

function annotationResult(score: Score): PhoenixAnnotationResult {
  const result: PhoenixAnnotationResult = { score: score.value };
  if (score.passed !== undefined) result.label = score.passed ? 'pass' : 'fail';
  else if (score.value === null) result.label = 'error';
  const explanation = score.reason ?? score.error;
  if (explanation) result.explanation = explanation;
  return result;
}

function annotationMetadata(score: Score): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    evaluator_type: score.evaluatorType,
    evaluator_version: score.evaluatorVersion,
  };
  if (score.errorCode) meta.error_code = score.errorCode;
  return meta;
}

/** Our scores as Phoenix annotations; returns how many were sent. */
export async function writePhoenixScores(client: PhoenixClient, input: ScoresToWrite): Promise<number> {
  const traceId = otlpTraceId(input.platformTraceId);
  const spans: PhoenixSpanAnnotationData[] = [];
  const traces: PhoenixTraceAnnotationData[] = [];
  for (const score of input.scores) {
    const base = {
      name: score.evaluatorId,
      annotator_kind: score.evaluatorType === 'llm-judge' ? ('LLM' as const) : ('CODE' as const),
      result: annotationResult(score),
      metadata: annotationMetadata(score),
      identifier: ANNOTATION_IDENTIFIER,
    };
    if (score.target.spanId !== undefined) spans.push({ ...base, span_id: otlpSpanId(score.target.spanId) });
    else traces.push({ ...base, trace_id: traceId });
  }
  if (spans.length > 0) await client.annotateSpans(spans);
  if (traces.length > 0) await client.annotateTraces(traces);
  return spans.length + traces.length;
}
