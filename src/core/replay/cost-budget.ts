// A cost budget that holds while replays run (`--max-cost`, traceReplay.replay.maxCostUsd): the actual
// spend is summed from the span results as they finish (their execution.costUsd, priced from the usage
// the provider reported) and from the llm-judge calls of the jobs' evaluations (each score's
// judgeUsage: told as each call ends when the evaluation runs here, EvaluationContext.judgeSpend, and
// read from the finished job otherwise, e.g. a queue worker's). Once the spend reaches the budget,
// `mayStart` refuses: the queue starts no new job, the runner sends no new span (RunContext.mayStart)
// and the evaluation sends no new judge call (that score is "not run: stopped by the cost budget");
// calls already in flight finish, and a refused job ends CANCELLED with "stopped by the cost budget:
// spent $X of $Y" (BUDGET_EXCEEDED). A call whose cost is unknown (a model without price data) is
// counted as unknown, never as 0: the budget goes on with the known part of the spend and says so
// once in a warning line.
import type { Score } from '../eval/evaluation-types';
import type { JudgeCallSpend, JudgeSpendWatch } from '../eval/evaluator-types';
import { formatUsdAmount } from '../util/format-money';
import type { ReplayEvent, ReplayJob, ReplaySpanResult } from './replay-types';

export const BUDGET_EXCEEDED = 'BUDGET_EXCEEDED';

/** Why something may not start; the runner and the queue put it on the job they stop. */
export interface StartRefusal {
  message: string;
  code: string;
}

export interface BudgetSummary {
  /** The known part of the spend (judge calls included). */
  spentUsd: number;
  /** The known part of the llm-judge calls' spend (in spentUsd). */
  judgeSpentUsd: number;
  budgetUsd: number;
  /** Calls whose cost is unknown (not in spentUsd). */
  unknownCostCalls: number;
  /** The budget stopped a job or a span. */
  stoppedByBudget: boolean;
}

/** The budget stopped this job: it was cancelled by it, or some of its judge scores were not run. */
export function stoppedByBudget(job: ReplayJob): boolean {
  return job.errorCode === BUDGET_EXCEEDED || notRunScores(job) > 0;
}

/** Scores of a job whose paid call the budget refused (NOT_RUN). */
function notRunScores(job: ReplayJob): number {
  const e = job.evaluation;
  return e ? [...e.original, ...e.replay].filter((s) => s.errorCode === 'NOT_RUN').length : 0;
}

/** A judge call's key: the same whether told live or read from its finished job. */
function judgeKey(call: Pick<JudgeCallSpend, 'jobId' | 'side' | 'evaluatorId' | 'target'>): string {
  const { jobId, side, evaluatorId, target } = call;
  return ['judge', jobId ?? '', side, evaluatorId, target.traceId, target.spanId ?? ''].join('\u0000');
}

export class CostBudget implements JudgeSpendWatch {
  private spent = 0;
  private judgeSpent = 0;
  private judgeCalls = 0;
  private unknown = 0;
  private stopped = false;
  private warned = false;
  /** Calls already counted, by job and span or judge score (a call is seen as it ends and again in
   *  its finished job). */
  private readonly counted = new Set<string>();
  /** Spend per job (for a job's own `spentUsd`), and its judge calls' part. */
  private readonly perJob = new Map<string, number>();
  private readonly perJobJudge = new Map<string, number>();

  /** `warn`: one line (no trailing newline) for the first call of unknown cost. */
  constructor(
    readonly budgetUsd: number,
    private readonly warn: (line: string) => void = () => undefined,
  ) {}

  get spentUsd(): number {
    return this.spent;
  }

  /** The known part of the llm-judge calls' spend (in spentUsd). */
  get judgeSpentUsd(): number {
    return this.judgeSpent;
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

  /** The spend of one job's sent calls, its judge calls included (known part). */
  spentBy(jobId: string): number {
    return this.perJob.get(jobId) ?? 0;
  }

  /** The spend of one job's judge calls (known part; in spentBy). */
  judgeSpentBy(jobId: string): number {
    return this.perJobJudge.get(jobId) ?? 0;
  }

  /** Counts an unknown cost; the first one says so in the warning line. */
  private unknownCost(what: string, reason: string | undefined): void {
    this.unknown++;
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `warning: the cost of ${what} is unknown (${(reason ?? 'no price data').replace(/\.$/, '')}); the budget counts only calls with a known cost, so the real spend may be higher than it shows.`,
    );
  }

  private addKnown(jobId: string | undefined, usd: number): void {
    this.spent += usd;
    if (jobId !== undefined) this.perJob.set(jobId, (this.perJob.get(jobId) ?? 0) + usd);
  }

  /** Counts a finished span's cost once; cache hits and reused spans cost nothing. */
  add(job: Pick<ReplayJob, 'id'>, result: ReplaySpanResult): void {
    const key = `${job.id}\u0000${result.originalSpanId}`;
    const execution = result.execution;
    if (result.status !== 'replayed' || !execution || result.cached || this.counted.has(key)) return;
    this.counted.add(key);
    if (execution.costUsd === null)
      return this.unknownCost(`a call to ${execution.provider}:${execution.model}`, execution.costReason);
    this.addKnown(job.id, execution.costUsd);
  }

  /** Counts an llm-judge call once (by job, side, evaluator and score target), as it ends or as
   *  its finished job brings it. */
  addJudgeCall(call: JudgeCallSpend): void {
    const key = judgeKey(call);
    if (this.counted.has(key)) return;
    this.counted.add(key);
    this.judgeCalls++;
    const { usage, jobId } = call;
    if (usage.costUsd === null) return this.unknownCost(`a judge call to ${usage.model}`, usage.costReason);
    this.addKnown(jobId, usage.costUsd);
    this.judgeSpent += usage.costUsd;
    if (jobId !== undefined) this.perJobJudge.set(jobId, (this.perJobJudge.get(jobId) ?? 0) + usage.costUsd);
  }

  /** The judge calls of a finished job's evaluation (those not told as they ended). */
  private addEvaluation(job: ReplayJob): void {
    const evaluation = job.evaluation;
    if (!evaluation) return;
    const sides: ['original' | 'replay', Score[]][] = [
      ['original', evaluation.original],
      ['replay', evaluation.replay],
    ];
    for (const [side, scores] of sides)
      for (const s of scores)
        if (s.judgeUsage)
          this.addJudgeCall({ jobId: job.id, side, evaluatorId: s.evaluatorId, target: s.target, usage: s.judgeUsage });
  }

  /** A queue's event listener: counts span results as they finish (and any a finished job brings
   *  that no event showed, e.g. from a queue worker), and a finished job's judge calls. */
  observe = (event: ReplayEvent): void => {
    if (event.type === 'span-finished') this.add(event.job, event.result);
    else if (event.type === 'job-finished') {
      for (const r of event.job.spans) this.add(event.job, r);
      this.addEvaluation(event.job);
    }
  };

  /** The notes on the spend, in one parenthesis: the judge calls' part once there are any, and the
   *  calls of unknown cost (written by `unknown`) when there are any. */
  private notes(unknown: (calls: string) => string): string {
    const notes: string[] = [];
    if (this.judgeCalls > 0) notes.push(`judge calls: ${formatUsdAmount(this.judgeSpent)}`);
    if (this.unknown > 0) notes.push(unknown(`${this.unknown} call${this.unknown === 1 ? '' : 's'}`));
    return notes.length > 0 ? ` (${notes.join('; ')})` : '';
  }

  /** "stopped by the cost budget: spent $X of $Y". */
  reason(): string {
    const notes = this.notes((calls) => `and ${calls} of unknown cost`);
    return `stopped by the cost budget: spent ${formatUsdAmount(this.spent)} of ${formatUsdAmount(this.budgetUsd)}${notes}`;
  }

  /** The hook of the queue, the runner and the evaluation (before each judge call): undefined while
   *  the spend is under the budget. */
  mayStart = (): StartRefusal | undefined => {
    if (!this.exceeded) return undefined;
    this.stopped = true;
    return { message: this.reason(), code: BUDGET_EXCEEDED };
  };

  summary(): BudgetSummary {
    return {
      spentUsd: this.spent,
      judgeSpentUsd: this.judgeSpent,
      budgetUsd: this.budgetUsd,
      unknownCostCalls: this.unknown,
      stoppedByBudget: this.stopped,
    };
  }

  /** The summary line: "Spent $0.90 of the $1.00 budget (judge calls: $0.10); stopped by the budget:
   *  3 replays cancelled, 2 judge scores not run." */
  summaryText(jobs: ReplayJob[]): string {
    const notes = this.notes((calls) => `${calls} of unknown cost not counted`);
    const stopped = jobs.filter((j) => j.errorCode === BUDGET_EXCEEDED).length;
    const notRun = jobs.reduce((n, j) => n + notRunScores(j), 0);
    const judgeTail = notRun > 0 ? `, ${notRun} judge score${notRun === 1 ? '' : 's'} not run` : '';
    const tail = this.stopped
      ? `; stopped by the budget: ${stopped} replay${stopped === 1 ? '' : 's'} cancelled${judgeTail}`
      : '';
    return `Spent ${formatUsdAmount(this.spent)} of the ${formatUsdAmount(this.budgetUsd)} budget${notes}${tail}.`;
  }
}
