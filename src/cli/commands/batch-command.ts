// `trace-replay batch`: replay every matching trace with the same overrides, score both sides,
// and print the aggregate (paired deltas with bootstrap confidence intervals, win/loss/tie).
// With --fail-on-regression it is a CI gate.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { aggregateBatch, regressions } from '../../core/compare/aggregate-batch';
import type { Comparison } from '../../core/compare/comparison-types';
import { comparisonOfJob, ReplayNotComparableError } from '../../core/compare/load-comparison';
import { toBatchJson } from '../../core/compare/render-json';
import { renderJunit } from '../../core/compare/render-junit';
import { renderBatchMarkdown, renderComparisonMarkdown } from '../../core/compare/render-markdown';
import { renderBatchText } from '../../core/compare/render-text';
import { LangfuseTemplateSpecError, prepareSourceReplay } from '../../core/replay/langfuse-replay';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../core/replay/replay-queue';
import type { ReplayJob } from '../../core/replay/replay-types';
import type { TraceSummary } from '../../core/model/trace';
import type { OpenedTraceSource } from '../../core/sources/open-source';
import { matchesTraceFilter } from '../../core/store/trace-filter';
import type { TraceStore } from '../../core/store/trace-store';
import { CliError } from '../cli-error';
import { addEvaluationOptions, evaluationFrom, type EvaluationOptions } from '../evaluation-options';
import { langfuseRecordText, recordLangfuseReplays } from '../langfuse-replay-records';
import { overridesFrom, parseParam, positiveInt, type OverrideOptions } from '../override-options';
import { runReplays } from '../run-replays';
import { addSourceOption, openSource, usageErrors } from '../source-option';
import { addStoreOption, withStore } from '../store-option';

interface BatchOptions extends OverrideOptions, EvaluationOptions {
  store: string;
  filter?: string;
  prompt?: string;
  limit: number;
  concurrency: number;
  failOnRegression?: number;
  report?: string;
  junit?: string;
  seed: number;
  json?: boolean;
  source: string;
  refresh?: boolean;
  writeBack: boolean;
  promptVersion?: number;
  promptLabel?: string;
}

function threshold(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--fail-on-regression needs a number >= 0 (a score drop, e.g. 0.05), got "${value}".`, 2);
  return n;
}

export function registerBatchCommand(program: Command): void {
  addSourceOption(addStoreOption(addEvaluationOptions(
    program
      .command('batch')
      .description('replay every matching trace with the same overrides and print the aggregate; a CI regression gate')
      .option('--filter <text>', 'only traces whose name, model, prompt or service contains this text')
      .option('--prompt <name>', 'only traces whose LLM spans used this prompt')
      .option('--limit <n>', 'at most this many traces (newest first)', positiveInt, 50)
      .option('--model <provider:model>', 'send every LLM span to this model')
      .option('--param <key=value>', 'model parameter over the recorded ones, repeatable', parseParam, [])
      .option('--template <file>', 'new prompt-template version for the spans linked to that template: a file, or langfuse:<name>@<version> / langfuse:<name>#<label>')
      .option('--prompt-version <n>', 'Langfuse: this version of the prompt the LLM spans are linked to', positiveInt)
      .option('--prompt-label <label>', 'Langfuse: the version of the linked prompt that has this label (e.g. staging)')
      .option('--mode <mode>', 'independent or chained', 'independent')
      .option('--concurrency <n>', 'replay jobs running at once', positiveInt, DEFAULT_REPLAY_CONCURRENCY)
      .option('--no-cache', 'always send, never answer from the response cache')
      .option('--refresh', 'Langfuse: read the list and the traces again instead of the copies in the store')
      .option('--no-write-back', 'Langfuse: do not send the replayed traces back to Langfuse')
      .option('--fail-on-regression <x>', 'exit 1 when an evaluator\'s mean score delta is below -x and its confidence interval excludes 0', threshold)
      .option('--report <file.md>', 'write a markdown report: the aggregate, then each replay\'s comparison')
      .option('--junit <file.xml>', 'write a JUnit XML file: one test case per evaluator')
      .option('--seed <n>', 'seed of the bootstrap resampling (results are reproducible)', Number, 42)
      .option('--json', 'print the aggregate as JSON'),
  ))).action(async (opts: BatchOptions) => {
    const overrides = overridesFrom(opts);
    const { jobs, comparisons, records, writeBackErrors } = await withStore(opts.store, async store => {
      const source = await openSource(opts.source, store);
      const traces = await selectTraces(source, store, opts);
      if (traces.length === 0) {
        const where = source.kind === 'local' ? opts.store : source.label;
        throw new CliError(`No recorded traces in ${where} match; list them with \`trace-replay traces${source.kind === 'local' ? '' : ` --source ${opts.source}`}\`.`);
      }
      const plan = await usageErrors(() => prepareSourceReplay(source, store, traces.map(t => t.id), {
        refresh: opts.refresh, templatePath: overrides.templatePath, promptVersion: opts.promptVersion, promptLabel: opts.promptLabel, env: process.env,
      }), LangfuseTemplateSpecError);
      if (plan.templatePath !== undefined) overrides.templatePath = plan.templatePath;
      const jobs = await runReplays(store, plan.traceIds, {
        overrides,
        concurrency: opts.concurrency,
        json: true,
        services: { langfusePrompts: plan.langfusePrompts, evaluation: evaluationFrom(opts) },
      });
      const { records, writeBackErrors } = await recordLangfuseReplays(store, source, jobs, opts.writeBack);
      const comparisons: Comparison[] = [];
      for (const job of jobs) {
        try {
          comparisons.push(await comparisonOfJob(store, job));
        } catch (err) {
          if (!(err instanceof ReplayNotComparableError)) throw err;
        }
      }
      return { jobs, comparisons, records, writeBackErrors };
    });
    const aggregate = aggregateBatch(comparisons, { seed: opts.seed });
    const gate = opts.failOnRegression;
    if (opts.json) console.log(JSON.stringify(toBatchJson(aggregate, gate), null, 2));
    else console.log(renderBatchText(aggregate, { threshold: gate, color: process.stdout.isTTY === true }));
    if (opts.report) {
      const parts = [renderBatchMarkdown(aggregate, { threshold: gate, title: `Replay batch: ${jobs.length} trace(s)` }), ...comparisons.map(renderComparisonMarkdown)];
      await writeFile(opts.report, parts.join('\n\n---\n\n') + '\n');
    }
    if (opts.junit) await writeFile(opts.junit, renderJunit(aggregate, { threshold: gate, suiteName: 'trace-replay batch' }));
    if (!opts.json) for (const record of records.values()) console.log(langfuseRecordText(record));
    const problems = [...writeBackErrors, ...failureReasons(jobs, gate === undefined ? [] : regressions(aggregate, gate).map(r => r.evaluatorId))];
    if (problems.length) throw new CliError(problems.join(' '), 1);
  });
}

function failureReasons(jobs: ReplayJob[], regressed: string[]): string[] {
  const reasons: string[] = [];
  const failed = jobs.filter(j => j.status !== 'COMPLETED');
  if (failed.length) reasons.push(`${failed.length} of ${jobs.length} replay(s) did not complete (first: ${failed[0].error ?? failed[0].status}).`);
  if (regressed.length) reasons.push(`Regression in ${regressed.join(', ')}.`);
  return reasons;
}

/** The newest recorded traces that match, at most --limit: from the store, or page by page from
 *  Langfuse (cached pages unless --refresh; --filter and --prompt narrow each page). */
async function selectTraces(source: OpenedTraceSource, store: TraceStore, opts: BatchOptions): Promise<TraceSummary[]> {
  if (source.kind === 'local') return store.listTraces({ limit: opts.limit, filter: { text: opts.filter, prompt: opts.prompt, origin: 'recorded' } });
  if (opts.refresh) await source.source.refreshList();
  const picked: TraceSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.source.listTraces({ limit: Math.min(100, opts.limit), cursor, refresh: opts.refresh });
    picked.push(...page.traces.filter(t => matchesTraceFilter(t, { text: opts.filter, prompt: opts.prompt })));
    cursor = page.nextCursor;
  } while (cursor !== undefined && picked.length < opts.limit);
  return picked.slice(0, opts.limit);
}
