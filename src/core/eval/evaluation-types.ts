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
}

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
