import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { context, trace } from '@opentelemetry/api';
import { OTLPLogExporter as OtlpLogsJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpLogsProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as OtlpTraceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { RawLogRecord } from '../../../src/core/otlp/otlp-logs-converter';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import type { OtlpLogsOutcome } from '../../../src/core/otlp/otlp-response';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import { CHAT_SPAN_ID, jsonLogsBody, jsonMessageRecord, makeSdkLogRecords, type LogSpanIds } from './otlp-log-helpers';
import { EXPORT_SUCCESS, httpRequest, jsonBody, type RawResponse } from './otlp-test-helpers';

const MAX_BODY = 64 * 1024;
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const PROTO_HEADERS = { 'Content-Type': 'application/x-protobuf' };
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

type ExportResult = { code: number; error?: Error };

describe('OTLP receiver: /v1/logs', () => {
  let receiver: OtlpReceiver;
  let received: RawLogRecord[][];
  let outcome: OtlpLogsOutcome | Error;
  let logs: { level: string; message: string }[];
  let sdkRecords: ReadableLogRecord[];

  before(async () => {
    sdkRecords = await makeSdkLogRecords();
    receiver = await startOtlpReceiver({
      port: 0,
      maxBodyBytes: MAX_BODY,
      onSpans: () => undefined,
      onLogRecords: (records) => {
        received.push(records);
        if (outcome instanceof Error) return Promise.reject(outcome);
        return outcome;
      },
      onLog: (level, message) => logs.push({ level, message }),
    });
  });

  beforeEach(() => {
    received = [];
    logs = [];
    outcome = {};
  });

  after(async () => {
    await receiver.close();
  });

  it('receives records from the real OTLP/HTTP protobuf logs exporter', async () => {
    assert.equal(receiver.logsEndpoint, `${receiver.url}/v1/logs`);
    outcome = { joinedLogRecords: 6, ignoredWithoutSpan: 1 };
    const exporter = new OtlpLogsProtoExporter({ url: receiver.logsEndpoint });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(sdkRecords, resolve));
    await exporter.shutdown();
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    assert.equal(received.length, 1);
    assert.deepEqual(
      received[0].map((r) => r.eventName),
      [
        'gen_ai.system.message',
        'gen_ai.user.message',
        'gen_ai.assistant.message',
        'gen_ai.tool.message',
        'gen_ai.choice',
        'gen_ai.client.inference.operation.details',
        '',
      ],
    );
    assert.equal(received[0][0].spanId, CHAT_SPAN_ID);
  });

  it('receives records from the real OTLP/HTTP JSON logs exporter, also gzipped', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      received = [];
      // The config type wants the CompressionAlgorithm enum of otlp-exporter-base; its values are these strings.
      const exporter = new OtlpLogsJsonExporter({ url: receiver.logsEndpoint, compression: compression as never });
      const result = await new Promise<ExportResult>((resolve) => exporter.export(sdkRecords, resolve));
      await exporter.shutdown();
      assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
      assert.equal(received[0].length, 7);
      assert.deepEqual(received[0][5].attributes['gen_ai.output.messages'], [
        { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour' }], finish_reason: 'stop' },
      ]);
    }
  });

  it('answers with the counts in partialSuccess when records wait, are ignored or are rejected (JSON)', async () => {
    outcome = { joinedLogRecords: 1, pendingLogRecords: 2, ignoredNotGenAi: 1, droppedLogRecords: 3 };
    const good = jsonMessageRecord(TRACE, SPAN, 'gen_ai.user.message', 'hi');
    const res = await httpRequest(receiver.logsEndpoint, {
      headers: JSON_HEADERS,
      body: JSON.stringify(jsonLogsBody([good, { ...good, spanId: 'zz' }])),
    });
    assert.equal(res.status, 200);
    const body = jsonBody(res) as { partialSuccess: { rejectedLogRecords: number; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedLogRecords, 1);
    const message = body.partialSuccess.errorMessage;
    for (const part of [
      '1 log record(s) joined',
      '2 pending until their spans arrive',
      '1 ignored (not gen_ai.* events)',
      '3 older pending record(s) dropped',
      'Rejected 1 log record(s)',
    ]) {
      assert.ok(message.includes(part), `${part} in: ${message}`);
    }
    assert.equal(received[0].length, 1);
    assert.ok(logs.some((l) => l.level === 'warn' && l.message.includes('dropped')));
  });

  it('answers an empty response when every record joined, and in protobuf for protobuf requests', async () => {
    outcome = { joinedLogRecords: 7 };
    const bytes = Buffer.from(ProtobufLogsSerializer.serializeRequest(sdkRecords) ?? []);
    const res = await httpRequest(receiver.logsEndpoint, { headers: PROTO_HEADERS, body: bytes });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.equal(res.body.length, 0);

    outcome = { pendingLogRecords: 7 };
    const pending = await httpRequest(receiver.logsEndpoint, {
      headers: { ...PROTO_HEADERS, 'Content-Encoding': 'gzip' },
      body: gzipSync(bytes),
    });
    assert.equal(pending.status, 200);
    const type = otlpProtoTypes().exportLogsServiceResponse;
    const decoded = type.toObject(type.decode(pending.body), { longs: Number }) as {
      partialSuccess: { rejectedLogRecords?: number; errorMessage: string };
    };
    assert.equal(decoded.partialSuccess.rejectedLogRecords ?? 0, 0);
    assert.match(decoded.partialSuccess.errorMessage, /7 pending until their spans arrive/);
  });

  it('answers 200 {} for an empty logs request without calling the handler', async () => {
    const res = await httpRequest(receiver.logsEndpoint, { headers: JSON_HEADERS, body: '{}' });
    assert.equal(res.status, 200);
    assert.deepEqual(jsonBody(res), {});
    assert.equal(received.length, 0);
  });

  it('answers 400 for malformed JSON, truncated protobuf, wrong types and bad gzip', async () => {
    const malformed = await httpRequest(receiver.logsEndpoint, { headers: JSON_HEADERS, body: '{"resourceLogs": [' });
    assert.equal(malformed.status, 400);
    assert.match((jsonBody(malformed) as { message: string }).message, /not valid JSON/);
    const full = Buffer.from(ProtobufLogsSerializer.serializeRequest(sdkRecords) ?? []);
    const truncated = await httpRequest(receiver.logsEndpoint, {
      headers: PROTO_HEADERS,
      body: full.subarray(0, full.length >> 1),
    });
    assert.equal(truncated.status, 400);
    const rpcStatus = otlpProtoTypes().rpcStatus;
    assert.match(
      String((rpcStatus.toObject(rpcStatus.decode(truncated.body)) as { message: string }).message),
      /ExportLogsServiceRequest/,
    );
    for (const body of ['[]', '"text"', '{"resourceLogs": {}}']) {
      const res = await httpRequest(receiver.logsEndpoint, { headers: JSON_HEADERS, body });
      assert.equal(res.status, 400, body);
    }
    const gzip = await httpRequest(receiver.logsEndpoint, {
      headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' },
      body: 'not gzip',
    });
    assert.equal(gzip.status, 400);
    assert.equal(received.length, 0);
  });

  it('answers 413 for a body over the limit (declared, or a gzip bomb) and 415 for other content types', async () => {
    const declared = await new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        receiver.logsEndpoint,
        { method: 'POST', headers: { ...JSON_HEADERS, 'Content-Length': String(MAX_BODY + 1) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            req.destroy();
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
              reusedSocket: false,
            });
          });
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(declared.status, 413);
    const bomb = await httpRequest(receiver.logsEndpoint, {
      headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(MAX_BODY * 100, 0x20)),
    });
    assert.equal(bomb.status, 413);
    const text = await httpRequest(receiver.logsEndpoint, { headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(text.status, 415);
    const get = await httpRequest(receiver.logsEndpoint, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.match((jsonBody(get) as { message: string }).message, /send logs with POST/);
  });

  it('answers 503 when the handler fails, and the next request works', async () => {
    outcome = new Error('disk full');
    const body = JSON.stringify(jsonLogsBody([jsonMessageRecord(TRACE, SPAN, 'gen_ai.user.message', 'hi')]));
    const failed = await httpRequest(receiver.logsEndpoint, { headers: JSON_HEADERS, body });
    assert.equal(failed.status, 503);
    assert.ok(logs.some((l) => l.level === 'error' && l.message.includes('disk full')));
    outcome = { joinedLogRecords: 1 };
    const next = await httpRequest(receiver.logsEndpoint, { headers: JSON_HEADERS, body });
    assert.equal(next.status, 200);
  });

  it('answers 404 for /v1/logs when no logs handler is given', async () => {
    const tracesOnly = await startOtlpReceiver({ port: 0, onSpans: () => undefined });
    try {
      const res = await httpRequest(`${tracesOnly.url}/v1/logs`, { headers: JSON_HEADERS, body: '{}' });
      assert.equal(res.status, 404);
      assert.match((jsonBody(res) as { message: string }).message, /only accepts traces/);
    } finally {
      await tracesOnly.close();
    }
  });
});

/** Two finished sibling spans under one root, like the JS OpenAI instrumentation makes them
 *  (model and usage, no content), and the ids the log records must carry to point at them. */
async function makeContentlessSpans(): Promise<{ spans: ReadableSpan[]; ids: LogSpanIds }> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-openai', '0.21.0');
  const root = tracer.startSpan('workflow', { startTime: [1700000000, 0] });
  const parent = trace.setSpan(context.active(), root);
  const ids: string[] = [];
  for (const model of ['gpt-4o-mini', 'gpt-4.1-mini']) {
    const span = tracer.startSpan(
      `chat ${model}`,
      {
        startTime: [1700000001, 0],
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': model,
          'gen_ai.usage.output_tokens': 4,
        },
      },
      parent,
    );
    ids.push(span.spanContext().spanId);
    span.end([1700000005, 0]);
  }
  root.end([1700000006, 0]);
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return { spans, ids: { traceId: root.spanContext().traceId, chatSpanId: ids[0], responsesSpanId: ids[1] } };
}

describe('OTLP receiver into the store: logs and spans in separate requests', () => {
  let dir: string;
  let store: TraceStore;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'receiver-logs-'));
    store = await TraceStore.open(dir);
    receiver = await startOtlpReceiver({
      port: 0,
      onSpans: async (spans) => {
        await store.ingest(spans);
      },
      onLogRecords: (records) => store.ingestLogs(records),
    });
  });

  afterEach(async () => {
    await receiver.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const order of ['logs first', 'spans first'] as const) {
    it(`joins the content to the spans (${order}), with the real protobuf exporters`, async () => {
      const { spans, ids } = await makeContentlessSpans();
      const records = await makeSdkLogRecords(ids);
      const sendLogs = async (): Promise<void> => {
        const exporter = new OtlpLogsProtoExporter({ url: receiver.logsEndpoint });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(records, resolve));
        await exporter.shutdown();
        assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
      };
      const sendSpans = async (): Promise<void> => {
        const exporter = new OtlpTraceProtoExporter({ url: receiver.endpoint });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
        await exporter.shutdown();
        assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
      };
      if (order === 'logs first') {
        await sendLogs();
        assert.equal(store.pendingLogRecordCount, 6);
        await sendSpans();
      } else {
        await sendSpans();
        await sendLogs();
      }
      assert.equal(store.pendingLogRecordCount, 0);
      const stored = await store.getTrace(ids.traceId);
      assert.equal(stored?.spans.length, 3);
      const chat = stored?.spans.find((s) => s.id === ids.chatSpanId)?.llm;
      assert.deepEqual(
        chat?.messages.map((m) => [m.role, m.parts.map((p) => p.type)]),
        [
          ['system', ['text']],
          ['user', ['text']],
          ['assistant', ['tool_call']],
          ['tool', ['tool_result']],
        ],
      );
      assert.equal(chat?.output.text, 'Sunny, 21°C.');
      assert.equal(chat?.requestModel, 'gpt-4o-mini');
      const responses = stored?.spans.find((s) => s.id === ids.responsesSpanId)?.llm;
      assert.deepEqual(
        responses?.messages.map((m) => [m.role, m.parts]),
        [
          ['system', [{ type: 'text', text: 'Answer in French.' }]],
          ['user', [{ type: 'text', text: 'Hello' }]],
        ],
      );
      assert.equal(responses?.output.text, 'Bonjour');
      assert.equal(responses?.usage?.inputTokens, 7, 'usage from the event where the span has none');
      assert.equal(responses?.usage?.outputTokens, 4);
    });
  }
});
