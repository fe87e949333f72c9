import assert from 'node:assert/strict';
import type { Span } from '../../../src/core/model/trace';
import { isMoreComplete, mergeSpans } from '../../../src/core/store/span-merge';

function span(id: string, extra: Partial<Span> = {}): Span {
  return {
    id,
    traceId: 't',
    name: id,
    kind: 'other',
    startTime: 1,
    endTime: 2,
    startTimeUnixNano: '1000000',
    endTimeUnixNano: '2000000',
    status: { code: 'unset' },
    attributes: {},
    events: [],
    conventions: [],
    ...extra,
  };
}

describe('span merge', () => {
  const running = span('a', { endTime: 0, endTimeUnixNano: '0', attributes: { x: 1, y: 2, z: 3 } });

  it('prefers an ended copy over a running one, whatever else they carry', () => {
    assert.ok(isMoreComplete(span('a'), running));
    assert.ok(!isMoreComplete(running, span('a')));
  });

  it('then prefers a set status, then more attributes and events', () => {
    assert.ok(isMoreComplete(span('a', { status: { code: 'ok' } }), span('a', { attributes: { many: 1 } })));
    assert.ok(isMoreComplete(span('a', { attributes: { k: 1 } }), span('a')));
    assert.ok(isMoreComplete(span('a', { events: [{ name: 'e', timeUnixNano: '1', attributes: {} }] }), span('a')));
  });

  it('keeps the stored copy on a tie', () => {
    const stored = span('a', { name: 'stored' });
    const result = mergeSpans([stored], [span('a', { name: 'later' })]);
    assert.deepEqual([result.accepted, result.duplicates, result.changed], [0, 1, false]);
    assert.equal(result.spans[0].name, 'stored');
  });

  it('adds new spans and replaces a duplicate that is more complete', () => {
    const result = mergeSpans([running], [span('a'), span('b')]);
    assert.deepEqual([result.accepted, result.duplicates, result.changed], [1, 1, true]);
    assert.deepEqual(
      result.spans.map((s) => [s.id, s.endTime]),
      [
        ['a', 2],
        ['b', 2],
      ],
    );
  });
});
