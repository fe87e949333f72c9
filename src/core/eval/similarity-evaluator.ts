// similarity: how close an output is to the original output at the same place. Deterministic, so the
// original scored against itself is exactly 1 and the replay's number is a pure distance.
import { NoReferenceError } from './eval-errors';
import { outputText } from './evaluation-targets';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion } from './evaluator-version';
import { rougeL, tokenF1, tokenize } from './text-similarity';

export const SIMILARITY_EVALUATOR_VERSION = '1';

export interface SimilarityOptions {
  metric?: 'token-f1' | 'rouge-l';
  caseSensitive?: boolean;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export function createSimilarityEvaluator(config: EvaluatorConfig): Evaluator {
  const options = config.options as SimilarityOptions;
  const metric = options.metric ?? 'token-f1';
  return {
    id: config.id,
    type: 'similarity',
    version: evaluatorVersion('similarity', SIMILARITY_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    evaluate(input: EvaluatorInput): Promise<EvaluatorResult> {
      if (input.reference === undefined) return Promise.reject(new NoReferenceError('similarity'));
      const candidate = tokenize(outputText(input.output), options.caseSensitive);
      const reference = tokenize(outputText(input.reference.output), options.caseSensitive);
      const s = metric === 'rouge-l' ? rougeL(candidate, reference) : tokenF1(candidate, reference);
      const name = metric === 'rouge-l' ? 'ROUGE-L' : 'Token F1';
      return Promise.resolve({
        value: s.f1,
        reason: `${name} ${round(s.f1)} against the original output (precision ${round(s.precision)}, recall ${round(s.recall)}; ${candidate.length} vs ${reference.length} words).`,
      });
    },
  };
}
