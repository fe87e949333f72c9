// The evaluation step of the extension's replay jobs: the workspace's evaluator config (setting
// traceReplay.evaluators.configPath, read anew for every job), JavaScript evaluators only in a
// trusted workspace, llm-judge through the same providers as the replay.
import * as vscode from 'vscode';
import type { JudgeSpendWatch } from '../../core/eval/evaluator-types';
import { createJobEvaluator, type JobEvaluator } from '../../core/eval/job-evaluator';
import type { LlmGateway, ProviderConfigs } from '../../core/llm/llm-types';
import { getSetting } from '../common/settings';
import { resolveInWorkspace, workspaceDir } from '../common/workspace-paths';

/** Absolute path of the evaluator config; undefined (the deterministic defaults) without a workspace
 *  folder for a relative setting. */
export function evaluatorConfigPath(): string | undefined {
  const setting = getSetting('evaluators.configPath').trim();
  return setting ? resolveInWorkspace(setting) : undefined;
}

/** `judgeSpend`: the cost budget (replay.maxCostUsd) that sees and may refuse the judge calls. */
export function extensionJobEvaluator(
  gateway: () => LlmGateway,
  configs: () => ProviderConfigs,
  judgeSpend?: JudgeSpendWatch,
): JobEvaluator {
  return (original, replay, signal) =>
    createJobEvaluator({
      configPath: evaluatorConfigPath(),
      context: {
        gateway: gateway(),
        providerConfigs: configs(),
        allowJavaScript: vscode.workspace.isTrusted,
        workspaceDir: workspaceDir(),
        ...(judgeSpend ? { judgeSpend } : {}),
      },
    })(original, replay, signal);
}
