// Tool-call drift: how the recorded and replayed calls of one LLM span are paired (order changes and
// key order are not drift; same tool with other arguments is "changed"; leftovers are missing / new),
// the per-key account of changed arguments, and which result the replay used.
import { strict as assert } from 'node:assert';
import {
  argumentChanges,
  argumentChangeTexts,
  pairToolCalls,
  spanToolDrift,
  toolCallText,
  type DriftSpanInput,
} from '../../../src/core/compare/tool-drift';
import type { LlmOutput, ToolCallPart } from '../../../src/core/model/trace';

const call = (name: string, args: unknown, id?: string): ToolCallPart => ({
  type: 'tool_call',
  name,
  arguments: args,
  ...(id ? { id } : {}),
});
const out = (...toolCalls: ToolCallPart[]): LlmOutput => ({ text: '', toolCalls });
const span = (recorded: LlmOutput | undefined, replayed: LlmOutput | undefined, extra: Partial<DriftSpanInput> = {}) =>
  spanToolDrift({
    status: 'replayed',
    originalSpanId: 'o1',
    replaySpanId: 'r1',
    ...(recorded ? { recorded } : {}),
    ...(replayed ? { replayed } : {}),
    ...extra,
  });
const statuses = (rows: { status: string }[]): string[] => rows.map((r) => r.status);

describe('tool drift: pairing the calls of one span', () => {
  it('the same calls in the same order are matched, with the recorded result', () => {
    const rows = span(
      out(call('get_weather', { city: 'Paris' }), call('get_time', { zone: 'CET' })),
      out(call('get_weather', { city: 'Paris' }, 'other-id'), call('get_time', { zone: 'CET' })),
    );
    assert.deepEqual(rows, [
      {
        spanId: 'o1',
        recorded: { name: 'get_weather', arguments: { city: 'Paris' } },
        replay: { name: 'get_weather', arguments: { city: 'Paris' } },
        status: 'matched',
        result: 'recorded',
      },
      {
        spanId: 'o1',
        recorded: { name: 'get_time', arguments: { zone: 'CET' } },
        replay: { name: 'get_time', arguments: { zone: 'CET' } },
        status: 'matched',
        result: 'recorded',
      },
    ]);
  });

  it('calls made in another order are matched to their own recorded call, not drift', () => {
    const recorded = out(call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Lyon' }));
    const replayed = out(call('get_weather', { city: 'Lyon' }), call('get_weather', { city: 'Paris' }));
    assert.deepEqual(pairToolCalls(recorded, replayed), [
      { recorded: 0, replay: 1, status: 'matched' },
      { recorded: 1, replay: 0, status: 'matched' },
    ]);
  });

  it('key order and JSON text vs object arguments are not a change', () => {
    const rows = span(
      out(call('search', '{"query": "hotels", "filters": {"stars": 4, "city": "Paris"}}')),
      out(call('search', { filters: { city: 'Paris', stars: 4 }, query: 'hotels' })),
    );
    assert.deepEqual(statuses(rows), ['matched']);
    // Arguments are reported parsed, whatever form they were recorded in.
    assert.deepEqual(rows[0].recorded?.arguments, { query: 'hotels', filters: { stars: 4, city: 'Paris' } });
  });

  it('the same tool with another value is changed, with what changed key by key', () => {
    const rows = span(
      out(call('search', { query: 'hotels', city: 'Paris', limit: 5 })),
      out(call('search', '{"query":"hotels","city":"Lyon","sort":"price"}')),
    );
    assert.deepEqual(statuses(rows), ['changed']);
    assert.equal(rows[0].result, 'recorded');
    assert.deepEqual(argumentChangeTexts(rows[0]), [
      'city: "Paris" → "Lyon"',
      'limit: 5 → (absent)',
      'sort: (absent) → "price"',
    ]);
  });

  it('nested keys and array items are named by their path; a length change is one change', () => {
    assert.deepEqual(argumentChanges({ f: { a: 1, b: [1, 2] } }, { f: { a: 2, b: [1, 3] } }), [
      { path: 'f.a', original: 1, replay: 2 },
      { path: 'f.b[1]', original: 2, replay: 3 },
    ]);
    assert.deepEqual(argumentChanges({ ids: [1] }, { ids: [1, 2] }), [{ path: 'ids', original: [1], replay: [1, 2] }]);
    // Text that is not JSON is compared as a whole.
    assert.deepEqual(argumentChanges('paris', 'lyon'), [{ path: '', original: 'paris', replay: 'lyon' }]);
    assert.deepEqual(
      argumentChangeTexts({ recorded: { name: 't', arguments: 'paris' }, replay: { name: 't', arguments: 'lyon' } }),
      ['arguments: "paris" → "lyon"'],
    );
  });

  it('a recorded call the replay did not make is missing; a call the recording never made is new (no result)', () => {
    const rows = span(
      out(call('get_weather', { city: 'Paris' }), call('book_hotel', { city: 'Paris' })),
      out(call('get_weather', { city: 'Paris' }), call('send_email', { to: 'a@b.c' })),
    );
    assert.deepEqual(
      rows.map((r) => [r.status, r.recorded?.name ?? null, r.replay?.name ?? null, r.result]),
      [
        ['matched', 'get_weather', 'get_weather', 'recorded'],
        ['missing', 'book_hotel', null, 'recorded'],
        ['new', null, 'send_email', 'none'],
      ],
    );
  });

  it('an exact match elsewhere wins over a same-index pairing by name', () => {
    // Replay index 0 equals recorded 1 exactly; replay index 1 then pairs by name with recorded 0.
    const recorded = out(call('f', { x: 1 }), call('f', { x: 2 }));
    const replayed = out(call('f', { x: 2 }), call('f', { x: 3 }));
    assert.deepEqual(pairToolCalls(recorded, replayed), [
      { recorded: 0, replay: 1, status: 'changed' },
      { recorded: 1, replay: 0, status: 'matched' },
    ]);
  });

  it('a span that only the replay has lists its calls as new, under the replay span id', () => {
    const rows = spanToolDrift({ status: 'extra', replaySpanId: 'r9', replayed: out(call('get_time', {})) });
    assert.deepEqual(rows, [
      { spanId: 'r9', recorded: null, replay: { name: 'get_time', arguments: {} }, status: 'new', result: 'none' },
    ]);
  });

  it('no rows for failed, cancelled or reused spans, nor when neither side called a tool', () => {
    const recorded = out(call('get_weather', { city: 'Paris' }));
    assert.deepEqual(span(recorded, out(), { status: 'failed' }), []);
    assert.deepEqual(span(recorded, out(), { status: 'cancelled' }), []);
    assert.deepEqual(span(recorded, recorded, { status: 'reused' }), []);
    assert.deepEqual(span(out(), out()), []);
  });

  it("the replay span's own result sources win (live tools), missing calls then got none", () => {
    const rows = span(
      out(call('get_weather', { city: 'Paris' }), call('book_hotel', {})),
      out(call('get_weather', { city: 'Paris' }), call('get_time', { zone: 'CET' })),
      { toolResults: ['live', 'live'] },
    );
    assert.deepEqual(
      rows.map((r) => [r.status, r.result]),
      [
        ['matched', 'live'],
        ['missing', 'none'],
        ['new', 'live'],
      ],
    );
    // A source list shorter than the calls: the recorded rule for the rest.
    const partial = span(out(call('a', {}), call('b', {})), out(call('a', {}), call('b', {})), {
      toolResults: ['live'],
    });
    assert.deepEqual(
      partial.map((r) => r.result),
      ['live', 'recorded'],
    );
  });

  it('a live replay without per-call sources: a missing call got no result, the others the recorded rule', () => {
    const rows = span(out(call('a', {}), call('b', {})), out(call('a', {})), { live: true });
    assert.deepEqual(
      rows.map((r) => [r.status, r.result]),
      [
        ['matched', 'recorded'],
        ['missing', 'none'],
      ],
    );
  });

  it('empty argument text is no arguments', () => {
    assert.deepEqual(statuses(span(out(call('ping', '')), out(call('ping', {})))), ['matched']);
  });

  it('a call is written in one line with sorted keys, long ones cut with an ellipsis', () => {
    assert.equal(toolCallText({ name: 'f', arguments: { b: 1, a: 'x' } }), 'f({"a":"x","b":1})');
    assert.equal(toolCallText(null), '—');
    const long = toolCallText({ name: 'f', arguments: { text: 'y'.repeat(500) } });
    assert.equal(long.length, 120);
    assert.ok(long.endsWith('…'));
  });
});
