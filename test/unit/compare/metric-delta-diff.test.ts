// Deltas and directions (lower-better vs higher-better, unknown sides), and the neutral diffs.
import { strict as assert } from 'node:assert';
import type { TextDiff } from '../../../src/core/compare/comparison-types';
import { metricDelta, sumSides } from '../../../src/core/compare/metric-delta';
import { outputDiffOf } from '../../../src/core/compare/llm-span-diff';
import { argumentsDiff, outputDiff, wordDiff } from '../../../src/core/compare/text-diff';
import type { LlmCall } from '../../../src/core/model/trace';

const sides = (d: TextDiff): [string, string] => [
  d.chunks
    .filter((c) => c.op !== 'insert')
    .map((c) => c.text)
    .join(''),
  d.chunks
    .filter((c) => c.op !== 'delete')
    .map((c) => c.text)
    .join(''),
];

describe('metricDelta', () => {
  it('lower is better for cost, latency and tokens', () => {
    const cheaper = metricDelta('usd', { value: 0.002 }, { value: 0.001 });
    assert.deepEqual(
      [cheaper.delta, cheaper.relativeDelta, cheaper.direction, cheaper.lowerIsBetter],
      [-0.001, -0.5, 'better', true],
    );
    assert.equal(metricDelta('ms', { value: 100 }, { value: 150 }).direction, 'worse');
    assert.equal(metricDelta('tokens', { value: 30 }, { value: 30 }).direction, 'same');
  });

  it('higher is better for scores', () => {
    const up = metricDelta('score', { value: 0.5 }, { value: 0.75 });
    assert.deepEqual([up.delta, up.relativeDelta, up.direction, up.lowerIsBetter], [0.25, 0.5, 'better', false]);
    assert.equal(metricDelta('score', { value: 0.75 }, { value: 0.5 }).direction, 'worse');
  });

  it('treats floating noise as the same value', () => {
    const m = metricDelta('usd', { value: 0.1 + 0.2 }, { value: 0.3 });
    assert.equal(m.direction, 'same');
    assert.equal(metricDelta('score', { value: 0.3 }, { value: 0.1 + 0.2 }).direction, 'same');
  });

  it('unknown sides give a null delta with the reason kept', () => {
    const m = metricDelta('usd', { value: 0.01 }, { value: null, reason: 'no price data' });
    assert.deepEqual(
      [m.replay, m.delta, m.relativeDelta, m.direction, m.replayReason],
      [null, null, null, 'unknown', 'no price data'],
    );
    assert.equal(m.originalReason, undefined);
  });

  it('relative delta from 0 is 0 when unchanged and null otherwise', () => {
    assert.equal(metricDelta('tokens', { value: 0 }, { value: 0 }).relativeDelta, 0);
    assert.equal(metricDelta('tokens', { value: 0 }, { value: 5 }).relativeDelta, null);
    assert.equal(metricDelta('tokens', { value: 0 }, { value: 5 }).direction, 'changed');
  });

  it('sums are unknown as soon as one part is, with every distinct reason', () => {
    assert.deepEqual(sumSides([{ value: 1 }, { value: 2 }]), { value: 3 });
    assert.deepEqual(
      sumSides([
        { value: 1 },
        { value: null, reason: 'a' },
        { value: null, reason: 'b' },
        { value: null, reason: 'a' },
      ]),
      { value: null, reason: 'a; b' },
    );
    assert.deepEqual(sumSides([]), { value: 0 });
  });
});

describe('text diffs', () => {
  it('word diff: changed words only, both sides reconstructible', () => {
    const d = wordDiff('The quick brown fox jumps', 'The quick red fox leaps');
    assert.equal(d.format, 'words');
    assert.equal(d.changed, true);
    assert.deepEqual(sides(d), ['The quick brown fox jumps', 'The quick red fox leaps']);
    assert.deepEqual(
      d.chunks.filter((c) => c.op === 'delete').map((c) => c.text.trim()),
      ['brown', 'jumps'],
    );
    assert.deepEqual(
      d.chunks.filter((c) => c.op === 'insert').map((c) => c.text.trim()),
      ['red', 'leaps'],
    );
  });

  it('identical texts are one equal chunk, empty texts none', () => {
    assert.deepEqual(wordDiff('same', 'same'), {
      format: 'words',
      changed: false,
      chunks: [{ op: 'equal', text: 'same' }],
    });
    assert.deepEqual(wordDiff('', ''), { format: 'words', changed: false, chunks: [] });
    assert.deepEqual(wordDiff('', 'new'), { format: 'words', changed: true, chunks: [{ op: 'insert', text: 'new' }] });
  });

  it('structured outputs: JSON-aware, key order is not a change', () => {
    const d = outputDiff('{"b": 1, "a": [1, 2]}', '{"a":[1,2],"b":1}');
    assert.equal(d.format, 'json');
    assert.equal(d.changed, false);
    const changed = outputDiff('```json\n{"name": "Ada", "age": 36}\n```', '{"age": 37, "name": "Ada"}');
    assert.equal(changed.format, 'json');
    assert.deepEqual(
      changed.chunks.filter((c) => c.op !== 'equal'),
      [
        { op: 'delete', text: '  "age": 36,\n' },
        { op: 'insert', text: '  "age": 37,\n' },
      ],
    );
  });

  it('falls back to words when only one side is JSON', () => {
    assert.equal(outputDiff('{"a": 1}', 'Sorry, I cannot do that.').format, 'words');
    assert.equal(outputDiff('42', '43').format, 'words', 'a bare JSON scalar is text');
  });

  it('tool-call arguments: objects and JSON strings diff as JSON, other strings as words', () => {
    const d = argumentsDiff({ city: 'Paris', unit: 'C' }, '{"unit":"C","city":"Lyon"}');
    assert.equal(d.format, 'json');
    assert.deepEqual(
      d.chunks.filter((c) => c.op !== 'equal').map((c) => [c.op, c.text.trim()]),
      [
        ['delete', '"city": "Paris",'],
        ['insert', '"city": "Lyon",'],
      ],
    );
    const raw = argumentsDiff('city=Paris', 'city=Lyon');
    assert.equal(raw.format, 'words');
    assert.equal(raw.changed, true);
    const added = argumentsDiff(undefined, { city: 'Rome' });
    assert.equal(added.changed, true);
    assert.deepEqual(
      added.chunks.map((c) => c.op),
      ['insert'],
    );
  });

  it('gives up aligning huge, very different texts instead of blocking', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 20000 }, (_, i) => `b${i}`).join(' ');
    const d = wordDiff(a, b);
    assert.equal(d.changed, true);
    assert.deepEqual(sides(d), [a, b]);
    assert.deepEqual(
      d.chunks.map((c) => c.op),
      ['delete', 'insert'],
      'whole replacement',
    );
    // A small change in the same long text is still found word by word.
    const small = wordDiff(a, a.replace('a500 ', 'x500 '));
    assert.deepEqual(
      small.chunks.filter((c) => c.op !== 'equal').map((c) => c.text.trim()),
      ['a500', 'x500'],
    );
  });
});

describe('outputDiffOf: finish reasons', () => {
  const call = (finishReason: string): LlmCall => ({
    provider: 'openai',
    api: 'chat.completions',
    requestModel: 'gpt-4o-mini',
    messages: [],
    parameters: {},
    output: { text: '', toolCalls: [], finishReason },
  });

  it('compares them in one vocabulary: a recorded tool_calls and a replayed tool_call are the same reason', () => {
    assert.deepEqual(outputDiffOf(call('tool_calls'), call('tool_call')).finishReason, {
      original: 'tool_call',
      replay: 'tool_call',
      changed: false,
    });
    assert.deepEqual(outputDiffOf(call('end_turn'), call('length')).finishReason, {
      original: 'stop',
      replay: 'length',
      changed: true,
    });
  });
});
