// The OTLP/JSON encoder is the inverse of the decoder: encode -> decode -> normalize -> assemble
// gives back the same normalized trace, for real captured traces of every convention we read.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Trace } from '../../../src/core/model/trace';
import { assembleTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import { encodeOtlpJson, otlpSpanId, otlpTraceId } from '../../../src/core/otlp/encode-otlp-json';
import { rawSpan, spanEvent } from '../../support/raw-span-builder';

const dir = join(__dirname, '../../fixtures/otlp');

function roundTrip(trace: Trace): Trace {
  const body = JSON.parse(JSON.stringify(encodeOtlpJson(trace))) as unknown;
  const decoded = decodeOtlpJson(body);
  assert.deepEqual(decoded.rejected, []);
  return assembleTrace(decoded.spans.map(normalizeSpan));
}

describe('encodeOtlpJson', () => {
  // Trace exports only: a .logs.json sibling holds the OTLP logs of the same run.
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.logs.json'))) {
    it(`round-trips ${file}`, () => {
      const bodies = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[];
      const trace = assembleTrace(bodies.flatMap((b) => decodeOtlpJson(b).spans).map(normalizeSpan));
      assert.ok(trace.spans.length > 0);
      assert.deepEqual(roundTrip(trace), trace);
    });
  }

  it('round-trips every attribute value type, events, links, status and parents', () => {
    const parent = rawSpan({
      traceId: 'ab'.repeat(16),
      spanId: '1111111111111111',
      attributes: { 'langfuse.trace.name': 'root' },
    });
    const child = rawSpan({
      traceId: 'ab'.repeat(16),
      spanId: '2222222222222222',
      parentSpanId: '1111111111111111',
      attributes: {
        s: 'x',
        i: 42,
        neg: -7,
        d: 0.25,
        big: '9007199254740993',
        b: false,
        n: null,
        arr: [1, 'two', [true]],
        map: { k: { deep: 1.5 } },
      },
      events: [spanEvent('exception', { 'exception.message': 'boom' })],
    });
    child.links = [{ traceId: 'cd'.repeat(16), spanId: '3333333333333333', attributes: { why: 'follows' } }];
    child.status = { code: 'error', message: 'failed' };
    child.otelKind = 3;
    const trace = assembleTrace([parent, child].map(normalizeSpan));
    const back = roundTrip(trace);
    assert.deepEqual(back, trace);
    assert.equal(back.name, 'root');
    assert.deepEqual(back.spans[1].attributes.map, { k: { deep: 1.5 } });
  });

  it('maps non-hex source ids to stable OTLP ids and keeps hex ones', () => {
    assert.equal(otlpTraceId('AB'.repeat(16)), 'ab'.repeat(16));
    assert.equal(otlpSpanId('0123456789abcdef'), '0123456789abcdef');
    const t = otlpTraceId('my-trace-1');
    assert.match(t, /^[0-9a-f]{32}$/);
    assert.equal(otlpTraceId('my-trace-1'), t);
    assert.notEqual(otlpTraceId('my-trace-2'), t);
    assert.match(otlpSpanId('obs-uuid-1'), /^[0-9a-f]{16}$/);
    assert.match(otlpTraceId('0'.repeat(32)), /^[0-9a-f]{32}$/);
    assert.notEqual(otlpTraceId('0'.repeat(32)), '0'.repeat(32));
  });

  it('merges extra attributes over the raw ones', () => {
    const trace = assembleTrace([normalizeSpan(rawSpan({ attributes: { a: 1, b: 'raw' } }))]);
    const body = encodeOtlpJson(trace, { extraAttributes: () => ({ b: 'extra', c: true }) });
    const decoded = decodeOtlpJson(JSON.parse(JSON.stringify(body)));
    assert.deepEqual(decoded.spans[0].attributes, { a: 1, b: 'extra', c: true });
  });
});
