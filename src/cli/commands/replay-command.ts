import type { Command } from 'commander';
import { comparisonOfJob } from '../../core/compare/load-comparison';
import { toComparisonJson } from '../../core/compare/render-json';
import { LangfuseTemplateSpecError, prepareSourceReplay, type LangfuseReplayRecord } from '../../core/replay/langfuse-replay';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../core/replay/replay-queue';
import type { ReplayJob } from '../../core/replay/replay-types';
import type { TraceStore } from '../../core/store/trace-store';
import { CliError } from '../cli-error';
import { langfuseRecordText, recordLangfuseReplays } from '../langfuse-replay-records';
import { addEvaluationOptions, evaluationFrom, type EvaluationOptions } from '../evaluation-options';
import { overridesFrom, parseParam, positiveInt, type OverrideOptions } from '../override-options';
import { replayJobJson, replayJobText } from '../replay-json';
import { ReplayProgress } from '../replay-progress';
import { runReplays } from '../run-replays';
import { addSourceOption, openSource, traceIdArg, usageErrors } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

interface ReplayOptions extends OverrideOptions, EvaluationOptions {
  store: string;
  concurrency: number;
  json?: boolean;
  source: string;
  refresh?: boolean;
  writeBack: boolean;
  promptVersion?: number;
  promptLabel?: string;
}

export function registerReplayCommand(program: Command): void {
  addSourceOption(addStoreOption(addEvaluationOptions(
    program
      .command('replay')
      .description('replay every LLM span of one or more traces with overrides, and store the replayed traces')
      .argument('<traceIds...>', 'trace ids (as listed by `trace-replay traces`)')
      .option('--model <provider:model>', 'send every LLM span to this model (e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5)')
      .option('--param <key=value>', 'model parameter over the recorded ones, repeatable; JSON values (temperature=0, stop=["x"])', parseParam, [])
      .option('--template <file>', 'new prompt-template version for the spans linked to that template: a file, or langfuse:<name>@<version> / langfuse:<name>#<label>')
      .option('--prompt-version <n>', 'Langfuse: this version of the prompt the LLM spans are linked to (shorthand for --template langfuse:<name>@<n>)', positiveInt)
      .option('--prompt-label <label>', 'Langfuse: the version of the linked prompt that has this label (e.g. staging)')
      .option('--mode <mode>', 'independent (each span gets its recorded input) or chained (replayed answers flow into later spans)', 'independent')
      .option('--concurrency <n>', 'replay jobs running at once', positiveInt, DEFAULT_REPLAY_CONCURRENCY)
      .option('--no-cache', 'always send, never answer from the response cache')
      .option('--refresh', 'Langfuse: read the traces again instead of the copies already in the store')
      .option('--no-write-back', 'Langfuse: do not send the replayed trace back to Langfuse')
      .option('--json', 'print JSON: one job object per trace (an array if several), with its comparison; see README'),
  ))).action(async (traceIds: string[], opts: ReplayOptions) => {
    const overrides = overridesFrom(opts);
    let langfuse = new Map<string, LangfuseReplayRecord>();
    const comparisons = new Map<string, unknown>();
    let writeBackErrors: string[] = [];
    const jobs = await withStore(opts.store, async store => {
      const source = await openSource(opts.source, store);
      const plan = await usageErrors(() => prepareSourceReplay(source, store, traceIds.map(id => traceIdArg(source, id)), {
        refresh: opts.refresh, templatePath: overrides.templatePath, promptVersion: opts.promptVersion, promptLabel: opts.promptLabel, env: process.env,
      }), LangfuseTemplateSpecError);
      if (plan.templatePath !== undefined) overrides.templatePath = plan.templatePath;
      const finished = await runReplays(store, plan.traceIds, {
        overrides,
        concurrency: opts.concurrency,
        json: opts.json,
        services: { langfusePrompts: plan.langfusePrompts, evaluation: evaluationFrom(opts) },
      });
      ({ records: langfuse, writeBackErrors } = await recordLangfuseReplays(store, source, finished, opts.writeBack));
      if (opts.json) for (const job of finished) comparisons.set(job.id, await comparisonSummary(store, job));
      return finished;
    });
    if (opts.json) {
      // A replay of a Langfuse trace carries `langfuse` (see docs/langfuse.md).
      const out = jobs.map(job => ({
        ...replayJobJson(job),
        ...(comparisons.get(job.id) ? { comparison: comparisons.get(job.id) } : {}),
        ...(langfuse.has(job.id) ? { langfuse: langfuse.get(job.id) } : {}),
      }));
      console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    } else if (ReplayProgress.enabled(opts.json)) {
      for (const job of jobs) console.log(replayJobText(job));
    }
    if (!opts.json) for (const record of langfuse.values()) console.log(langfuseRecordText(record));
    if (writeBackErrors.length) throw new CliError(writeBackErrors.join(' '), 1);
    const unfinished = jobs.filter(j => j.status !== 'COMPLETED').length;
    if (unfinished) throw new CliError(`${unfinished} of ${jobs.length} replay(s) did not complete; see above.`, 1);
  });
}

/** `comparison: {metrics, spans, scores}` of a job that produced a replayed trace. */
async function comparisonSummary(store: TraceStore, job: ReplayJob): Promise<unknown> {
  if (!job.replayTraceId) return undefined;
  const { metrics, spans, scores } = toComparisonJson(await comparisonOfJob(store, job));
  return { metrics, spans, scores };
}
