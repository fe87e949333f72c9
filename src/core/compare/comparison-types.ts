// The comparison of one replay with its original trace: what the CLI prints, the webview draws and
// the batch aggregates. Everything here is computed once in src/core; renderers only format it.
import type { PlatformScore } from '../eval/evaluation-types';
import type { SpanKind } from '../model/trace';
import type { ReplaySample } from '../replay/replay-samples';
import type { ReplayOverrides, ReplaySpanStatus } from '../replay/replay-types';
import type { SampleSpread } from './sample-spread';
import type { ToolDriftCounts, ToolDriftRow } from './tool-drift';

/** Trend of a delta: 'better' / 'worse' according to lowerIsBetter, 'unknown' when a side is null;
 *  'changed' for a metric that differs but is neither better nor worse by itself (token counts). */
export type Direction = 'better' | 'worse' | 'same' | 'changed' | 'unknown';

export type MetricUnit = 'ms' | 'tokens' | 'usd' | 'score';

export interface MetricDelta {
  original: number | null;
  replay: number | null;
  /** replay - original; null when either side is unknown. */
  delta: number | null;
  /** delta / |original|; null when unknown or when original is 0 and the value changed. */
  relativeDelta: number | null;
  direction: Direction;
  lowerIsBetter: boolean;
  unit: MetricUnit;
  /** Why the original (resp. replay) value is null, e.g. "no price data for model x". */
  originalReason?: string;
  replayReason?: string;
}

export type MetricName = 'durationMs' | 'llmDurationMs' | 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd';
export const METRIC_NAMES: readonly MetricName[] = [
  'durationMs',
  'llmDurationMs',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'costUsd',
];

export type ComparisonMetrics = Record<MetricName, MetricDelta>;

/** Where the replay's time went (the replay side only: the original has no queue). */
export interface ReplayTiming {
  /** Time queued before the job started (null when the job did not record it). */
  queueWaitMs: number | null;
  /** Provider time of the calls actually sent (cache hits and reused spans count 0). */
  providerMs: number;
  /** Job start to finish, wall clock (null while running or when not recorded). */
  wallMs: number | null;
  sentCalls: number;
  cachedCalls: number;
}

export interface SpanRef {
  spanId: string;
  name: string;
  kind: SpanKind;
  /** Milliseconds from the start of its own trace, so both sides line up. */
  startOffsetMs: number;
  durationMs: number;
  statusCode: 'unset' | 'ok' | 'error';
  /** Response model, else request model, of an LLM span. */
  model?: string;
  /** 1-based position of an LLM span among its own trace's LLM spans in start order ("#1", "#2"), so
   *  two calls with the same name can be told apart. The two sides of an aligned pair carry the same
   *  step unless the replay dropped or added an LLM call before it (each side counts its own trace). */
  step?: number;
}

export type AlignmentStatus = ReplaySpanStatus | 'missing' | 'extra';

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffChunk {
  op: DiffOp;
  text: string;
}

/** A neutral diff: renderers choose colours or markup. `format: 'json'` chunks are lines of
 *  canonical pretty JSON (keys sorted); `words` chunks are words with their whitespace. */
export interface TextDiff {
  format: 'words' | 'json';
  changed: boolean;
  chunks: DiffChunk[];
}

export interface ValueChange {
  name: string;
  original: unknown;
  replay: unknown;
}

export interface ToolCallDiff {
  index: number;
  originalName?: string;
  replayName?: string;
  nameChanged: boolean;
  arguments: TextDiff;
}

/** What the overrides changed in the request of one LLM span. */
export interface LlmInputDiff {
  changed: boolean;
  /** provider:model on each side. */
  model: { original?: string; replay?: string; changed: boolean };
  /** Only the parameters that differ. */
  parameters: ValueChange[];
  /** The conversation as sent, one block per message ("[role]" header then its parts). */
  messages: TextDiff;
  toolsChanged: boolean;
}

export interface LlmOutputDiff {
  changed: boolean;
  text: TextDiff;
  toolCalls: ToolCallDiff[];
  finishReason: { original?: string; replay?: string; changed: boolean };
}

export interface LlmSpanComparison {
  input: LlmInputDiff;
  /** Absent when the replayed call produced no answer (failed / cancelled). */
  output?: LlmOutputDiff;
  metrics: Pick<ComparisonMetrics, 'llmDurationMs' | 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd'>;
}

export interface ScoreSide {
  value: number | null;
  reason?: string;
  error?: string;
}

export interface ScoreComparison {
  evaluatorId: string;
  evaluatorType: string;
  evaluatorVersion: string;
  /** Span of the original trace the score is about; absent for the trace's final output. */
  originalSpanId?: string;
  original?: ScoreSide;
  replay?: ScoreSide;
  /** Higher is better; 'unknown' when a side is missing, errored or the versions differ. */
  delta: MetricDelta;
  /** The two sides were scored by different evaluator versions (delta not trusted). */
  versionMismatch?: boolean;
  /** The evaluator compares the replay with the original (similarity, exact match...): the original
   *  side is the original against itself, so renderers show one value, "replay vs original". */
  referenceBased?: boolean;
  /** Repeated samples: min / median / max of the replay side over the N samples (see sample-spread.ts). */
  spread?: SampleSpread;
}

export interface ComparisonWarning {
  /** span: a span's or replay's warning (lossy conversion, ...); divergence: tool calls diverged;
   *  job: the job's error; score: an evaluator error or mismatch; alignment: trees differ. */
  source: 'span' | 'divergence' | 'job' | 'score' | 'alignment';
  message: string;
  originalSpanId?: string;
  replaySpanId?: string;
  /** How many times it occurred when identical warnings were merged into this one (absent: once).
   *  The message then names every span it occurred on; the ids are those of the first. */
  count?: number;
}

export interface SpanRow {
  original?: SpanRef;
  replay?: SpanRef;
  status: AlignmentStatus;
  /** Depth in the merged tree (roots 0). */
  depth: number;
  cached?: boolean;
  error?: string;
  divergence?: string;
  /** The span a replay from a span forked at (the job's overrides.fromSpanId). */
  forkPoint?: boolean;
  warnings: string[];
  llm?: LlmSpanComparison;
  scores: ScoreComparison[];
  /** Repeated samples: min / median / max over the N samples of the replayed span's metrics. */
  spread?: Partial<Record<SpanSpreadMetric, SampleSpread>>;
}

/** The span metrics a repeated replay shows the spread of. */
export type SpanSpreadMetric = 'llmDurationMs' | 'outputTokens' | 'costUsd';

export interface Comparison {
  replayId: string;
  originalTraceId: string;
  replayTraceId: string;
  traceName: string;
  jobStatus: string;
  overrides: ReplayOverrides;
  /** One of several samples of the trace (`--repeat`); the job's. */
  sample?: ReplaySample;
  /** With repeated samples: how many A/B samples the spreads of this comparison (the first sample's)
   *  were taken over. */
  samples?: number;
  metrics: ComparisonMetrics;
  timing: ReplayTiming;
  /** Merged span tree, depth first, children in start order. */
  spans: SpanRow[];
  /** Trace-level (final output) scores. Span scores are under `spans[].scores`. */
  scores: ScoreComparison[];
  platformScores: PlatformScore[];
  skippedEvaluators: { evaluatorId: string; reason: string }[];
  evaluatedAt?: string;
  warnings: ComparisonWarning[];
  counts: Record<AlignmentStatus, number>;
  /** Every tool call of the LLM spans, recorded vs replayed (see tool-drift.ts), in span order. */
  toolDrift: ToolDriftRow[];
  toolDriftCounts: ToolDriftCounts;
}
