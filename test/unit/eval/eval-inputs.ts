// EvaluatorInputs for single-evaluator tests, taken from real traces through evaluationTargets, so
// the tests see the same inputs the pipeline builds.
import { evaluationTargets } from '../../../src/core/eval/evaluation-targets';
import type { EvaluatorConfig, EvaluatorInput, EvaluatorType } from '../../../src/core/eval/evaluator-types';
import type { Trace } from '../../../src/core/model/trace';

export function config(type: EvaluatorType, options: Record<string, unknown> = {}, id: string = type): EvaluatorConfig {
  return { id, type, enabled: true, scope: 'all', options };
}

/** The inputs of `trace` (LLM spans in order, then the final output), referenced against `reference`. */
export function inputsOf(trace: Trace, reference: Trace = trace): EvaluatorInput[] {
  return evaluationTargets(trace, reference).map((t) => t.input);
}

/** One input with its output text replaced (reference kept). */
export function withText(input: EvaluatorInput, text: string): EvaluatorInput {
  return { ...input, output: { text, toolCalls: [] } };
}
