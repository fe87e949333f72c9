import assert from 'node:assert/strict';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  decodeOtlpLogsJson,
  decodeOtlpLogsJsonBytes,
  decodeOtlpLogsProtobuf,
} from '../../../src/core/otlp/decode-otlp-logs';
import { OtlpDecodeError } from '../../../src/core/otlp/otlp-errors';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import { CHAT_SPAN_ID, jsonLogsBody, LOG_TRACE_ID, makeSdkLogRecords, RESPONSES_SPAN_ID } from './otlp-log-helpers';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

describe('decode OTLP logs', () => {
  let sdkRecords: ReadableLogRecord[];
  let protobufBytes: Uint8Array;

  before(async () => {
    sdkRecords = await makeSdkLogRecords();
    const bytes = ProtobufLogsSerializer.serializeRequest(sdkRecords);
    assert.ok(bytes);
    protobufBytes = bytes;
  });

  it('decodes a real protobuf request of the OpenTelemetry logs SDK, both event generations', () => {
    const { records, rejected } = decodeOtlpLogsProtobuf(protobufBytes);
    assert.deepEqual(rejected, []);
    assert.equal(records.length, 7);
    const [system, user, assistant, tool, choice, details, app] = records;
    assert.equal(system.traceId, LOG_TRACE_ID);
    assert.equal(system.spanId, CHAT_SPAN_ID);
    assert.equal(system.eventName, 'gen_ai.system.message', 'read from the event.name attribute');
    assert.equal(system.timeUnixNano, '1700000001250000000');
    assert.equal(system.severityNumber, 9);
    assert.deepEqual(system.body, { content: 'You are terse.' });
    assert.deepEqual(system.attributes, { 'event.name': 'gen_ai.system.message', 'gen_ai.system': 'openai' });
    assert.deepEqual(system.resource, { 'service.name': 'logs-test' });
    assert.deepEqual(system.scope, { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' });
    assert.equal(user.eventName, 'gen_ai.user.message');
    assert.deepEqual(assistant.body, {
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    assert.deepEqual(tool.body, { id: 'call_1', content: '{"forecast":"sunny"}' });
    assert.deepEqual(choice.body, { index: 0, finish_reason: 'stop', message: { content: 'Sunny, 21°C.' } });

    assert.equal(
      details.eventName,
      'gen_ai.client.inference.operation.details',
      'read from the LogRecord event_name field',
    );
    assert.equal(details.spanId, RESPONSES_SPAN_ID);
    assert.deepEqual(details.attributes['gen_ai.input.messages'], [
      { role: 'user', parts: [{ type: 'text', content: 'Hello' }] },
    ]);
    assert.deepEqual(details.attributes['gen_ai.system_instructions'], [
      { type: 'text', content: 'Answer in French.' },
    ]);
    assert.equal(details.attributes['gen_ai.usage.input_tokens'], 7);
    assert.equal(details.body, undefined);

    assert.equal(app.traceId, undefined);
    assert.equal(app.spanId, undefined);
    assert.equal(app.eventName, '');
    assert.equal(app.body, 'cache miss');
    assert.equal(app.severityText, 'WARN');
  });

  it('gives the same records for the JSON encoding of the same request', () => {
    const json = JsonLogsSerializer.serializeRequest(sdkRecords);
    assert.ok(json);
    assert.deepEqual(decodeOtlpLogsJsonBytes(json), decodeOtlpLogsProtobuf(protobufBytes));
  });

  it('reads int64 as strings, snake_case fields, base64 ids, and treats all-zero ids as none', () => {
    const { records, rejected } = decodeOtlpLogsJson({
      resource_logs: [
        {
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: '123',
                  trace_id: Buffer.from(TRACE, 'hex').toString('base64'),
                  span_id: Buffer.from(SPAN, 'hex').toString('base64'),
                  event_name: 'gen_ai.choice',
                  body: {
                    kvlistValue: {
                      values: [
                        { key: 'index', value: { intValue: '5' } },
                        { key: 'big', value: { intValue: '9007199254740993' } },
                      ],
                    },
                  },
                },
                {
                  timeUnixNano: 0,
                  observedTimeUnixNano: '77',
                  traceId: '0'.repeat(32),
                  spanId: '0'.repeat(16),
                  body: { stringValue: 'x' },
                },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(rejected, []);
    assert.equal(records[0].timeUnixNano, '123');
    assert.equal(records[0].traceId, TRACE);
    assert.equal(records[0].spanId, SPAN);
    assert.equal(records[0].eventName, 'gen_ai.choice');
    assert.deepEqual(records[0].body, { index: 5, big: '9007199254740993' });
    assert.equal(records[1].traceId, undefined);
    assert.equal(records[1].spanId, undefined);
    assert.equal(records[1].timeUnixNano, '0');
    assert.equal(records[1].observedTimeUnixNano, '77');
  });

  it('rejects bad records on their own and keeps the good ones', () => {
    const good = {
      timeUnixNano: '1',
      traceId: TRACE,
      spanId: SPAN,
      attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }],
    };
    const { records, rejected } = decodeOtlpLogsJson(
      jsonLogsBody([
        good,
        { ...good, traceId: 'not-hex' },
        { ...good, spanId: 'abcd' },
        { ...good, timeUnixNano: 'yesterday' },
        'not a record',
      ]),
    );
    assert.equal(records.length, 1);
    assert.deepEqual(
      rejected.map((r) => r.reason),
      [
        'invalid traceId: expected 32 hex characters',
        'invalid spanId: expected 16 hex characters',
        'invalid timeUnixNano',
        'log record is not an object',
      ],
    );
    assert.equal(rejected[2].spanId, SPAN);
  });

  it('throws OtlpDecodeError for a broken envelope, invalid JSON and truncated protobuf', () => {
    for (const body of [
      [],
      'text',
      { resourceLogs: {} },
      { resourceLogs: [1] },
      { resourceLogs: [{ scopeLogs: [{ logRecords: {} }] }] },
    ]) {
      assert.throws(
        () => decodeOtlpLogsJson(body),
        (e: unknown) => e instanceof OtlpDecodeError && e.code === 'INVALID_STRUCTURE',
        JSON.stringify(body),
      );
    }
    assert.throws(
      () => decodeOtlpLogsJsonBytes(Buffer.from('{"resourceLogs": [')),
      (e: unknown) => e instanceof OtlpDecodeError && e.code === 'INVALID_JSON',
    );
    assert.throws(
      () => decodeOtlpLogsProtobuf(protobufBytes.subarray(0, protobufBytes.length >> 1)),
      (e: unknown) => e instanceof OtlpDecodeError && e.code === 'INVALID_PROTOBUF',
    );
  });

  it('decodes protobuf built from our schema with the same ids and 64-bit values', () => {
    const type = otlpProtoTypes().exportLogsServiceRequest;
    const bytes = type
      .encode(
        type.fromObject({
          resourceLogs: [
            {
              scopeLogs: [
                {
                  logRecords: [
                    {
                      timeUnixNano: '1700000000123456789',
                      traceId: Buffer.from(TRACE, 'hex'),
                      spanId: Buffer.from(SPAN, 'hex'),
                      eventName: 'gen_ai.user.message',
                      body: { stringValue: 'hi' },
                    },
                  ],
                },
              ],
            },
          ],
        }),
      )
      .finish();
    const { records } = decodeOtlpLogsProtobuf(bytes);
    assert.deepEqual(
      [records[0].timeUnixNano, records[0].traceId, records[0].spanId, records[0].eventName, records[0].body],
      ['1700000000123456789', TRACE, SPAN, 'gen_ai.user.message', 'hi'],
    );
  });
});
