// What an evaluator is, what it reads and what it returns. Evaluators are built from the workspace
// configuration (.trace-replay/evaluators.json, see docs/evaluators.schema.json) by createEvaluators
// and run by evaluateReplay over both the original and the replayed trace.
import type { LlmGateway, ProviderConfigs } from '../llm/llm-types';
import type { Message, Span, ToolCallPart, Trace } from '../model/trace';
import type { JudgeUsage, PlatformScore, ScoreTarget } from './evaluation-types';

export const EVALUATOR_TYPES = [
  'similarity',
  'json',
  'regex',
  'contains',
  'tool-calls-match',
  'llm-judge',
  'javascript',
] as const;
export type EvaluatorType = (typeof EVALUATOR_TYPES)[number];

/** Which outputs an evaluator scores: every LLM span, the trace's final output, or both. */
export type EvaluatorScope = 'all' | 'spans' | 'final';

/** One configured evaluator, as loaded and validated from the config (defaults filled in). */
export interface EvaluatorConfig {
  id: string;
  type: EvaluatorType;
  enabled: boolean;
  scope: EvaluatorScope;
  /** Type-specific options, already validated against the schema. */
  options: Record<string, unknown>;
  description?: string;
}
/** Name used by the replay pipeline's callers. */
export type ConfiguredEvaluator = EvaluatorConfig;

/** An output as the evaluators see it: the model's text and the tool calls it asked for. */
export interface EvaluatedOutput {
  text: string;
  toolCalls: ToolCallPart[];
}

export interface EvaluatorInput {
  target: ScoreTarget;
  /** 'span': one LLM span's output; 'final': the trace's final output. */
  scope: 'span' | 'final';
  output: EvaluatedOutput;
  /** The conversation sent to the model for this output (empty when the final output was read from
   *  the root span's recorded io). */
  messages: Message[];
  /** The LLM span the output came from (the root span for an io-based final output). */
  span?: Span;
  trace: Trace;
  /** The original's output at the same place: the original span a replayed span replays, or the
   *  span itself when scoring the original trace (so reference evaluators give it 1). */
  reference?: {
    output: EvaluatedOutput;
    span?: Span;
    /** The original trace, given with the final output (scope 'final') for whole-trace evaluators. */
    trace?: Trace;
  };
}

export interface EvaluatorResult {
  /** 0..1, higher is better. */
  value: number;
  reason?: string;
  passed?: boolean;
  /** The paid model call this score took (llm-judge). */
  judgeUsage?: JudgeUsage;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
}

export interface Evaluator {
  readonly id: string;
  readonly type: EvaluatorType;
  /** `${type}@${typeVersion}+${hash of options}`; identical for both sides of one evaluation. */
  readonly version: string;
  readonly scope: EvaluatorScope;
  /** Each score sends a paid model call (llm-judge): the run's cost budget is asked before each one
   *  (EvaluationContext.judgeSpend). */
  readonly paid?: boolean;
  /** Resolves to a score, or to null when the evaluator does not apply to this output (no score is
   *  recorded, e.g. the json evaluator on a plain-text answer). Throws to record an error for this
   *  score only. */
  evaluate(input: EvaluatorInput, options: EvaluateOptions): Promise<EvaluatorResult | null>;
}

/** What the front ends give the pipeline. */
export interface EvaluationContext {
  /** Needed by llm-judge; without it llm-judge evaluators are skipped. */
  gateway?: LlmGateway;
  /** Resolves llm-judge `model` specs (parseModelSpec) and checks for a key before any call. */
  providerConfigs?: ProviderConfigs;
  /** JavaScript evaluators run workspace code: the extension passes workspace trust, the CLI
   *  --allow-js-evaluators. Refused (skipped) unless true. */
  allowJavaScript?: boolean;
  /** Relative JavaScript module paths resolve against it (default: process.cwd()). */
  workspaceDir?: string;
  signal?: AbortSignal;
  /** How many scores are computed at once (default 4). */
  concurrency?: number;
  /** Scores that came from the platform with the original trace, passed through to the result. */
  platformScores?: PlatformScore[];
  /** The run's cost budget (CostBudget): asked before each paid call (a refusal: that score is not
   *  run, saying why), told each paid call's usage as it ends. Absent: no budget. */
  judgeSpend?: JudgeSpendWatch;
  /** The replay job whose traces are scored (keys its judge calls, so the budget counts each once
   *  when the finished job brings them again). */
  jobId?: string;
}

/** One judge call that ended, as the cost budget counts it. */
export interface JudgeCallSpend {
  jobId?: string;
  /** Which trace of the job the score is about. */
  side: 'original' | 'replay';
  evaluatorId: string;
  target: ScoreTarget;
  usage: JudgeUsage;
}

/** What the evaluation needs of a cost budget (core/replay/cost-budget.ts implements it). */
export interface JudgeSpendWatch {
  /** Undefined while a paid call may start; else why not (e.g. "stopped by the cost budget: ..."). */
  mayStart(): { message: string; code: string } | undefined;
  /** A paid call ended (with an answer, usable or not). */
  addJudgeCall(call: JudgeCallSpend): void;
}
