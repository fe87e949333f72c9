// `trace-replay batch`: replay every matching trace with the same overrides, score both sides,
// and print the aggregate (paired deltas with bootstrap confidence intervals, win/loss/tie).
// With --fail-on-regression it is a CI gate.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { aggregateBatch, regressions, undecided } from '../../core/compare/aggregate-batch';
import type { Comparison } from '../../core/compare/comparison-types';
import { countOf } from '../../core/compare/format-values';
import { comparisonOfJob, ReplayNotComparableError } from '../../core/compare/load-comparison';
import { toBatchJson } from '../../core/compare/render-json';
import { renderJunit } from '../../core/compare/render-junit';
import { renderBatchMarkdown, renderComparisonMarkdown } from '../../core/compare/render-markdown';
import { renderBatchText } from '../../core/compare/render-text';
import { spreadComparisons } from '../../core/compare/sample-spread';
import type { ReplayJob } from '../../core/replay/replay-types';
import { CliError } from '../cli-error';
import { writingOutput } from '../output-file';
import { addEvaluationOptions, type EvaluationOptions } from '../evaluation-options';
import { platformRecordText } from '../platform-replay-records';
import { addOverrideOptions, overridesFrom, type OverrideOptions } from '../override-options';
import { addBudgetOptions, type BudgetOptions } from '../budget-option';
import { addTraceSelectionOptions, selectTraces, type TraceSelectionOptions } from '../trace-selection';
import { addSourceOption, openSource } from '../source-option';
import { runSourceReplays } from '../source-replays';
import { addStoreOption, withStore } from '../store-option';
import { wholeNumber } from '../option-values';

interface BatchOptions extends OverrideOptions, EvaluationOptions, BudgetOptions, TraceSelectionOptions {
  store: string;
  failOnRegression?: number;
  report?: string;
  junit?: string;
  seed: number;
  json?: boolean;
  source: string;
}

function threshold(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CliError(`--fail-on-regression needs a number >= 0 (a score drop, e.g. 0.05), got "${value}".`, 'usage');
  return n;
}

export function registerBatchCommand(program: Command): void {
  addSourceOption(
    addStoreOption(
      addEvaluationOptions(
        addOverrideOptions(
          addBudgetOptions(addTraceSelectionOptions(program.command('batch')))
            .description(
              'replay every matching trace with the same overrides and print the aggregate; a CI regression gate',
            )
            .option(
              '--fail-on-regression <x>',
              "exit 1 when an evaluator's mean score delta is below -x and its confidence interval excludes 0 (with --repeat and A/A samples: its verdict is worse, beyond the noise floor, by more than x)",
              threshold,
            )
            .option('--report <file.md>', "write a markdown report: the aggregate, then each replay's comparison")
            .option('--junit <file.xml>', 'write a JUnit XML file: one test case per evaluator')
            .option(
              '--seed <n>',
              'seed of the bootstrap resampling (results are reproducible)',
              wholeNumber('--seed', 0),
              42,
            )
            .option('--json', 'print the aggregate as JSON'),
        ),
      ),
    ),
  ).action(async (opts: BatchOptions) => {
    if (opts.fromSpan !== undefined)
      throw new CliError(
        `--from-span names a span of one trace and batch replays many; use \`trace-replay replay TRACE_ID --from-span ${opts.fromSpan}\`.`,
        'usage',
      );
    const overrides = overridesFrom(opts);
    const { jobs, comparisons, records, writeBackErrors, budget } = await withStore(opts.store, async (store) => {
      const source = await openSource(opts.source, store);
      const traces = await selectTraces(source, store, opts);
      if (traces.length === 0) {
        const where = source.kind === 'local' ? opts.store : source.label;
        throw new CliError(
          `No recorded traces in ${where} match; list them with \`trace-replay traces${source.kind === 'local' ? '' : ` --source ${opts.source}`}\`.`,
        );
      }
      const { jobs, records, writeBackErrors, budget } = await runSourceReplays(
        store,
        source,
        traces.map((t) => t.id),
        overrides,
        opts,
        { json: true, estimate: true },
      );
      const comparisons: Comparison[] = [];
      for (const job of jobs) {
        try {
          comparisons.push(await comparisonOfJob(store, job));
        } catch (err) {
          if (!(err instanceof ReplayNotComparableError)) throw err;
        }
      }
      return { jobs, comparisons, records, writeBackErrors, budget };
    });
    const aggregate = aggregateBatch(comparisons, { seed: opts.seed });
    const gate = opts.failOnRegression;
    // --max-cost: the spend (judge calls included, and apart), whether the budget stopped the run (README "Budget").
    const spend = budget
      ? {
          spentUsd: budget.spentUsd,
          judgeSpentUsd: budget.judgeSpentUsd,
          budgetUsd: budget.budgetUsd,
          stoppedByBudget: budget.stoppedByBudget,
        }
      : {};
    if (opts.json) console.log(JSON.stringify({ ...toBatchJson(aggregate, gate), ...spend }, null, 2));
    else console.log(renderBatchText(aggregate, { threshold: gate, color: process.stdout.isTTY === true }));
    if (budget && !opts.json) console.log(budget.summaryText(jobs));
    if (opts.report) {
      const parts = [
        renderBatchMarkdown(aggregate, { threshold: gate, title: `Replay batch: ${countOf(jobs.length, 'trace')}` }),
        // With --repeat: one comparison per trace (its first A/B sample) with the spread of its samples.
        ...spreadComparisons(comparisons).map(renderComparisonMarkdown),
      ];
      const report = opts.report;
      await writingOutput('--report', report, () => writeFile(report, parts.join('\n\n---\n\n') + '\n'));
    }
    const junit = opts.junit;
    if (junit)
      await writingOutput('--junit', junit, () =>
        writeFile(junit, renderJunit(aggregate, { threshold: gate, suiteName: 'trace-replay batch' })),
      );
    if (!opts.json) for (const record of records.values()) console.log(platformRecordText(record));
    // The gate does not fail on what it cannot decide, and says so.
    if (gate !== undefined)
      for (const e of undecided(aggregate))
        process.stderr.write(
          `trace-replay: not enough evidence about ${e.name}: ${
            e.noise
              ? 'its change does not clear the A/A noise band (replaying without overrides)'
              : 'its confidence interval includes 0'
          }; the gate does not fail on it (more traces or --repeat samples can decide).\n`,
        );
    const problems = [
      ...writeBackErrors,
      ...(budget?.stoppedByBudget ? [`${budget.summaryText(jobs)}`] : []),
      ...failureReasons(jobs, gate === undefined ? [] : regressions(aggregate, gate).map((r) => r.evaluatorId)),
    ];
    if (problems.length) throw new CliError(problems.join(' '));
  });
}

function failureReasons(jobs: ReplayJob[], regressed: string[]): string[] {
  const reasons: string[] = [];
  const failed = jobs.filter((j) => j.status !== 'COMPLETED');
  if (failed.length)
    reasons.push(
      `${failed.length} of ${countOf(jobs.length, 'replay')} did not complete (first: ${failed[0].error ?? failed[0].status}).`,
    );
  if (regressed.length) reasons.push(`Regression in ${regressed.join(', ')}.`);
  return reasons;
}
