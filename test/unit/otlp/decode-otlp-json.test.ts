import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeOtlpJson, decodeOtlpJsonBytes } from '../../../src/core/otlp/decode-otlp-json';
import { OtlpDecodeError } from '../../../src/core/otlp/otlp-errors';

// The OTLP specification's own example (a copy; see test/fixtures/specs/otlp/SOURCE.txt).
const SPEC_EXAMPLE = path.join(__dirname, '../../fixtures/specs/otlp/trace.json');
const TRACE_HEX = '5b8efff798038103d269b633813fc60c';
const SPAN_HEX = 'eee19b7ec3c1b174';

function request(spans: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }], ...extra };
}

function span(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_HEX,
    spanId: SPAN_HEX,
    name: 'op',
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
    ...overrides,
  };
}

function decodeOne(value: unknown): ReturnType<typeof decodeOtlpJson>['spans'][number] {
  const result = decodeOtlpJson(request([span({ attributes: [{ key: 'v', value }] })]));
  assert.equal(result.spans.length, 1);
  return result.spans[0];
}

describe('decodeOtlpJson', () => {
  it('decodes the OTLP spec example field by field', () => {
    const result = decodeOtlpJson(JSON.parse(readFileSync(SPEC_EXAMPLE, 'utf8')));
    assert.deepEqual(result.rejected, []);
    assert.equal(result.spans.length, 1);
    const s = result.spans[0];
    assert.equal(s.traceId, TRACE_HEX);
    assert.equal(s.spanId, SPAN_HEX);
    assert.equal(s.parentSpanId, 'eee19b7ec3c1b173');
    assert.equal(s.name, "I'm a server span");
    assert.equal(s.otelKind, 2);
    assert.equal(s.startTimeUnixNano, '1544712660000000000');
    assert.equal(s.endTimeUnixNano, '1544712661000000000');
    assert.deepEqual(s.attributes, { 'my.span.attr': 'some value' });
    assert.deepEqual(s.events, []);
    assert.deepEqual(s.links, []);
    assert.deepEqual(s.status, { code: 'unset' });
    assert.deepEqual(s.resource, { 'service.name': 'my.service' });
    assert.deepEqual(s.scope, { name: 'my.library', version: '1.0.0' });
  });

  it('flattens every AnyValue kind', () => {
    const attrs = decodeOtlpJson(
      request([
        span({
          attributes: [
            { key: 's', value: { stringValue: 'x' } },
            { key: 'b', value: { boolValue: false } },
            { key: 'i', value: { intValue: '42' } },
            { key: 'big', value: { intValue: '9223372036854775807' } },
            { key: 'neg', value: { intValue: -7 } },
            { key: 'd', value: { doubleValue: 0.5 } },
            { key: 'nan', value: { doubleValue: 'NaN' } },
            { key: 'bytes', value: { bytesValue: 'AQID' } },
            { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } },
            { key: 'emptyArr', value: { arrayValue: {} } },
            {
              key: 'kv',
              value: {
                kvlistValue: {
                  values: [
                    { key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { boolValue: true } }] } } },
                  ],
                },
              },
            },
            { key: 'empty', value: {} },
          ],
        }),
      ]),
    ).spans[0].attributes;
    assert.deepEqual(attrs, {
      s: 'x',
      b: false,
      i: 42,
      big: '9223372036854775807',
      neg: -7,
      d: 0.5,
      nan: 'NaN',
      bytes: 'AQID',
      arr: ['a', 1],
      emptyArr: [],
      kv: { k: { n: true } },
      empty: null,
    });
  });

  it('accepts the original proto snake_case field names', () => {
    const body = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }] },
          scope_spans: [
            {
              scope: { name: 'lib', version: '2' },
              spans: [
                {
                  trace_id: TRACE_HEX,
                  span_id: SPAN_HEX,
                  parent_span_id: 'eee19b7ec3c1b173',
                  name: 'snake span',
                  kind: 3,
                  start_time_unix_nano: '10',
                  end_time_unix_nano: '20',
                  attributes: [
                    { key: 'n', value: { int_value: '5' } },
                    { key: 'list', value: { array_value: { values: [{ double_value: 1.5 }, { bool_value: true }] } } },
                    { key: 'map', value: { kvlist_value: { values: [{ key: 'b', value: { bytes_value: 'AA==' } }] } } },
                  ],
                  events: [{ time_unix_nano: '15', name: 'ev', attributes: [] }],
                  links: [{ trace_id: TRACE_HEX, span_id: 'eee19b7ec3c1b175' }],
                  status: { code: 1, message: 'fine' },
                },
              ],
            },
          ],
        },
      ],
    };
    const { spans, rejected } = decodeOtlpJson(body);
    assert.deepEqual(rejected, []);
    assert.deepEqual(spans[0], {
      traceId: TRACE_HEX,
      spanId: SPAN_HEX,
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'snake span',
      otelKind: 3,
      startTimeUnixNano: '10',
      endTimeUnixNano: '20',
      attributes: { n: 5, list: [1.5, true], map: { b: 'AA==' } },
      events: [{ name: 'ev', timeUnixNano: '15', attributes: {} }],
      links: [{ traceId: TRACE_HEX, spanId: 'eee19b7ec3c1b175', attributes: {} }],
      status: { code: 'ok', message: 'fine' },
      resource: { 'service.name': 'snake' },
      scope: { name: 'lib', version: '2' },
    });
  });

  it('accepts base64 ids (16 and 8 bytes) and lowercases hex ids', () => {
    const traceB64 = Buffer.from(TRACE_HEX, 'hex').toString('base64');
    const spanB64 = Buffer.from(SPAN_HEX, 'hex').toString('base64');
    const { spans } = decodeOtlpJson(
      request([span({ traceId: traceB64, spanId: spanB64, parentSpanId: 'EEE19B7EC3C1B173' })]),
    );
    assert.equal(spans[0].traceId, TRACE_HEX);
    assert.equal(spans[0].spanId, SPAN_HEX);
    assert.equal(spans[0].parentSpanId, 'eee19b7ec3c1b173');
  });

  it('accepts int64 times as strings or numbers and keeps them exact', () => {
    const { spans } = decodeOtlpJson(
      request([span({ startTimeUnixNano: 1000, endTimeUnixNano: '18446744073709551615' })]),
    );
    assert.equal(spans[0].startTimeUnixNano, '1000');
    assert.equal(spans[0].endTimeUnixNano, '18446744073709551615');
  });

  it('accepts enum names for kind and status code', () => {
    const { spans } = decodeOtlpJson(
      request([span({ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } })]),
    );
    assert.equal(spans[0].otelKind, 3);
    assert.deepEqual(spans[0].status, { code: 'error', message: 'boom' });
  });

  it('treats an all-zero parentSpanId as no parent', () => {
    const { spans } = decodeOtlpJson(request([span({ parentSpanId: '0000000000000000' })]));
    assert.equal(spans[0].parentSpanId, undefined);
  });

  it('rejects bad spans with a reason and keeps the good ones of the same request', () => {
    const good1 = span({ spanId: '0000000000000001' });
    const good2 = span({ spanId: '0000000000000002' });
    const { spans, rejected } = decodeOtlpJson(
      request([
        good1,
        span({ spanId: 'xyz' }),
        span({ traceId: undefined }),
        span({ spanId: '0000000000000003', startTimeUnixNano: 'yesterday' }),
        span({ spanId: '0000000000000004', endTimeUnixNano: '1' }),
        span({ traceId: '00000000000000000000000000000000' }),
        'not a span',
        good2,
      ]),
    );
    assert.deepEqual(
      spans.map((s) => s.spanId),
      ['0000000000000001', '0000000000000002'],
    );
    assert.deepEqual(rejected, [
      { traceId: TRACE_HEX, reason: 'invalid spanId: expected 16 hex characters' },
      { spanId: SPAN_HEX, reason: 'missing traceId' },
      { traceId: TRACE_HEX, spanId: '0000000000000003', reason: 'missing or invalid startTimeUnixNano' },
      { traceId: TRACE_HEX, spanId: '0000000000000004', reason: 'endTimeUnixNano is before startTimeUnixNano' },
      { spanId: SPAN_HEX, reason: 'invalid traceId: all zeros' },
      { reason: 'span is not an object' },
    ]);
  });

  it('rejects a span whose link or event is unreadable', () => {
    const { spans, rejected } = decodeOtlpJson(
      request([
        span({ links: [{ traceId: 'nope', spanId: SPAN_HEX }] }),
        span({ spanId: '0000000000000009', events: [{ name: 'e', timeUnixNano: 'soon' }] }),
      ]),
    );
    assert.equal(spans.length, 0);
    assert.deepEqual(
      rejected.map((r) => r.reason),
      ['link 0: invalid traceId: expected 32 hex characters', 'event 0: invalid timeUnixNano'],
    );
  });

  it('keeps readable attribute values of unexpected shape and nulls the unreadable ones', () => {
    assert.equal(decodeOne('raw string').attributes.v, 'raw string');
    assert.equal(decodeOne(17).attributes.v, 17);
    assert.equal(decodeOne({ intValue: 'twelve' }).attributes.v, null);
    assert.equal(decodeOne({ boolValue: 'true' }).attributes.v, true);
    assert.equal(decodeOne({ arrayValue: { values: 'nope' } }).attributes.v, null);
    assert.equal(decodeOne({ futureValue: 1 }).attributes.v, null);
    assert.equal(decodeOne([1, 2]).attributes.v, null);
    // A map instead of a KeyValue list is read leniently.
    const { spans } = decodeOtlpJson(request([span({ attributes: { a: { stringValue: 'x' }, b: 2 } })]));
    assert.deepEqual(spans[0].attributes, { a: 'x', b: 2 });
  });

  it('keeps unknown attributes raw and ignores unknown fields', () => {
    const { spans } = decodeOtlpJson(
      request(
        [
          span({
            futureField: { x: 1 },
            flags: 257,
            traceState: 'a=b',
            attributes: [{ key: 'vendor.custom.thing', value: { stringValue: 'kept' } }],
          }),
        ],
        {
          futureTopLevel: true,
        },
      ),
    );
    assert.deepEqual(spans[0].attributes, { 'vendor.custom.thing': 'kept' });
    assert.equal((spans[0] as unknown as Record<string, unknown>).futureField, undefined);
  });

  it('copies resource attributes and scope onto each span as separate objects', () => {
    const { spans } = decodeOtlpJson({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [span({ spanId: '0000000000000001' }), span({ spanId: '0000000000000002' })],
            },
          ],
        },
      ],
    });
    assert.deepEqual(spans[1].resource, { 'service.name': 'svc' });
    assert.deepEqual(spans[1].scope, { name: 'lib' });
    spans[0].resource['service.name'] = 'changed';
    assert.equal(spans[1].resource['service.name'], 'svc');
  });

  it('reads the pre-0.19 instrumentationLibrarySpans level', () => {
    const { spans } = decodeOtlpJson({
      resourceSpans: [
        { instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old', version: '0.1' }, spans: [span()] }] },
      ],
    });
    assert.deepEqual(spans[0].scope, { name: 'old', version: '0.1' });
  });

  it('accepts empty requests', () => {
    assert.deepEqual(decodeOtlpJson({}), { spans: [], rejected: [] });
    assert.deepEqual(decodeOtlpJson({ resourceSpans: [] }), { spans: [], rejected: [] });
  });

  it('throws OtlpDecodeError for a body that is not a request object', () => {
    for (const body of [
      [],
      'text',
      42,
      null,
      { resourceSpans: 'x' },
      { resourceSpans: [5] },
      { resourceSpans: [{ scopeSpans: {} }] },
    ]) {
      assert.throws(
        () => decodeOtlpJson(body),
        (error: unknown) => error instanceof OtlpDecodeError && error.code === 'INVALID_STRUCTURE',
        JSON.stringify(body),
      );
    }
  });

  it('throws OtlpDecodeError for bytes that are not JSON', () => {
    assert.throws(
      () => decodeOtlpJsonBytes(Buffer.from('{"resourceSpans": [')),
      (error: unknown) => error instanceof OtlpDecodeError && error.code === 'INVALID_JSON',
    );
  });

  it('does not overflow the stack on absurdly nested attribute values', () => {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 5000; i++) value = { arrayValue: { values: [value] } };
    assert.doesNotThrow(() => decodeOne(value));
  });
});
