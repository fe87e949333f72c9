// Scores: what evaluators produce and what the comparison reads. Both the original and the
// replayed trace are scored by the same evaluators (same versions) in the same job, so a judge's
// drift cannot fake a delta.

/** What a score is about: one LLM span, or the trace's final output. */
export interface ScoreTarget {
  traceId: string;
  /** Absent: the trace's final output. */
  spanId?: string;
}

export interface Score {
  evaluatorId: string;
  evaluatorType: string;
  /** Version of the evaluator (type version + a hash of its options), so results stay comparable. */
  evaluatorVersion: string;
  target: ScoreTarget;
  /** 0..1, higher is better; null when the evaluator could not score (see error). */
  value: number | null;
  reason?: string;
  /** The evaluator threw or was refused: recorded for this score only. */
  error?: string;
  /** Why value is null, for code (the comparison tells a failed replay span from a broken evaluator
   *  without reading `error`). Absent when value is a number. */
  errorCode?: ScoreErrorCode;
  /** Pass/fail against the evaluator's threshold, when it has one (llm-judge passThreshold; the
   *  binary json / regex / contains evaluators pass at 1). */
  passed?: boolean;
  /** The paid model call behind this score (llm-judge), also when its answer was unusable, so the
   *  cost budget counts it. Absent: the evaluator sent no call. */
  judgeUsage?: JudgeUsage;
}

/** What one judge call used and cost. */
export interface JudgeUsage {
  /** `provider:model` the call went to (the model the response named, when it named one). */
  model: string;
  /** Absent when the provider reported no usage. */
  inputTokens?: number;
  outputTokens?: number;
  /** Priced from the usage (pricing/llm-pricing.ts); null when unknown (no price data, no usage),
   *  never 0 for unknown. */
  costUsd: number | null;
  /** Why costUsd is null. */
  costReason?: string;
}

/** SPAN_FAILED / SPAN_CANCELLED: the replay produced no output there (not the evaluator's fault);
 *  NO_REFERENCE: a reference evaluator found no original output to compare with; EVALUATOR_ERROR:
 *  the evaluator threw (bad judge answer, a throwing JavaScript module, provider error...); NOT_RUN: a
 *  paid evaluator's call was refused before it was sent (the cost budget was spent; `error` says
 *  "not run: stopped by the cost budget: ..."). 0.1 stored them in kebab case (`span-failed`);
 *  replay-history upgrades them on read. */
export type ScoreErrorCode = 'SPAN_FAILED' | 'SPAN_CANCELLED' | 'NO_REFERENCE' | 'EVALUATOR_ERROR' | 'NOT_RUN';

/** Scores that came from the platform with the original trace (e.g. Langfuse), shown apart. */
export interface PlatformScore {
  name: string;
  value: number | string | boolean;
  source: string;
  target: ScoreTarget;
  comment?: string;
}

export interface EvaluationResult {
  /** ISO time the evaluation finished. */
  evaluatedAt: string;
  original: Score[];
  replay: Score[];
  platform?: PlatformScore[];
  /** Evaluators that were configured but skipped (disabled, untrusted workspace, no judge key...). */
  skipped?: { evaluatorId: string; reason: string }[];
}
