// The spend tracker behind --max-cost (src/core/replay/cost-budget.ts): counts each sent call once,
// unknown costs as unknown (one warning line, never $0), and refuses to start once the budget is spent.
import assert from 'node:assert/strict';
import { CostBudget } from '../../../src/core/replay/cost-budget';
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
    assert.deepEqual(budget.summary(), { spentUsd: 1, budgetUsd: 1, unknownCostCalls: 0, stoppedByBudget: true });
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
});
