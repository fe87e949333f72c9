// The replay step `replay` and `batch` share once they know which traces: Langfuse traces are copied
// into the store and a Langfuse prompt version is checked (prepareSourceReplay), the jobs run, and
// replays of Langfuse traces are recorded and written back.
import { prepareSourceReplay, type LangfuseReplayRecord } from '../core/replay/langfuse-replay';
import { LangfuseTemplateSpecError } from '../core/replay/langfuse-template-spec';
import type { ReplayJob, ReplayOverrides } from '../core/replay/replay-types';
import type { OpenedTraceSource } from '../core/sources/open-source';
import type { TraceStore } from '../core/store/trace-store';
import { evaluationFrom, type EvaluationOptions } from './evaluation-options';
import { recordLangfuseReplays } from './langfuse-replay-records';
import type { OverrideOptions } from './override-options';
import { runReplays } from './run-replays';
import { usageErrors } from './source-option';

export interface SourceReplays {
  jobs: ReplayJob[];
  /** By job id: what each replay of a Langfuse trace did there. */
  records: Map<string, LangfuseReplayRecord>;
  writeBackErrors: string[];
}

export async function runSourceReplays(
  store: TraceStore,
  source: OpenedTraceSource,
  traceIds: string[],
  /** From overridesFrom(opts), checked before anything was read; the template may be filled in here. */
  overrides: ReplayOverrides,
  opts: OverrideOptions & EvaluationOptions,
  output: { json?: boolean },
): Promise<SourceReplays> {
  const plan = await usageErrors(() => prepareSourceReplay(source, store, traceIds, {
    refresh: opts.refresh, templatePath: overrides.templatePath, promptVersion: opts.promptVersion, promptLabel: opts.promptLabel, env: process.env,
  }), LangfuseTemplateSpecError);
  if (plan.templatePath !== undefined) overrides.templatePath = plan.templatePath;
  const jobs = await runReplays(store, plan.traceIds, {
    overrides,
    concurrency: opts.concurrency,
    json: output.json,
    services: { langfusePrompts: plan.langfusePrompts, evaluation: evaluationFrom(opts) },
  });
  return { jobs, ...(await recordLangfuseReplays(store, source, jobs, opts.writeBack)) };
}
