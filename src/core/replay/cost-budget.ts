// A cost budget that holds while replays run (`--max-cost`, traceReplay.replay.maxCostUsd): the actual
// spend is summed from the span results as they finish (their execution.costUsd, priced from the usage
// the provider reported). Once the spend reaches the budget, `mayStart` refuses: the queue starts no
// new job and the runner sends no new span (RunContext.mayStart), calls already in flight finish, and
// what was refused ends CANCELLED with "stopped by the cost budget: spent $X of $Y" (BUDGET_EXCEEDED).
// A call whose cost is unknown (a model without price data) is counted as unknown, never as 0: the
// budget goes on with the known part of the spend and says so once in a warning line.
import { formatValue } from '../compare/format-values';
import type { ReplayEvent, ReplayJob, ReplaySpanResult } from './replay-types';

export const BUDGET_EXCEEDED = 'BUDGET_EXCEEDED';

/** Why something may not start; the runner and the queue put it on the job they stop. */
export interface StartRefusal {
  message: string;
  code: string;
}

export interface BudgetSummary {
  /** The known part of the spend. */
  spentUsd: number;
  budgetUsd: number;
  /** Calls whose cost is unknown (not in spentUsd). */
  unknownCostCalls: number;
  /** The budget stopped a job or a span. */
  stoppedByBudget: boolean;
}

export class CostBudget {
  private spent = 0;
  private unknown = 0;
  private stopped = false;
  private warned = false;
  /** Span results already counted, by job and span (a result is seen in its event and in its job). */
  private readonly counted = new Set<string>();
  /** Spend per job (for a job's own `spentUsd`). */
  private readonly perJob = new Map<string, number>();

  /** `warn`: one line (no trailing newline) for the first call of unknown cost. */
  constructor(
    readonly budgetUsd: number,
    private readonly warn: (line: string) => void = () => undefined,
  ) {}

  get spentUsd(): number {
    return this.spent;
  }

  get unknownCostCalls(): number {
    return this.unknown;
  }

  get stoppedByBudget(): boolean {
    return this.stopped;
  }

  get exceeded(): boolean {
    return this.spent >= this.budgetUsd;
  }

  /** The spend of one job's sent calls (known part). */
  spentBy(jobId: string): number {
    return this.perJob.get(jobId) ?? 0;
  }

  /** Counts a finished span's cost once; cache hits and reused spans cost nothing. */
  add(job: Pick<ReplayJob, 'id'>, result: ReplaySpanResult): void {
    const key = `${job.id}\u0000${result.originalSpanId}`;
    const execution = result.execution;
    if (result.status !== 'replayed' || !execution || result.cached || this.counted.has(key)) return;
    this.counted.add(key);
    if (execution.costUsd === null) {
      this.unknown++;
      if (!this.warned) {
        this.warned = true;
        this.warn(
          `warning: the cost of a call to ${execution.provider}:${execution.model} is unknown (${(execution.costReason ?? 'no price data').replace(/\.$/, '')}); the budget counts only calls with a known cost, so the real spend may be higher than it shows.`,
        );
      }
      return;
    }
    this.spent += execution.costUsd;
    this.perJob.set(job.id, (this.perJob.get(job.id) ?? 0) + execution.costUsd);
  }

  /** A queue's event listener: counts span results as they finish (and any a finished job brings
   *  that no event showed, e.g. from a queue worker). */
  observe = (event: ReplayEvent): void => {
    if (event.type === 'span-finished') this.add(event.job, event.result);
    else if (event.type === 'job-finished') for (const r of event.job.spans) this.add(event.job, r);
  };

  /** "stopped by the cost budget: spent $X of $Y". */
  reason(): string {
    const unknown =
      this.unknown > 0 ? ` (and ${this.unknown} call${this.unknown === 1 ? '' : 's'} of unknown cost)` : '';
    return `stopped by the cost budget: spent ${formatValue(this.spent, 'usd')} of ${formatValue(this.budgetUsd, 'usd')}${unknown}`;
  }

  /** The hook of the queue and the runner: undefined while the spend is under the budget. */
  mayStart = (): StartRefusal | undefined => {
    if (!this.exceeded) return undefined;
    this.stopped = true;
    return { message: this.reason(), code: BUDGET_EXCEEDED };
  };

  summary(): BudgetSummary {
    return {
      spentUsd: this.spent,
      budgetUsd: this.budgetUsd,
      unknownCostCalls: this.unknown,
      stoppedByBudget: this.stopped,
    };
  }

  /** The summary line: "Spent $0.90 of the $1.00 budget; stopped by it: 3 replays cancelled." */
  summaryText(jobs: ReplayJob[]): string {
    const unknown =
      this.unknown > 0 ? ` (${this.unknown} call${this.unknown === 1 ? '' : 's'} of unknown cost not counted)` : '';
    const stopped = jobs.filter((j) => j.errorCode === BUDGET_EXCEEDED).length;
    const tail = this.stopped ? `; stopped by the budget: ${stopped} replay${stopped === 1 ? '' : 's'} cancelled` : '';
    return `Spent ${formatValue(this.spent, 'usd')} of the ${formatValue(this.budgetUsd, 'usd')} budget${unknown}${tail}.`;
  }
}
