// What a submitter puts in a job besides the job itself, read from its own store and files: the
// resolved prompt template, the tool definitions the trace's spans did not record (from the store's
// other traces and the tools file), and the evaluators (JavaScript ones stay behind: they run
// workspace code, which workers do not have; they are reported as skipped with the scores).
import { skippedOfConfigErrors } from '../eval/job-evaluator';
import { defaultEvaluatorConfigs, loadEvaluatorConfig } from '../eval/evaluator-config';
import type { EvaluatorConfig } from '../eval/evaluator-types';
import type { Trace } from '../model/trace';
import {
  resolvePromptTemplate,
  type ReplayServiceOptions,
  type TemplateSources,
} from '../replay/default-replay-services';
import type { ReplayJob, ReplayOverrides } from '../replay/replay-types';
import { loadToolDefinitionsFile, storeToolCatalog, toolNamesNeeded } from '../replay/tool-definitions';
import type { TraceStore } from '../store/trace-store';
import {
  REPLAY_PAYLOAD_VERSION,
  type PayloadEvaluation,
  type PayloadTools,
  type ReplayPayload,
} from './replay-payload';

export interface PayloadSources extends TemplateSources {
  evaluation?: ReplayServiceOptions['evaluation'];
}

export async function buildReplayPayload(
  store: TraceStore,
  job: ReplayJob,
  trace: Trace,
  sources: PayloadSources,
): Promise<ReplayPayload> {
  const { overrides } = job;
  const evaluation = await evaluationPayload(sources.evaluation);
  return {
    version: REPLAY_PAYLOAD_VERSION,
    job,
    trace,
    ...(overrides.template ? { template: await resolvePromptTemplate(overrides.template, sources) } : {}),
    tools: await toolsFor(store, trace, overrides),
    ...(evaluation ? { evaluation } : {}),
  };
}

async function toolsFor(store: TraceStore, trace: Trace, overrides: ReplayOverrides): Promise<PayloadTools> {
  const catalog = storeToolCatalog(store, trace.id);
  const found: PayloadTools['catalog'] = [];
  for (const name of toolNamesNeeded(trace)) {
    const entry = await catalog.find(name);
    if (entry) found.push({ name, ...entry });
  }
  const path = overrides.toolsPath;
  return {
    catalog: found,
    ...(path !== undefined ? { file: { path, tools: await loadToolDefinitionsFile(path) } } : {}),
  };
}

async function evaluationPayload(
  evaluation: ReplayServiceOptions['evaluation'],
): Promise<PayloadEvaluation | undefined> {
  if (!evaluation) return undefined;
  const load = evaluation.configs
    ? { evaluators: evaluation.configs, errors: [] }
    : evaluation.configPath
      ? await loadEvaluatorConfig(evaluation.configPath)
      : { evaluators: defaultEvaluatorConfigs(), errors: [] };
  const configs: EvaluatorConfig[] = [];
  const configErrors = skippedOfConfigErrors(load.errors);
  for (const config of load.evaluators) {
    if (config.type === 'javascript')
      configErrors.push({
        evaluatorId: config.id,
        reason:
          'JavaScript evaluators run workspace code and are not sent to queue workers; replay without --queue to run them.',
      });
    else configs.push(config);
  }
  return { configs, configErrors };
}
