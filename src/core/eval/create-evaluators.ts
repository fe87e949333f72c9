// Configured evaluators -> runnable ones. Whatever cannot run here (disabled, JavaScript without
// permission, a judge without a gateway, model or key) is listed in `skipped` with a reason the user
// can act on, and never fails the others.
import { MissingApiKeyError } from '../llm/llm-errors';
import type { LlmGateway, ModelTarget } from '../llm/llm-types';
import { parseModelSpec } from '../llm/model-target';
import { createContainsEvaluator } from './contains-evaluator';
import type { Evaluator, EvaluatorConfig, EvaluationContext } from './evaluator-types';
import { createJavaScriptEvaluator } from './javascript-evaluator';
import { createJsonEvaluator } from './json-evaluator';
import { createLlmJudgeEvaluator, type LlmJudgeOptions } from './llm-judge-evaluator';
import { createRegexEvaluator } from './regex-evaluator';
import { createSimilarityEvaluator } from './similarity-evaluator';
import { createToolCallsMatchEvaluator } from './tool-calls-match-evaluator';
import { errorMessage } from '../util/error-message';

export interface SkippedEvaluator {
  evaluatorId: string;
  reason: string;
}

export interface CreatedEvaluators {
  evaluators: Evaluator[];
  skipped: SkippedEvaluator[];
}

export const JAVASCRIPT_REFUSED_REASON =
  'JavaScript evaluators run code from the workspace: they run only in a trusted workspace (VS Code) or with --allow-js-evaluators (CLI).';

function message(error: unknown): string {
  return errorMessage(error);
}

/** The judge's target, or why it cannot be used. Checks the key up front so a missing key is one
 *  skip reason instead of an error on every score. */
function judgeTarget(
  config: EvaluatorConfig,
  context: EvaluationContext,
): { gateway: LlmGateway; target: ModelTarget } | string {
  const gateway = context.gateway;
  if (gateway === undefined) return 'llm-judge needs a model provider, and none was given to this evaluation.';
  const configs = context.providerConfigs ?? {};
  const { model } = config.options as unknown as LlmJudgeOptions;
  let target: ModelTarget;
  try {
    target = parseModelSpec(model, configs);
  } catch (error) {
    return message(error);
  }
  const provider = configs[target.provider];
  if (provider !== undefined && (provider.apiKey ?? '') === '' && provider.keyOptional !== true) {
    return new MissingApiKeyError(target.provider, provider.keySource).message;
  }
  return { gateway, target };
}

function createOne(config: EvaluatorConfig, context: EvaluationContext): Evaluator | string {
  switch (config.type) {
    case 'similarity':
      return createSimilarityEvaluator(config);
    case 'json':
      return createJsonEvaluator(config);
    case 'regex':
      return createRegexEvaluator(config);
    case 'contains':
      return createContainsEvaluator(config);
    case 'tool-calls-match':
      return createToolCallsMatchEvaluator(config);
    case 'llm-judge': {
      const judge = judgeTarget(config, context);
      return typeof judge === 'string' ? judge : createLlmJudgeEvaluator(config, judge.gateway, judge.target);
    }
    case 'javascript':
      if (context.allowJavaScript !== true) return JAVASCRIPT_REFUSED_REASON;
      return createJavaScriptEvaluator(config, context.workspaceDir);
  }
}

export function createEvaluators(configs: EvaluatorConfig[], context: EvaluationContext = {}): CreatedEvaluators {
  const result: CreatedEvaluators = { evaluators: [], skipped: [] };
  for (const config of configs) {
    if (!config.enabled) {
      result.skipped.push({ evaluatorId: config.id, reason: 'Disabled in the evaluators config.' });
      continue;
    }
    let created: Evaluator | string;
    try {
      created = createOne(config, context);
    } catch (error) {
      created = message(error);
    }
    if (typeof created === 'string') result.skipped.push({ evaluatorId: config.id, reason: created });
    else result.evaluators.push(created);
  }
  return result;
}
