// contains: the output contains all (or any) of the given strings. 1 or 0; the reason names what is
// missing.
import { outputText } from './evaluation-targets';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion } from './evaluator-version';

export const CONTAINS_EVALUATOR_VERSION = '1';

export interface ContainsOptions {
  values: string[];
  match?: 'all' | 'any';
  caseSensitive?: boolean;
}

export function createContainsEvaluator(config: EvaluatorConfig): Evaluator {
  const options = config.options as unknown as ContainsOptions;
  const mode = options.match ?? 'all';
  const fold = (s: string): string => (options.caseSensitive ? s : s.toLocaleLowerCase());
  return {
    id: config.id,
    type: 'contains',
    version: evaluatorVersion('contains', CONTAINS_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    evaluate(input: EvaluatorInput): Promise<EvaluatorResult> {
      const text = fold(outputText(input.output));
      const found = options.values.filter((v) => text.includes(fold(v)));
      const missing = options.values.filter((v) => !found.includes(v));
      const passed = mode === 'all' ? missing.length === 0 : found.length > 0;
      const list = (xs: string[]): string => xs.map((v) => JSON.stringify(v)).join(', ');
      const reason =
        mode === 'all'
          ? passed
            ? `Contains all of ${list(options.values)}.`
            : `Missing ${list(missing)}.`
          : passed
            ? `Contains ${list(found)}.`
            : `Contains none of ${list(options.values)}.`;
      return Promise.resolve({ value: passed ? 1 : 0, passed, reason });
    },
  };
}
