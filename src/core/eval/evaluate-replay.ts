// The evaluation step of a replay: every enabled evaluator scores both the original and the replayed
// trace, per LLM span and for the final output, in one run (same evaluator versions on both sides).
// One evaluator failing on one output records an error on that score only. With a cost budget
// (context.judgeSpend), a paid evaluator's call is sent only while the budget allows (else that
// score is "not run", saying why) and its usage is reported as it ends.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Trace } from '../model/trace';
import { createEvaluators } from './create-evaluators';
import { EvaluationCancelledError, JudgeAnswerError, NoReferenceError } from './eval-errors';
import { evaluationTargets, type EvaluationTarget } from './evaluation-targets';
import type { EvaluationResult, JudgeUsage, Score } from './evaluation-types';
import type { Evaluator, EvaluatorConfig, EvaluationContext, JudgeSpendWatch } from './evaluator-types';
import { errorMessage } from '../util/error-message';

export const DEFAULT_EVALUATION_CONCURRENCY = 4;

function inScope(evaluator: Evaluator, target: EvaluationTarget): boolean {
  if (evaluator.scope === 'all') return true;
  return evaluator.scope === 'final' ? target.input.scope === 'final' : target.input.scope === 'span';
}

/** The cost budget of a run as one side of a job's evaluation sees it. */
interface SideSpend {
  watch: JudgeSpendWatch;
  jobId: string | undefined;
  side: 'original' | 'replay';
}

/** Reports a paid call's usage (once, as the score ends) and keeps it on the score. */
function paidCall(score: Score, usage: JudgeUsage | undefined, spend: SideSpend | undefined): void {
  if (usage === undefined) return;
  score.judgeUsage = usage;
  spend?.watch.addJudgeCall({
    ...(spend.jobId !== undefined ? { jobId: spend.jobId } : {}),
    side: spend.side,
    evaluatorId: score.evaluatorId,
    target: score.target,
    usage,
  });
}

async function scoreOne(
  evaluator: Evaluator,
  target: EvaluationTarget,
  signal: AbortSignal | undefined,
  spend: SideSpend | undefined,
): Promise<Score | undefined> {
  const score: Score = {
    evaluatorId: evaluator.id,
    evaluatorType: evaluator.type,
    evaluatorVersion: evaluator.version,
    target: target.target,
    value: null,
  };
  if (target.unavailable) return { ...score, error: target.unavailable.message, errorCode: target.unavailable.code };
  // Asked as the call is about to start (inside the concurrency limit), not when it was queued.
  const refusal = evaluator.paid ? spend?.watch.mayStart() : undefined;
  if (refusal) return { ...score, error: `not run: ${refusal.message}`, errorCode: 'NOT_RUN' };
  try {
    const result = await evaluator.evaluate(target.input, { signal });
    if (result === null) return undefined;
    paidCall(score, result.judgeUsage, spend);
    if (!Number.isFinite(result.value) || result.value < 0 || result.value > 1) {
      return { ...score, error: `The evaluator returned ${result.value}, outside 0..1.`, errorCode: 'EVALUATOR_ERROR' };
    }
    score.value = result.value;
    if (result.reason !== undefined) score.reason = result.reason;
    if (result.passed !== undefined) score.passed = result.passed;
    return score;
  } catch (error) {
    // An unusable judge answer was paid for all the same.
    if (error instanceof JudgeAnswerError) paidCall(score, error.judgeUsage, spend);
    return {
      ...score,
      error: errorMessage(error),
      errorCode: error instanceof NoReferenceError ? 'NO_REFERENCE' : 'EVALUATOR_ERROR',
    };
  }
}

async function scoreTrace(
  trace: Trace,
  reference: Trace,
  evaluators: Evaluator[],
  limit: LimitFunction,
  signal: AbortSignal | undefined,
  spend?: SideSpend,
): Promise<Score[]> {
  const targets = evaluationTargets(trace, reference);
  const jobs = evaluators.flatMap((e) => targets.filter((t) => inScope(e, t)).map((t) => ({ e, t })));
  const scores = await Promise.all(
    jobs.map(({ e, t }) => limit(async () => (signal?.aborted ? undefined : scoreOne(e, t, signal, spend)))),
  );
  if (signal?.aborted) throw new EvaluationCancelledError();
  return scores.filter((s): s is Score => s !== undefined);
}

function limiter(concurrency: number | undefined): LimitFunction {
  return pLimit(Math.max(1, Math.floor(concurrency ?? DEFAULT_EVALUATION_CONCURRENCY)));
}

/**
 * Scores `trace` with `evaluators`, referenced against `reference` (the original trace; pass the
 * trace itself to score an original). Scores come in evaluator order, then trace order.
 */
export function evaluateTrace(
  trace: Trace,
  reference: Trace,
  evaluators: Evaluator[],
  options: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<Score[]> {
  return scoreTrace(trace, reference, evaluators, limiter(options.concurrency), options.signal);
}

/**
 * Builds the evaluators from `configs` and scores both sides. Throws EvaluationCancelledError when
 * `context.signal` fires; every other failure ends up on a score or in `skipped`.
 */
export async function evaluateReplay(
  original: Trace,
  replay: Trace,
  configs: EvaluatorConfig[],
  context: EvaluationContext = {},
): Promise<EvaluationResult> {
  if (context.signal?.aborted) throw new EvaluationCancelledError();
  const { evaluators, skipped } = createEvaluators(configs, context);
  // Both sides share one limit, so `concurrency` bounds the judge calls in flight for the whole job.
  const limit = limiter(context.concurrency);
  const watch = context.judgeSpend;
  const spend = (side: SideSpend['side']): SideSpend | undefined =>
    watch ? { watch, jobId: context.jobId, side } : undefined;
  const [originalScores, replayScores] = await Promise.all([
    scoreTrace(original, original, evaluators, limit, context.signal, spend('original')),
    scoreTrace(replay, original, evaluators, limit, context.signal, spend('replay')),
  ]);
  const result: EvaluationResult = {
    evaluatedAt: new Date().toISOString(),
    original: originalScores,
    replay: replayScores,
  };
  if (context.platformScores !== undefined && context.platformScores.length > 0)
    result.platform = context.platformScores;
  if (skipped.length > 0) result.skipped = skipped;
  return result;
}
