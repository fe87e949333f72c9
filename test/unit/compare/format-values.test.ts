// Number formatting: counts read as a person writes them ("1 span"), a pair of values and its delta
// agree in the digits shown (property tests over random pairs), spans are named by step and model.
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/compare/bootstrap';
import type { MetricUnit } from '../../../src/core/compare/comparison-types';
import { countOf, formatChange, formatValue, spanLabel } from '../../../src/core/compare/format-values';

describe('countOf', () => {
  it('puts the noun in the number the count needs', () => {
    assert.equal(countOf(1, 'span'), '1 span');
    assert.equal(countOf(0, 'span'), '0 spans');
    assert.equal(countOf(2, 'LLM call'), '2 LLM calls');
    assert.equal(countOf(1, 'LLM call'), '1 LLM call');
    assert.equal(countOf(3, 'entry', 'entries'), '3 entries');
  });
});

/** The number a written value stands for, in the unit ("1.25 s" is 1250 ms, "$0.00012" 0.00012). */
function shownNumber(text: string, unit: MetricUnit): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '').replace('$', '').replace(/,/g, '');
  if (unit === 'ms' && body.endsWith(' s')) return sign * Number(body.slice(0, -2)) * 1000;
  return sign * Number(body.replace(/ ms$/, ''));
}

/** Decimals written after the point ("26.10 ms" -> 2). */
const decimalsOf = (text: string): number => /\.(\d+)/.exec(text)?.[1].length ?? 0;

describe('formatChange: shown values and their delta agree', () => {
  const random = seededRandom(12);
  const draw: Record<MetricUnit, () => number> = {
    // Durations from sub-millisecond to minutes, costs from a millionth of a cent to dollars.
    ms: () => (random() < 0.5 ? random() * 50 : random() * 120_000),
    usd: () => 10 ** (-8 + random() * 8.5),
    score: () => random(),
    tokens: () => Math.floor(random() * 20_000),
  };

  for (const unit of ['ms', 'usd', 'score', 'tokens'] as const) {
    it(`${unit}: shown replay - shown original = shown delta, over 2000 random pairs`, () => {
      for (let i = 0; i < 2000; i++) {
        const original = draw[unit]();
        // Half the pairs are close (a real difference in the last digits), half far apart.
        const replay = random() < 0.5 ? original * (1 + (random() - 0.5) * 0.01) : draw[unit]();
        const f = formatChange(original, replay, unit);
        const o = shownNumber(f.original, unit);
        const r = shownNumber(f.replay, unit);
        const d = shownNumber(f.delta, unit);
        const tolerance = 1e-9 * Math.max(1, Math.abs(o), Math.abs(r));
        assert.ok(
          Math.abs(r - o - d) <= tolerance,
          `${unit} ${original} -> ${replay}: ${f.original} -> ${f.replay}, ${f.delta}`,
        );
        assert.ok(Math.abs((f.shownDelta ?? NaN) - d) <= tolerance, `shownDelta ${f.shownDelta} vs ${f.delta}`);
        // One precision for the pair: both values and the delta carry the same decimals.
        if (f.original !== '$0' && f.replay !== '$0' && f.delta !== '$0') {
          assert.equal(decimalsOf(f.original), decimalsOf(f.replay), `${f.original} / ${f.replay}`);
          assert.equal(decimalsOf(f.delta), decimalsOf(f.replay), `${f.delta} / ${f.replay}`);
        }
        // A real difference does not vanish while the unit still has digits to show it (a thousandth
        // of a millisecond; of a second from one second up; 10^-10 dollars; 10^-6 of a score).
        const finest =
          unit === 'usd'
            ? 1e-10
            : unit === 'score'
              ? 1e-6
              : unit === 'ms' && Math.max(original, replay) >= 1000
                ? 1
                : 1e-3;
        if (Math.abs(replay - original) >= finest && unit !== 'tokens') {
          assert.notEqual(d, 0, `${unit} ${original} -> ${replay} shows no change: ${f.delta}`);
        }
      }
    });
  }

  it('writes "29 ms → 26 ms" with "-3 ms", never "-2.5 ms"', () => {
    const f = formatChange(28.6, 26.1, 'ms');
    assert.deepEqual([f.original, f.replay, f.delta], ['29 ms', '26 ms', '-3 ms']);
    const close = formatChange(29.04, 29.01, 'ms');
    assert.deepEqual([close.original, close.replay, close.delta], ['29.04 ms', '29.01 ms', '-0.03 ms']);
    const seconds = formatChange(1234, 987, 'ms');
    assert.deepEqual([seconds.original, seconds.replay, seconds.delta], ['1.23 s', '0.99 s', '-0.24 s']);
  });

  it('gives a tiny cost enough digits to show its change, and the same value the same digits', () => {
    const f = formatChange(0.0000765, 0.0000771, 'usd');
    assert.deepEqual([f.original, f.replay, f.delta], ['$0.0000765', '$0.0000771', '+$0.0000006']);
    assert.equal(formatValue(0.00035, 'usd'), '$0.00035');
    assert.equal(formatValue(2.5, 'usd'), '$2.50');
    assert.equal(formatChange(0.00035, 0.00035, 'usd').delta, '$0');
  });

  it('an unknown side leaves the delta unknown', () => {
    const f = formatChange(12, null, 'tokens');
    assert.deepEqual([f.original, f.replay, f.delta, f.shownDelta], ['12', '—', '—', null]);
  });
});

describe('spanLabel', () => {
  it('names an LLM span by its step and model, any other span by its name', () => {
    assert.equal(spanLabel({ name: 'OpenAI Chat Completions', step: 2, model: 'gpt-4o-mini' }), '#2 gpt-4o-mini');
    assert.equal(spanLabel({ name: 'OpenAI Chat Completions', step: 1 }), '#1 OpenAI Chat Completions');
    assert.equal(spanLabel({ name: 'get_weather' }), 'get_weather');
  });
});
