// The evaluation step of the extension's replay jobs: the workspace's evaluator config (setting
// traceReplay.evaluators.configPath, read anew for every job), JavaScript evaluators only in a
// trusted workspace, llm-judge through the same providers as the replay.
import * as vscode from 'vscode';
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

export function extensionJobEvaluator(gateway: () => LlmGateway, configs: () => ProviderConfigs): JobEvaluator {
  return (original, replay, signal) =>
    createJobEvaluator({
      configPath: evaluatorConfigPath(),
      context: {
        gateway: gateway(),
        providerConfigs: configs(),
        allowJavaScript: vscode.workspace.isTrusted,
        workspaceDir: workspaceDir(),
      },
    })(original, replay, signal);
}
