// Hostile span trees (#13): parent cycles (a span its own parent, two spans each other's parent,
// also when they arrive in separate batches), missing parents and 10k-deep chains assemble without
// throwing, the same way in every arrival order, and the broken cycle is said on the span.
import { strict as assert } from 'node:assert';
import type { RawSpan, Span } from '../../../src/core/model/trace';
import { assembleTrace, summarizeTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { traceTree } from '../../../src/cli/format-text';
import { rawSpan } from '../../support/raw-span-builder';

const CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

function id(n: number): string {
  return n.toString(16).padStart(16, '0');
}

function cycleWarnings(spans: Span[]): string[] {
  return spans.flatMap((s) => (s.warnings ?? []).filter((w) => w.includes('cycle')));
}

describe('assembleTrace with cycles, missing parents and deep chains', () => {
  it('a span that is its own parent becomes a root with a warning (also an LLM span, which used to overflow the stack)', () => {
    for (const attributes of [CHAT, {}]) {
      const self = rawSpan({ spanId: id(1), parentSpanId: id(1), name: 'self', startMs: 10, attributes });
      const child = rawSpan({ spanId: id(2), parentSpanId: id(1), name: 'child', startMs: 11 });
      const trace = assembleTrace([self, child].map(normalizeSpan));
      const s = trace.spans.find((x) => x.id === id(1))!;
      assert.equal(s.parentId, undefined);
      assert.equal(s.kind, attributes === CHAT ? 'llm' : 'other');
      assert.equal(trace.spans.find((x) => x.id === id(2))!.parentId, id(1));
      assert.equal(trace.name, 'self');
      assert.equal(cycleWarnings(trace.spans).length, 1);
      assert.match(s.warnings!.join('\n'), new RegExp(`parent ${id(1)}.*cycle`));
      assert.deepEqual(assembleTrace(trace.spans), trace, 'idempotent: the warning is not added twice');
    }
  });

  it("two spans that are each other's parent: the earlier one is cut loose, in any arrival order and across batches", () => {
    const a = rawSpan({ spanId: id(0xa), parentSpanId: id(0xb), name: 'a', startMs: 100, attributes: CHAT });
    const b = rawSpan({ spanId: id(0xb), parentSpanId: id(0xa), name: 'b', startMs: 105, attributes: CHAT });
    const c = rawSpan({ spanId: id(0xc), parentSpanId: id(0xb), name: 'c', startMs: 106, attributes: CHAT });
    const expected = assembleTrace([a, b, c].map(normalizeSpan));
    assert.deepEqual(
      expected.spans.map((s) => [s.name, s.parentId ?? null]),
      [
        ['a', null],
        ['b', id(0xa)],
        ['c', id(0xb)],
      ],
    );
    assert.equal(cycleWarnings(expected.spans).length, 1);
    assert.match(expected.spans[0].warnings!.join('\n'), new RegExp(`recorded parent ${id(0xb)}`));
    for (const order of [
      [c, b, a],
      [b, a, c],
      [b, c, a],
    ]) {
      assert.deepEqual(assembleTrace(order.map(normalizeSpan)), expected);
    }
    // The store re-assembles the stored spans with each new batch: b first, then a (another request).
    const first = assembleTrace([b, c].map(normalizeSpan));
    assert.equal(cycleWarnings(first.spans).length, 0);
    assert.deepEqual(assembleTrace([...first.spans, normalizeSpan(a)]), expected);
    assert.deepEqual(assembleTrace(expected.spans), expected);
    assert.equal(summarizeTrace(expected, 1).spanCount, 3);
  });

  it('a longer cycle hanging off a good tree keeps the good spans where they are', () => {
    const root = rawSpan({ spanId: id(1), name: 'root', startMs: 1 });
    const good = rawSpan({ spanId: id(2), parentSpanId: id(1), name: 'good', startMs: 2, attributes: CHAT });
    const ring = [3, 4, 5].map((n, i) =>
      rawSpan({ spanId: id(n), parentSpanId: id(n === 3 ? 5 : n - 1), name: `ring${n}`, startMs: 50 - i }),
    );
    const tail = rawSpan({ spanId: id(6), parentSpanId: id(4), name: 'tail', startMs: 60 });
    const trace = assembleTrace([tail, ...ring, good, root].map(normalizeSpan));
    const parent = new Map(trace.spans.map((s) => [s.name, s.parentId ?? null]));
    assert.equal(parent.get('good'), id(1));
    assert.equal(parent.get('root'), null);
    // ring5 starts first (48): it is where the ring is broken.
    assert.equal(parent.get('ring5'), null);
    assert.equal(parent.get('ring3'), id(5));
    assert.equal(parent.get('ring4'), id(3));
    assert.equal(parent.get('tail'), id(4));
    assert.equal(cycleWarnings(trace.spans).length, 1);
    assert.equal(trace.name, 'root');
  });

  it('a 10,000-deep chain (and one of nested LLM wrappers) assembles, summarizes and prints without recursion', () => {
    for (const attributes of [{}, CHAT]) {
      const raw: RawSpan[] = [];
      for (let i = 1; i <= 10_000; i++) {
        raw.push(
          rawSpan({
            spanId: id(i),
            parentSpanId: i > 1 ? id(i - 1) : undefined,
            name: `s${i}`,
            startMs: 1000,
            attributes,
          }),
        );
      }
      const trace = assembleTrace(raw.reverse().map(normalizeSpan));
      assert.equal(trace.spans.length, 10_000);
      // Same start: parents first.
      assert.deepEqual(
        trace.spans.slice(0, 3).map((s) => s.name),
        ['s1', 's2', 's3'],
      );
      assert.equal(trace.spans[9_999].name, 's10000');
      const llm = trace.spans.filter((s) => s.kind === 'llm').map((s) => s.name);
      // Nested LLM readings: only the innermost is the call, the others are wrappers.
      assert.deepEqual(llm, attributes === CHAT ? ['s10000'] : []);
      assert.equal(summarizeTrace(trace, 1).spanCount, 10_000);
      const lines = traceTree(trace).split('\n');
      assert.equal(lines.length, 10_001);
      assert.match(lines[10_000], /^ {3}.*└─ \(depth 9999\) \[(llm|other)\] +s10000/);
      assert.ok(lines[10_000].length < 200, 'indentation stops growing');
    }
  });

  it('the CLI tree prints spans of a stored cycle (assembled before cycles were broken) once each', () => {
    const spans = [
      rawSpan({ spanId: id(1), parentSpanId: id(2), name: 'x', startMs: 1 }),
      rawSpan({ spanId: id(2), parentSpanId: id(1), name: 'y', startMs: 2 }),
    ].map(normalizeSpan);
    const stored = { id: 'a'.repeat(32), name: 'cyc', startTime: 1, endTime: 12, spans };
    const lines = traceTree(stored).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines.filter((l) => /\bx\b/.test(l)).length, 1);
    assert.equal(lines.filter((l) => /\by\b/.test(l)).length, 1);
  });
});
