// The words of repeated samples in VS Code (issue 18): the Replays view's sample label, the wizard's
// samples text and typed-count check, and the summary's Estimated cost row with samples and a budget.
import { estimateSamples } from '../../../src/core/pricing/replay-estimate';
import assert from 'node:assert/strict';
import type { ReplayEstimate } from '../../../src/core/pricing/replay-estimate';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import type { CostEstimate } from '../../../src/extension/replay/replay-estimate';
import { sampleLabel } from '../../../src/extension/replay/replay-format';
import {
  costRowText,
  countsOf,
  sampleCountProblem,
  samplesText,
} from '../../../src/extension/replay/replay-sample-texts';

const of = { repeat: 3, baselineRepeat: 3 };

/** A cost estimate as the extension's estimateReplayCost returns it: `usd` with `unpriced` calls. */
function cost(usd: { low: number; expected: number; high: number }, unpricedCalls = 0): CostEstimate {
  const estimate: ReplayEstimate = {
    traces: [],
    models: [],
    calls: 6,
    judgeCalls: 0,
    usd,
    unpricedCalls,
    unpriced: [],
  };
  return {
    calls: 6,
    estimate,
    text: '≈ $0.20 for 6 calls',
    range: '$0.10 – $0.40',
    basis: '6 calls; $0.20 at the recorded tokens',
  };
}

describe('Repeated samples in VS Code: texts', () => {
  it('labels an A/B sample "sample i/N" and an A/A one "A/A i/M", by the run counts when the job has them', () => {
    const job = (sample: ReplayJob['sample']): Pick<ReplayJob, 'sample'> => ({ sample });
    assert.equal(sampleLabel(job({ group: 't', index: 1, baseline: false, run: 'r', of })), 'sample 2/3');
    assert.equal(sampleLabel(job({ group: 't', index: 0, baseline: true, run: 'r', of })), 'A/A 1/3');
    assert.equal(
      sampleLabel(job({ group: 't', index: 0, baseline: true, of: { repeat: 5, baselineRepeat: 2 } })),
      'A/A 1/2',
    );
    assert.equal(sampleLabel(job({ group: 't', index: 4, baseline: false })), 'sample 5', 'no counts: the index');
    assert.equal(sampleLabel(job(undefined)), undefined, 'a plain replay has no label');
  });

  it('says a choice of N as N with the changes + N without (A/A), per trace for a batch', () => {
    assert.deepEqual(countsOf(1), { repeat: 1, baselineRepeat: 0 });
    assert.deepEqual(countsOf(3), { repeat: 3, baselineRepeat: 3 });
    assert.equal(samplesText(countsOf(1)), '1 (a single replay)');
    assert.equal(samplesText(countsOf(3)), '3 with your changes + 3 without (A/A noise floor)');
    assert.equal(samplesText(countsOf(5), 2), '5 with your changes + 5 without (A/A noise floor) per trace');
    assert.deepEqual(estimateSamples(countsOf(3)), { replay: 3, baseline: 3 });
  });

  it('takes a typed count of 1 to 20 and says why anything else is not one', () => {
    for (const ok of ['1', '7', ' 20 ']) assert.equal(sampleCountProblem(ok), undefined, ok);
    for (const bad of ['0', '21', '2.5', '-3', 'three', ''])
      assert.match(sampleCountProblem(bad) ?? '', /^Type a whole number from 1 to 20 /, bad);
  });

  it('the cost row names what the samples count, at the recorded model for the A/A ones', () => {
    const row = costRowText(cost({ low: 0.1, expected: 0.2, high: 0.4 }), countsOf(3), 0);
    assert.equal(row.description, '$0.10 – $0.40');
    assert.equal(
      row.detail,
      "3 replays with your changes + 3 A/A at the recorded model's prices per trace; 6 calls; $0.20 at the recorded tokens",
    );
    assert.equal(costRowText(cost({ low: 0.1, expected: 0.2, high: 0.4 }), countsOf(1), 0).detail, cost(zero()).basis);
  });

  it('with a budget: names it, warns when the high end or the expected cost is over it, and names unpriced calls', () => {
    const usd = { low: 0.1, expected: 0.2, high: 0.4 };
    const under = costRowText(cost(usd), countsOf(1), 1);
    assert.match(under.description, /· budget \$1(\.00)?$/);
    assert.doesNotMatch(under.detail, /warning/);
    const high = costRowText(cost(usd), countsOf(1), 0.3);
    assert.match(
      high.detail,
      /^\$\(warning\) The high end \$0\.40 is over the \$0\.30 budget \(traceReplay\.replay\.maxCostUsd\)/,
    );
    assert.match(high.detail, /the replay will stop when the budget is spent/);
    const expected = costRowText(cost(usd), countsOf(1), 0.15);
    assert.match(expected.detail, /^\$\(warning\) The expected cost \$0\.20 is over the \$0\.15 budget/);
    const unpriced = costRowText(cost(usd, 2), countsOf(1), 1);
    assert.match(unpriced.detail, /2 calls without a price cannot count against the budget/);
  });
});

function zero(): { low: number; expected: number; high: number } {
  return { low: 0, expected: 0, high: 0 };
}
