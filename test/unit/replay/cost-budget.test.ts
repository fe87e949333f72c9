// The spend tracker behind --max-cost (src/core/replay/cost-budget.ts): counts each sent call once,
// unknown costs as unknown (one warning line, never $0), and refuses to start once the budget is spent.
import assert from 'node:assert/strict';
import { CostBudget, stoppedByBudget } from '../../../src/core/replay/cost-budget';
import type { JudgeUsage, Score } from '../../../src/core/eval/evaluation-types';
import type { ReplayJob, ReplaySpanResult } from '../../../src/core/replay/replay-types';

function result(id: string, costUsd: number | null, extra: Partial<ReplaySpanResult> = {}): ReplaySpanResult {
  return {
    originalSpanId: id,
    replaySpanId: `r-${id}`,
    kind: 'llm',
    status: 'replayed',
    warnings: [],
    execution: {
      provider: 'openai',
      api: 'chat.completions',
      model: 'gpt-x',
      output: { text: '', toolCalls: [] },
      costUsd,
      ...(costUsd === null ? { costReason: 'no price data for model "gpt-x".' } : {}),
      originalCostUsd: null,
      durationMs: 1,
      streamed: false,
    },
    ...extra,
  };
}

const judged = (evaluatorId: string, spanId: string | undefined, usage: JudgeUsage): Score => ({
  evaluatorId,
  evaluatorType: 'llm-judge',
  evaluatorVersion: 'llm-judge@1+0',
  target: { traceId: 't', ...(spanId !== undefined ? { spanId } : {}) },
  value: 0.5,
  judgeUsage: usage,
});

const job = (id: string, spans: ReplaySpanResult[] = []): ReplayJob => ({
  id,
  traceId: 't',
  status: 'RUNNING',
  overrides: {},
  createdAt: '',
  providerMs: 0,
  spans,
});

describe('CostBudget', () => {
  it('counts each sent call once, cache hits as free, and refuses once the budget is reached', () => {
    const budget = new CostBudget(1);
    const a = result('s1', 0.4);
    budget.observe({ type: 'span-finished', job: job('j1'), result: a });
    budget.observe({ type: 'span-finished', job: job('j1'), result: result('s2', 5, { cached: true }) });
    // The finished job brings its spans again: not counted twice.
    budget.observe({ type: 'job-finished', job: job('j1', [a]) });
    assert.equal(budget.spentUsd, 0.4);
    assert.equal(budget.mayStart(), undefined);
    assert.equal(budget.stoppedByBudget, false);
    budget.observe({ type: 'job-finished', job: job('j2', [result('s1', 0.6)]) });
    assert.equal(budget.spentBy('j2'), 0.6);
    assert.deepEqual(budget.mayStart(), {
      message: 'stopped by the cost budget: spent $1.00 of $1.00',
      code: 'BUDGET_EXCEEDED',
    });
    assert.equal(budget.stoppedByBudget, true);
    assert.deepEqual(budget.summary(), {
      spentUsd: 1,
      judgeSpentUsd: 0,
      budgetUsd: 1,
      unknownCostCalls: 0,
      stoppedByBudget: true,
    });
    assert.equal(
      budget.summaryText([{ ...job('j3'), errorCode: 'BUDGET_EXCEEDED' }]),
      'Spent $1.00 of the $1.00 budget; stopped by the budget: 1 replay cancelled.',
    );
  });

  it('counts an unknown cost as unknown, says so in one warning line, and goes on with the known part', () => {
    const lines: string[] = [];
    const budget = new CostBudget(1, (line) => lines.push(line));
    budget.add(job('j1'), result('s1', null));
    budget.add(job('j1'), result('s2', null));
    budget.add(job('j1'), result('s3', 0.25));
    assert.equal(budget.unknownCostCalls, 2);
    assert.equal(budget.spentUsd, 0.25);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^warning: the cost of a call to openai:gpt-x is unknown \(no price data for model "gpt-x"\); the budget counts only calls with a known cost/,
    );
    assert.equal(budget.mayStart(), undefined, 'unknown costs do not stop the run');
    assert.match(
      budget.summaryText([]),
      /^Spent \$0\.25 of the \$1\.00 budget \(2 calls of unknown cost not counted\)\.$/,
    );
  });

  it('counts judge calls once (told as they end, again in the finished job), apart and in the spend', () => {
    const budget = new CostBudget(1);
    budget.add(job('j1'), result('s1', 0.5));
    const usage: JudgeUsage = { model: 'openai:gpt-4o', inputTokens: 40_000, outputTokens: 0, costUsd: 0.1 };
    const original = judged('fluency', undefined, usage);
    budget.addJudgeCall({ jobId: 'j1', side: 'original', evaluatorId: 'fluency', target: original.target, usage });
    assert.equal(budget.spentUsd, 0.6);
    assert.equal(budget.judgeSpentUsd, 0.1);
    // The same score on the other side is another call; the finished job brings both again.
    const finished: ReplayJob = {
      ...job('j1', [result('s1', 0.5)]),
      evaluation: { evaluatedAt: '', original: [original], replay: [judged('fluency', undefined, usage)] },
    };
    budget.observe({ type: 'job-finished', job: finished });
    assert.ok(Math.abs(budget.spentUsd - 0.7) < 1e-12, String(budget.spentUsd));
    assert.ok(Math.abs(budget.judgeSpentUsd - 0.2) < 1e-12);
    assert.ok(Math.abs(budget.spentBy('j1') - 0.7) < 1e-12);
    assert.ok(Math.abs(budget.judgeSpentBy('j1') - 0.2) < 1e-12);
    assert.equal(budget.judgeSpentBy('j2'), 0);
    assert.equal(budget.mayStart(), undefined);
    // A judge call can cross the budget: nothing starts after it, and the reason names the judge part.
    budget.addJudgeCall({
      jobId: 'j2',
      side: 'replay',
      evaluatorId: 'fluency',
      target: { traceId: 'r2', spanId: 'a' },
      usage: { ...usage, costUsd: 0.3 },
    });
    assert.deepEqual(budget.mayStart(), {
      message: 'stopped by the cost budget: spent $1.00 of $1.00 (judge calls: $0.50)',
      code: 'BUDGET_EXCEEDED',
    });
    const notRun: Score = {
      ...judged('fluency', 'b', usage),
      value: null,
      error: 'not run: stopped by the cost budget',
      errorCode: 'NOT_RUN',
    };
    delete notRun.judgeUsage;
    const stopped: ReplayJob = { ...job('j2'), evaluation: { evaluatedAt: '', original: [], replay: [notRun] } };
    assert.equal(
      budget.summaryText([stopped, { ...job('j3'), errorCode: 'BUDGET_EXCEEDED' }]),
      'Spent $1.00 of the $1.00 budget (judge calls: $0.50); stopped by the budget: 1 replay cancelled, 1 judge score not run.',
    );
    assert.equal(budget.summary().judgeSpentUsd, 0.5);
    // A job counts as stopped by the budget when it was cancelled by it or its judge scores were not run.
    assert.equal(stoppedByBudget(stopped), true);
    assert.equal(stoppedByBudget({ ...job('j3'), errorCode: 'BUDGET_EXCEEDED' }), true);
    assert.equal(stoppedByBudget(finished), false);
  });

  it('counts a judge call of unknown price as unknown, in the one warning line spans share', () => {
    const lines: string[] = [];
    const budget = new CostBudget(1, (line) => lines.push(line));
    const usage: JudgeUsage = {
      model: 'openai:no-such-model-7',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: null,
      costReason: 'no price data for model "no-such-model-7".',
    };
    budget.addJudgeCall({ jobId: 'j1', side: 'original', evaluatorId: 'q', target: { traceId: 't' }, usage });
    budget.add(job('j1'), result('s1', null));
    budget.add(job('j1'), result('s2', 0.25));
    assert.equal(budget.unknownCostCalls, 2);
    assert.equal(budget.spentUsd, 0.25);
    assert.equal(budget.judgeSpentUsd, 0);
    assert.deepEqual(lines, [
      'warning: the cost of a judge call to openai:no-such-model-7 is unknown (no price data for model "no-such-model-7"); the budget counts only calls with a known cost, so the real spend may be higher than it shows.',
    ]);
    assert.equal(
      budget.summaryText([]),
      'Spent $0.25 of the $1.00 budget (judge calls: $0; 2 calls of unknown cost not counted).',
    );
  });
});
