import assert from 'node:assert/strict';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpJsonBytes } from '../../../src/core/otlp/decode-otlp-json';
import { decodeOtlpProtobuf } from '../../../src/core/otlp/decode-otlp-protobuf';
import { OtlpDecodeError } from '../../../src/core/otlp/otlp-errors';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import { makeSdkSpans } from './otlp-test-helpers';

describe('decodeOtlpProtobuf', () => {
  let sdkSpans: ReadableSpan[];
  let bytes: Uint8Array;

  before(async () => {
    sdkSpans = await makeSdkSpans();
    const serialized = ProtobufTraceSerializer.serializeRequest(sdkSpans);
    assert.ok(serialized);
    bytes = serialized;
  });

  it('decodes a real request encoded by the OpenTelemetry protobuf serializer', () => {
    const { spans, rejected } = decodeOtlpProtobuf(bytes);
    assert.deepEqual(rejected, []);
    assert.equal(spans.length, 2);
    const parentSdk = sdkSpans.find((s) => s.name === 'invoke_agent helper');
    const childSdk = sdkSpans.find((s) => s.name === 'chat gpt-4o');
    assert.ok(parentSdk && childSdk);
    const child = spans.find((s) => s.name === 'chat gpt-4o');
    const parent = spans.find((s) => s.name === 'invoke_agent helper');
    assert.ok(child && parent);

    assert.equal(child.traceId, childSdk.spanContext().traceId);
    assert.equal(child.spanId, childSdk.spanContext().spanId);
    assert.equal(child.parentSpanId, parentSdk.spanContext().spanId);
    assert.equal(parent.parentSpanId, undefined);
    assert.equal(child.otelKind, 3);
    assert.equal(parent.otelKind, 1);
    // fixed64 nanoseconds beyond 2^53 must survive exactly.
    assert.equal(child.startTimeUnixNano, '1700000000500000000');
    assert.equal(child.endTimeUnixNano, '1700000001999999999');
    assert.equal(parent.startTimeUnixNano, '1700000000123456789');
    assert.equal(parent.endTimeUnixNano, '1700000002000000005');
    assert.deepEqual(child.attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': 0.25,
      'gen_ai.usage.input_tokens': 1234,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'app.flags': [true, false],
      'app.cached': false,
      'app.empty': '',
    });
    assert.deepEqual(child.events, [
      { name: 'gen_ai.choice', timeUnixNano: '1700000001000000042', attributes: { 'gen_ai.choice.index': 0 } },
    ]);
    assert.deepEqual(child.links, [
      { traceId: child.traceId, spanId: parent.spanId, attributes: { 'link.kind': 'follows' } },
    ]);
    assert.deepEqual(child.status, { code: 'error', message: 'rate limited' });
    assert.deepEqual(parent.status, { code: 'unset' });
    assert.deepEqual(child.resource, { 'service.name': 'otlp-test', 'deployment.count': 3 });
    assert.deepEqual(child.scope, { name: 'otlp-test-scope', version: '1.2.3' });
  });

  it('gives the same spans as the JSON encoding of the same request', () => {
    const json = JsonTraceSerializer.serializeRequest(sdkSpans);
    assert.ok(json);
    assert.deepEqual(decodeOtlpProtobuf(bytes), decodeOtlpJsonBytes(json));
  });

  it('keeps 64-bit integers and bytes attributes exact', () => {
    const type = otlpProtoTypes().exportTraceServiceRequest;
    const message = type.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.alloc(16, 1),
                  spanId: Buffer.alloc(8, 2),
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 3]) } },
                    { key: 'inf', value: { doubleValue: Infinity } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const { spans } = decodeOtlpProtobuf(type.encode(message).finish());
    assert.equal(spans[0].traceId, '01'.repeat(16));
    assert.equal(spans[0].spanId, '02'.repeat(8));
    assert.deepEqual(spans[0].attributes, { big: '9007199254740993', bytes: 'AQID', inf: 'Infinity' });
  });

  it('rejects spans with ids of the wrong length', () => {
    const type = otlpProtoTypes().exportTraceServiceRequest;
    const message = type.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.alloc(15, 1),
                  spanId: Buffer.alloc(8, 2),
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                },
              ],
            },
          ],
        },
      ],
    });
    const { spans, rejected } = decodeOtlpProtobuf(type.encode(message).finish());
    assert.equal(spans.length, 0);
    assert.deepEqual(rejected, [{ spanId: '02'.repeat(8), reason: 'invalid traceId: expected 32 hex characters' }]);
  });

  it('decodes an empty message as an empty request', () => {
    assert.deepEqual(decodeOtlpProtobuf(new Uint8Array(0)), { spans: [], rejected: [] });
  });

  it('throws OtlpDecodeError for truncated or garbage bytes', () => {
    const isDecodeError = (error: unknown): boolean =>
      error instanceof OtlpDecodeError && error.code === 'INVALID_PROTOBUF';
    assert.throws(() => decodeOtlpProtobuf(bytes.subarray(0, Math.floor(bytes.length / 2))), isDecodeError);
    assert.throws(() => decodeOtlpProtobuf(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), isDecodeError);
    assert.throws(() => decodeOtlpProtobuf(Uint8Array.from([0x0f, 0x01])), isDecodeError);
  });
});
