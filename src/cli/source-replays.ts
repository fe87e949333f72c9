// The replay step `replay` and `batch` share once they know which traces: platform traces are
// copied into the store and a prompt version is checked (prepareSourceReplay), the jobs run, and
// replays of platform traces are recorded and written back.
import { DEFAULT_REPLAY_CONCURRENCY } from '../core/replay/replay-queue';
import { prepareSourceReplay } from '../core/replay/prepare-source-replay';
import type { PlatformReplayRecord } from '../core/replay/platform-replay';
import type { ReplayJob, ReplayOverrides } from '../core/replay/replay-types';
import type { OpenedTraceSource } from '../core/sources/open-source';
import type { TraceStore } from '../core/store/trace-store';
import { CliError } from './cli-error';
import { evaluationFrom, type EvaluationOptions } from './evaluation-options';
import { recordPlatformReplays } from './platform-replay-records';
import { sampleCounts } from '../core/replay/replay-samples';
import type { OverrideOptions } from './override-options';
import { runReplays } from './run-replays';
import { envSessions } from './source-option';
import { openLiveToolHost } from './live-tools';
import { estimateSamples } from '../core/pricing/replay-estimate';
import { checkBudgetBeforeRun, type BudgetOptions } from './budget-option';
import type { CostBudget } from '../core/replay/cost-budget';

export interface SourceReplays {
  jobs: ReplayJob[];
  /** By job id: what each replay of a platform trace did there. */
  records: Map<string, PlatformReplayRecord>;
  writeBackErrors: string[];
  /** --max-cost: what the run spent and whether the budget stopped it. */
  budget?: CostBudget;
}

export async function runSourceReplays(
  store: TraceStore,
  source: OpenedTraceSource,
  traceIds: string[],
  /** From overridesFrom(opts), checked before anything was read; the template may be filled in here. */
  overrides: ReplayOverrides,
  opts: OverrideOptions & EvaluationOptions & BudgetOptions,
  /** `estimate`: print the cost estimate even without --max-cost (batch). */
  output: { json?: boolean; estimate?: boolean },
): Promise<SourceReplays> {
  // Configuration mistakes (a bad spec, a platform not set up) are usage errors by their kind.
  if (opts.batchId !== undefined && !opts.queue)
    throw new CliError(
      '--batch-id names a run on a queue: give --queue <redis-url> too (a local run resumes with `resume`).',
      'usage',
    );
  if (opts.queue && opts.concurrency !== undefined)
    process.stderr.write(
      `warning: --concurrency ${opts.concurrency} applies to replays run here; on the queue each \`trace-replay worker\` runs its own --concurrency jobs at once.\n`,
    );
  const plan = await prepareSourceReplay(source, store, traceIds, {
    refresh: opts.refresh,
    template: overrides.template,
    promptVersion: opts.promptVersion,
    promptLabel: opts.promptLabel,
    open: envSessions(store),
  });
  if (plan.template !== undefined) overrides.template = plan.template;
  // The estimate, and the budget's refusal, before anything is started or sent.
  const samples = sampleCounts(opts.repeat, opts.baselineRepeat);
  const budget = await checkBudgetBeforeRun(store, plan.traceIds, overrides, opts, {
    always: output.estimate === true,
    samples: estimateSamples(samples),
  });
  // --tools live: the MCP servers start before any job (a broken config costs no provider call).
  const toolHost = await openLiveToolHost(opts, overrides);
  let jobs: ReplayJob[];
  try {
    jobs = await runReplays(store, plan.traceIds, {
      overrides,
      concurrency: opts.concurrency ?? DEFAULT_REPLAY_CONCURRENCY,
      ...(opts.queue ? { queue: { url: opts.queue, name: opts.queueName, batchId: opts.batchId } } : {}),
      ...(toolHost ? { toolHost } : {}),
      ...(budget ? { budget } : {}),
      json: output.json,
      samples,
      services: { promptVersions: plan.promptVersions, evaluation: evaluationFrom(opts) },
    });
  } finally {
    await toolHost?.close();
  }
  return {
    jobs,
    ...(await recordPlatformReplays(store, source, jobs, opts.writeBack)),
    ...(budget ? { budget } : {}),
  };
}
