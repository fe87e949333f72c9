// The cost budget of `replay` and `batch` (--max-cost, --yes) and the estimate printed before a run:
// the estimate range goes to stderr (always for batch, for replay when --max-cost is given); an
// expected cost over the budget refuses to start (exit 2) unless --yes, a high end over it is a
// warning. While the run goes, a CostBudget (src/core/replay/cost-budget.ts) stops it at the budget
// (its spend counts the llm-judge calls of the evaluation too).
import type { Command } from 'commander';
import { loadEvaluatorConfig } from '../core/eval/evaluator-config';
import type { EvaluatorConfig } from '../core/eval/evaluator-types';
import { providerConfigsFromEnv } from '../core/llm/provider-configs';
import type { Trace } from '../core/model/trace';
import { estimateLine, formatUsd } from '../core/pricing/estimate-text';
import { estimateReplayCost, type ReplayEstimate, type ReplaySamples } from '../core/pricing/replay-estimate';
import { CostBudget } from '../core/replay/cost-budget';
import type { ReplayOverrides } from '../core/replay/replay-types';
import type { TraceStore } from '../core/store/trace-store';
import { CliError } from './cli-error';
import { evaluationFrom, type EvaluationOptions } from './evaluation-options';

export interface BudgetOptions {
  /** --max-cost in US dollars. */
  maxCost?: number;
  yes?: boolean;
}

/** `--max-cost`: a positive number of US dollars, optionally with a leading `$` (5, 0.50, $12). */
export function parseMaxCost(value: string): number {
  const text = value.trim();
  const match = /^\$?\s*(\d+(?:\.\d*)?|\.\d+)$/.exec(text);
  if (!match) {
    if (/^-/.test(text) || /^\$\s*-/.test(text))
      throw new CliError(`--max-cost must be a positive amount of US dollars (e.g. 5 or $5), got "${value}".`, 'usage');
    if (/[A-Za-z€£¥]/.test(text) && /\d/.test(text))
      throw new CliError(
        `--max-cost is in US dollars: write the plain amount (e.g. 10 or $10), without another currency, got "${value}".`,
        'usage',
      );
    throw new CliError(`--max-cost needs an amount of US dollars such as 5 or $0.50, got "${value}".`, 'usage');
  }
  const usd = Number(match[1]);
  if (!Number.isFinite(usd) || usd <= 0)
    throw new CliError(`--max-cost must be more than $0 (it is a spending limit), got "${value}".`, 'usage');
  return usd;
}

export function addBudgetOptions(command: Command): Command {
  return command
    .option(
      '--max-cost <usd>',
      'cost budget in US dollars (e.g. 5 or $5): refuses to start when the estimate is over it (unless --yes), and stops starting replays and calls once the spend reaches it',
      parseMaxCost,
    )
    .option('--yes', 'start even when the estimated cost is over --max-cost (the budget still stops the run)');
}

/** The evaluator configs a run will use (for the llm-judge part of the estimate); none with --no-eval. */
export async function evaluatorsOf(opts: EvaluationOptions): Promise<EvaluatorConfig[]> {
  const evaluation = evaluationFrom(opts);
  if (!evaluation || !evaluation.configPath) return [];
  return (await loadEvaluatorConfig(evaluation.configPath)).evaluators;
}

/** The estimate of replaying `traces` with `overrides` (never sends anything). A queue's workers hold
 *  the keys: the provider settings here only help resolve models, so a broken one is not fatal. */
export async function estimateFor(
  traces: Trace[],
  overrides: ReplayOverrides,
  opts: EvaluationOptions,
  samples?: ReplaySamples,
): Promise<ReplayEstimate> {
  let configs = {};
  try {
    configs = providerConfigsFromEnv(process.env);
  } catch {
    // A malformed provider setting: the run itself reports it (exit 2); the estimate goes on without it.
  }
  return estimateReplayCost(traces, {
    configs,
    ...(overrides.model !== undefined ? { model: overrides.model } : {}),
    ...(overrides.fromSpanId !== undefined ? { fromSpanId: overrides.fromSpanId } : {}),
    ...(samples ? { samples } : {}),
    evaluators: await evaluatorsOf(opts),
  });
}

async function readTraces(store: TraceStore, traceIds: string[]): Promise<Trace[]> {
  const traces: Trace[] = [];
  for (const id of traceIds) {
    const trace = await store.getTrace(id.toLowerCase());
    if (trace) traces.push(trace);
  }
  return traces;
}

/**
 * Before a run: prints the estimate to stderr (`always`, or when --max-cost is given), refuses an
 * expected cost over the budget unless --yes (a usage error, exit 2, nothing sent), and returns the
 * budget that watches the run (undefined without --max-cost).
 */
export async function checkBudgetBeforeRun(
  store: TraceStore,
  traceIds: string[],
  overrides: ReplayOverrides,
  opts: BudgetOptions & EvaluationOptions,
  settings: { always: boolean; samples?: ReplaySamples },
): Promise<CostBudget | undefined> {
  const budget = opts.maxCost;
  if (budget === undefined && !settings.always) return undefined;
  const estimate = await estimateFor(await readTraces(store, traceIds), overrides, opts, settings.samples);
  const warn = (line: string): void => void process.stderr.write(`${line}\n`);
  warn(`trace-replay: ${estimateLine(estimate)}`);
  if (budget === undefined) return undefined;
  const { expected, high } = estimate.usd;
  if (expected > budget && opts.yes !== true)
    throw new CliError(
      `The expected cost ${formatUsd(expected)} is over the --max-cost budget of ${formatUsd(budget)}; raise --max-cost, replay fewer traces, or add --yes to start anyway (the run then stops when the spend reaches the budget).`,
      'usage',
    );
  if (expected > budget)
    warn(
      `warning: the expected cost ${formatUsd(expected)} is over the ${formatUsd(budget)} budget; starting anyway (--yes), the run stops when the spend reaches it.`,
    );
  else if (high > budget)
    warn(
      `warning: the high end of the estimate (${formatUsd(high)}) is over the ${formatUsd(budget)} budget; the run may stop before every replay is done.`,
    );
  if (estimate.unpricedCalls > 0)
    warn(
      `warning: ${estimate.unpricedCalls} call${estimate.unpricedCalls === 1 ? ' has' : 's have'} no price, so the budget cannot count ${estimate.unpricedCalls === 1 ? 'it' : 'them'}; the real spend may be higher than it shows.`,
    );
  return new CostBudget(budget, warn);
}
