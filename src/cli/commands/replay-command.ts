import type { Command } from 'commander';
import { comparisonOfJob } from '../../core/compare/load-comparison';
import type { Comparison } from '../../core/compare/comparison-types';
import { toComparisonJson } from '../../core/compare/render-json';
import { spreadComparisons } from '../../core/compare/sample-spread';
import { CliError } from '../cli-error';
import { addEvaluationOptions, type EvaluationOptions } from '../evaluation-options';
import { platformRecordJson, platformRecordText } from '../platform-replay-records';
import { addOverrideOptions, overridesFrom, type OverrideOptions } from '../override-options';
import { replayJobJson, replayJobText } from '../replay-json';
import { ReplayProgress } from '../replay-progress';
import { addSourceOption, openSource, traceIdArg } from '../source-option';
import { runSourceReplays } from '../source-replays';
import { addStoreOption, withStore } from '../store-option';
import { addBudgetOptions, type BudgetOptions } from '../budget-option';
import { stoppedByBudget } from '../../core/replay/cost-budget';

interface ReplayOptions extends OverrideOptions, EvaluationOptions, BudgetOptions {
  store: string;
  json?: boolean;
  source: string;
}

export function registerReplayCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      addEvaluationOptions(
        addOverrideOptions(
          addBudgetOptions(program.command('replay'))
            .description('replay every LLM span of one or more traces with overrides, and store the replayed traces')
            .argument('<traceIds...>', 'trace ids (as listed by `trace-replay traces`)')
            .option(
              '--json',
              'print JSON: one job object per trace (an array if several), with its comparison; see README',
            ),
        ),
      ),
    ),
  ).action(async (traceIds: string[], opts: ReplayOptions) => {
    if (opts.fromSpan !== undefined && traceIds.length > 1)
      throw new CliError(
        `--from-span names a span of one trace, and ${traceIds.length} traces were given; replay them one at a time.`,
        'usage',
      );
    const overrides = overridesFrom(opts);
    const comparisons = new Map<string, unknown>();
    const { jobs, records, writeBackErrors, budget } = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      const replayed = await runSourceReplays(
        store,
        source,
        traceIds.map((id) => traceIdArg(source, id)),
        overrides,
        opts,
        { json: opts.json },
      );
      if (opts.json) {
        const all: Comparison[] = [];
        for (const job of replayed.jobs) if (job.replayTraceId) all.push(await comparisonOfJob(store, job));
        // --repeat: the first A/B sample of a trace carries the spread of all its A/B samples.
        for (const c of [...all, ...spreadComparisons(all)]) comparisons.set(c.replayId, comparisonSummary(c));
      }
      return replayed;
    });
    if (opts.json) {
      // A replay of a platform trace carries its record under the platform's id (docs/platforms.md).
      const out = jobs.map((job) => ({
        ...replayJobJson(job),
        ...(comparisons.get(job.id) ? { comparison: comparisons.get(job.id) } : {}),
        ...(records.has(job.id) ? platformRecordJson(records.get(job.id)!) : {}),
        // --max-cost: this job's spend (judge calls included, and apart), the budget, whether the budget stopped it.
        ...(budget
          ? {
              spentUsd: budget.spentBy(job.id),
              judgeSpentUsd: budget.judgeSpentBy(job.id),
              budgetUsd: budget.budgetUsd,
              stoppedByBudget: stoppedByBudget(job),
            }
          : {}),
      }));
      console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    } else if (ReplayProgress.enabled(opts.json)) {
      for (const job of jobs) console.log(replayJobText(job));
    }
    if (!opts.json) for (const record of records.values()) console.log(platformRecordText(record));
    if (budget && !opts.json) console.log(budget.summaryText(jobs));
    if (budget?.stoppedByBudget) throw new CliError(budget.summaryText(jobs));
    if (writeBackErrors.length) throw new CliError(writeBackErrors.join(' '));
    const unfinished = jobs.filter((j) => j.status !== 'COMPLETED').length;
    if (unfinished) throw new CliError(`${unfinished} of ${jobs.length} replay(s) did not complete; see above.`);
  });
}

/** `comparison: {metrics, spans, scores, toolDrift, toolDriftCounts, samples?}` of a job that produced a
 *  replayed trace (samples: the A/B samples its spreads were taken over). */
function comparisonSummary(c: Comparison): unknown {
  const { metrics, spans, scores, toolDrift, toolDriftCounts, samples } = toComparisonJson(c);
  return { metrics, spans, scores, toolDrift, toolDriftCounts, ...(samples !== undefined ? { samples } : {}) };
}
