// Typed errors of the evaluation pipeline. Config errors are returned (one per bad entry) rather
// than thrown, so the good entries still load; the others are thrown by an evaluator and recorded on
// that one score.
import { UserError } from '../util/user-error';
import type { JudgeUsage } from './evaluation-types';

/** One problem in an evaluators config: a bad entry (named by index and id) or the file as a whole. */
export class EvaluatorConfigError extends UserError {
  readonly code = 'EVALUATOR_CONFIG_INVALID';
  override readonly kind = 'usage';
  constructor(
    message: string,
    /** Where the config came from (a file path or a setting name). */
    readonly source: string,
    /** Index of the bad entry in `evaluators`; undefined when the whole config is unusable. */
    readonly index?: number,
    readonly evaluatorId?: string,
  ) {
    super(message);
    this.name = 'EvaluatorConfigError';
  }
}

/** A reference evaluator found no original output to compare with. */
export class NoReferenceError extends UserError {
  readonly code = 'NO_REFERENCE';
  constructor(evaluatorType: string) {
    super(`The ${evaluatorType} evaluator needs the original output at this place, and there is none.`);
    this.name = 'NoReferenceError';
  }
}

/** The judge model answered, but not with a usable {score, reason}. `judgeUsage`: what the call
 *  used and cost (it was paid for all the same, and the cost budget counts it). */
export class JudgeAnswerError extends UserError {
  readonly code = 'JUDGE_ANSWER_INVALID';
  constructor(
    message: string,
    readonly answer: string,
    readonly judgeUsage?: JudgeUsage,
  ) {
    super(message);
    this.name = 'JudgeAnswerError';
  }
}

/** A JavaScript evaluator module could not be loaded, has no scoring function, threw, or returned
 *  something that is not a score. */
export class JavaScriptEvaluatorError extends UserError {
  readonly code = 'JAVASCRIPT_EVALUATOR_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JavaScriptEvaluatorError';
  }
}

/** The caller's signal fired during the evaluation; no partial result is returned. */
export class EvaluationCancelledError extends UserError {
  readonly code = 'EVALUATION_CANCELLED';
  override readonly kind = 'cancelled';
  constructor() {
    super('The evaluation was cancelled.');
    this.name = 'EvaluationCancelledError';
  }
}
