// regex: the output matches (or, with mustMatch false, does not match) a regular expression. 1 or 0.
import { outputText } from './evaluation-targets';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion } from './evaluator-version';

export const REGEX_EVALUATOR_VERSION = '1';

export interface RegexOptions {
  pattern: string;
  flags?: string;
  mustMatch?: boolean;
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function createRegexEvaluator(config: EvaluatorConfig): Evaluator {
  const options = config.options as unknown as RegexOptions;
  const mustMatch = options.mustMatch ?? true;
  // Built once: the config loader already checked that it compiles. No g/y flags are allowed, so
  // the expression keeps no lastIndex state between outputs.
  const regex = new RegExp(options.pattern, options.flags ?? '');
  return {
    id: config.id,
    type: 'regex',
    version: evaluatorVersion('regex', REGEX_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    evaluate(input: EvaluatorInput): Promise<EvaluatorResult> {
      const match = regex.exec(outputText(input.output));
      const passed = (match !== null) === mustMatch;
      const reason =
        match !== null
          ? `Matches ${String(regex)} ("${excerpt(match[0])}" at ${match.index}).`
          : `Does not match ${String(regex)}.`;
      return Promise.resolve({ value: passed ? 1 : 0, passed, reason });
    },
  };
}
