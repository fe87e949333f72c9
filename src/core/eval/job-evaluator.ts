// The evaluation step as the replay job runs it: load the workspace's evaluator config (fresh for
// every job, so an edited config applies to the next replay), score both traces, and report config
// problems next to the scores instead of failing the replay.
import type { Trace } from '../model/trace';
import { evaluateReplay } from './evaluate-replay';
import type { EvaluationResult } from './evaluation-types';
import { defaultEvaluatorConfigs, loadEvaluatorConfig, type EvaluatorConfigLoad } from './evaluator-config';
import type { EvaluationContext, EvaluatorConfig } from './evaluator-types';

export type JobEvaluator = (original: Trace, replay: Trace, signal?: AbortSignal) => Promise<EvaluationResult>;

export interface JobEvaluatorOptions {
  /** The evaluators.json to read for each job (missing file: the deterministic defaults). */
  configPath?: string;
  /** Already-loaded configs (e.g. from the extension's settings); used instead of configPath. */
  configs?: EvaluatorConfig[];
  /** Problems found where `configs` were loaded (a queue submitter's evaluators.json), reported as
   *  skipped with the scores like the problems of configPath. */
  configErrors?: SkippedEvaluator[];
  /** judgeSpend: the run's cost budget, which sees each judge call under the job's id. */
  context?: Omit<EvaluationContext, 'signal' | 'platformScores' | 'jobId'>;
}

export interface SkippedEvaluator {
  evaluatorId: string;
  reason: string;
}

/** The problems of a loaded evaluator config, as the skipped entries of a result. */
export function skippedOfConfigErrors(errors: EvaluatorConfigLoad['errors']): SkippedEvaluator[] {
  return errors.map((e) => ({
    evaluatorId: e.evaluatorId ?? (e.index !== undefined ? `evaluators[${e.index}]` : 'evaluators.json'),
    reason: e.message,
  }));
}

export function createJobEvaluator(options: JobEvaluatorOptions): JobEvaluator {
  return async (original, replay, signal) => {
    const load: EvaluatorConfigLoad = options.configs
      ? { evaluators: options.configs, errors: [], usedDefaults: false }
      : options.configPath
        ? await loadEvaluatorConfig(options.configPath)
        : { evaluators: defaultEvaluatorConfigs(), errors: [], usedDefaults: true };
    const jobId = replay.replayOf?.replayId;
    const result = await evaluateReplay(original, replay, load.evaluators, {
      ...options.context,
      signal,
      ...(jobId !== undefined ? { jobId } : {}),
    });
    const skipped = [...skippedOfConfigErrors(load.errors), ...(options.configErrors ?? [])];
    if (skipped.length > 0) result.skipped = [...(result.skipped ?? []), ...skipped];
    return result;
  };
}
