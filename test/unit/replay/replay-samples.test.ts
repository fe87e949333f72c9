// The sample plan of --repeat / --baseline-repeat (issue 18): the counts and their one-sentence
// errors, which jobs are queued in which order, the overrides of an A/A sample, the cache turned off,
// and the samples a trace costs (what `estimate` multiplies by).
import { strict as assert } from 'node:assert';
import {
  baselineOverrides,
  InvalidRepeatError,
  isRepeated,
  planSamples,
  sampleCounts,
  samplesPerTrace,
} from '../../../src/core/replay/replay-samples';
import type { ReplayOverrides } from '../../../src/core/replay/replay-types';

describe('replay samples', () => {
  it('counts: --baseline-repeat defaults to --repeat when given, else 0', () => {
    assert.deepEqual(sampleCounts(), { repeat: 1, baselineRepeat: 0 });
    assert.deepEqual(sampleCounts('3'), { repeat: 3, baselineRepeat: 3 });
    assert.deepEqual(sampleCounts('3', '0'), { repeat: 3, baselineRepeat: 0 });
    assert.deepEqual(sampleCounts(undefined, '2'), { repeat: 1, baselineRepeat: 2 });
    assert.deepEqual(sampleCounts(4, 1), { repeat: 4, baselineRepeat: 1 });
    assert.equal(samplesPerTrace(sampleCounts('3')), 6);
    assert.equal(samplesPerTrace(sampleCounts()), 1);
  });

  it('bad counts are usage errors in one sentence naming the flag and the value', () => {
    for (const [repeat, baseline, pattern] of [
      ['0', undefined, /^--repeat must be a whole number of 1 or more .*got "0"\.$/],
      ['-2', undefined, /^--repeat .*got "-2"\.$/],
      ['1.5', undefined, /^--repeat .*got "1\.5"\.$/],
      ['abc', undefined, /^--repeat .*got "abc"\.$/],
      ['', undefined, /^--repeat .*got ""\.$/],
      ['2', '-1', /^--baseline-repeat must be a whole number of 0 or more .*got "-1"\.$/],
    ] as const) {
      assert.throws(
        () => sampleCounts(repeat, baseline),
        (err: unknown) =>
          err instanceof InvalidRepeatError &&
          err.kind === 'usage' &&
          err.code === 'INVALID_REPEAT' &&
          pattern.test(err.message),
      );
    }
  });

  it('plan: per trace its N A/B samples then its M A/A samples, all with the cache off', () => {
    const overrides: ReplayOverrides = {
      model: 'openai:gpt-4.1-mini',
      parameters: { temperature: 0.7 },
      mode: 'chained',
      toolPolicy: 'strict',
    };
    const plan = planSamples(['t1', 't2'], overrides, { repeat: 2, baselineRepeat: 1 });
    assert.deepEqual(
      plan.map((p) => [p.traceId, p.sample?.index, p.sample?.baseline, p.sample?.group]),
      [
        ['t1', 0, false, 't1'],
        ['t1', 1, false, 't1'],
        ['t1', 0, true, 't1'],
        ['t2', 0, false, 't2'],
        ['t2', 1, false, 't2'],
        ['t2', 0, true, 't2'],
      ],
    );
    // One run id and the run's counts on every sample (a comparison finds the siblings by them).
    const runs = new Set(plan.map((p) => p.sample?.run));
    assert.equal(runs.size, 1);
    assert.match(String([...runs][0]), /^[0-9a-f-]{36}$/);
    assert.deepEqual(plan[5].sample?.of, { repeat: 2, baselineRepeat: 1 });
    assert.equal(planSamples(['t1'], overrides, { repeat: 2, baselineRepeat: 0 }, 'batch-7')[1].sample?.run, 'batch-7');
    assert.deepEqual(plan[0].overrides, { ...overrides, cache: false });
    // A/A: no treatment (model, parameters, template), the same way of replaying, never the cache.
    assert.deepEqual(plan[2].overrides, { mode: 'chained', toolPolicy: 'strict', cache: false });
    assert.equal(overrides.cache, undefined, "the caller's overrides are not changed");
  });

  it('a single sample is a plain replay: no sample identity, the cache as asked', () => {
    const overrides: ReplayOverrides = { model: 'openai:gpt-4o' };
    assert.equal(isRepeated({ repeat: 1, baselineRepeat: 0 }), false);
    assert.deepEqual(planSamples(['t1'], overrides, { repeat: 1, baselineRepeat: 0 }), [{ traceId: 't1', overrides }]);
    assert.equal(isRepeated({ repeat: 1, baselineRepeat: 1 }), true, 'one A/A sample is a second answer');
  });

  it('baselineOverrides keeps the fork span, tool definitions and step bound', () => {
    assert.deepEqual(
      baselineOverrides({
        model: 'x:y',
        template: { kind: 'file', path: '/t.txt' },
        templateSpanIds: ['s1'],
        fromSpanId: 'abc',
        toolsPath: '/tools.json',
        maxSteps: 5,
      }),
      { cache: false, fromSpanId: 'abc', toolsPath: '/tools.json', maxSteps: 5 },
    );
  });
});
