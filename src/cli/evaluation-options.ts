// The evaluation step's options, shared by `replay` and `batch`: every replay is scored by the
// workspace's evaluators (default <store>/evaluators.json, else the deterministic defaults).
import path from 'node:path';
import type { Command } from 'commander';
import type { ReplayServiceOptions } from '../core/replay/default-replay-services';

export interface EvaluationOptions {
  store: string;
  evaluators?: string;
  eval: boolean;
  allowJsEvaluators?: boolean;
}

export function addEvaluationOptions(command: Command): Command {
  return command
    .option(
      '--evaluators <file>',
      'evaluator config (default: evaluators.json in the store folder; without one, the deterministic defaults)',
    )
    .option('--no-eval', 'do not score the replays')
    .option('--allow-js-evaluators', 'allow `javascript` evaluators (they run code from the workspace)');
}

export function evaluationFrom(opts: EvaluationOptions): ReplayServiceOptions['evaluation'] {
  if (!opts.eval) return false;
  const configPath = path.resolve(opts.evaluators ?? path.join(opts.store, 'evaluators.json'));
  return { configPath, context: { allowJavaScript: opts.allowJsEvaluators === true, workspaceDir: process.cwd() } };
}
