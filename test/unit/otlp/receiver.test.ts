import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { gzipSync } from 'node:zlib';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RawSpan } from '../../../src/core/model/trace';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import { ReceiverStartError, startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { EXPORT_SUCCESS, httpRequest, jsonBody, makeSdkSpans, type RawResponse } from './otlp-test-helpers';

const TRACE_HEX = '5b8efff798038103d269b633813fc60c';
const MAX_BODY = 64 * 1024;

function jsonRequest(spans: unknown[]): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

function goodSpan(spanId: string): Record<string, unknown> {
  return { traceId: TRACE_HEX, spanId, name: 'op', startTimeUnixNano: '1', endTimeUnixNano: '2' };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('OTLP receiver', () => {
  let receiver: OtlpReceiver;
  let received: RawSpan[][];
  let failNext: Error | undefined;
  let logs: { level: string; message: string }[];
  let sdkSpans: ReadableSpan[];
  const agent = new Agent({ keepAlive: true });

  before(async () => {
    sdkSpans = await makeSdkSpans();
    receiver = await startOtlpReceiver({
      port: 0,
      maxBodyBytes: MAX_BODY,
      onSpans: (spans) => {
        if (failNext !== undefined) {
          const error = failNext;
          failNext = undefined;
          return Promise.reject(error);
        }
        received.push(spans);
      },
      onLog: (level, message) => logs.push({ level, message }),
    });
  });

  beforeEach(() => {
    received = [];
    logs = [];
    failNext = undefined;
  });

  after(async () => {
    agent.destroy();
    await receiver.close();
  });

  it('is bound to 127.0.0.1 only', async function () {
    assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(receiver.endpoint, `${receiver.url}/v1/traces`);
    assert.ok(receiver.port > 0);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (external === undefined) this.skip();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const socket = connect({ host: external.address, port: receiver.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', resolve);
    });
    assert.equal(error?.code, 'ECONNREFUSED');
  });

  it('receives spans from the real OTLP/HTTP JSON exporter, also gzipped', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      received = [];
      // The config type wants the CompressionAlgorithm enum of otlp-exporter-base (not a direct dependency); its values are these strings.
      const exporter = new OtlpHttpJsonExporter({ url: receiver.endpoint, compression: compression as never });
      const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(sdkSpans, resolve),
      );
      await exporter.shutdown();
      assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
      assert.equal(received.length, 1);
      const names = received[0].map((s) => s.name).sort();
      assert.deepEqual(names, ['chat gpt-4o', 'invoke_agent helper']);
      const child = received[0].find((s) => s.name === 'chat gpt-4o');
      assert.equal(child?.startTimeUnixNano, '1700000000500000000');
      assert.equal(child?.attributes['gen_ai.request.model'], 'gpt-4o');
    }
  });

  it('receives spans from the real OTLP/HTTP protobuf exporter', async () => {
    const exporter = new OtlpProtoExporter({ url: receiver.endpoint });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(sdkSpans, resolve));
    await exporter.shutdown();
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    assert.equal(received.length, 1);
    const child = received[0].find((s) => s.name === 'chat gpt-4o');
    assert.equal(child?.parentSpanId, sdkSpans.find((s) => s.name === 'invoke_agent helper')?.spanContext().spanId);
    assert.deepEqual(child?.status, { code: 'error', message: 'rate limited' });
  });

  it('answers a protobuf request with a protobuf response, and gzip works for protobuf', async () => {
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans) ?? []);
    const res = await httpRequest(receiver.endpoint, {
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' },
      body: gzipSync(body),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.equal(res.body.length, 0); // an empty ExportTraceServiceResponse
    assert.equal(received[0].length, 2);
  });

  it('answers 200 {} for an empty request without calling onSpans', async () => {
    const res = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body: '{}' });
    assert.equal(res.status, 200);
    assert.deepEqual(jsonBody(res), {});
    assert.equal(received.length, 0);
  });

  it('keeps the good spans and reports the rejected ones as partial success (JSON)', async () => {
    const res = await httpRequest(receiver.endpoint, {
      headers: JSON_HEADERS,
      body: jsonRequest([goodSpan('0000000000000001'), { ...goodSpan('0000000000000002'), startTimeUnixNano: 'bad' }]),
    });
    assert.equal(res.status, 200);
    const body = jsonBody(res) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedSpans, 1);
    assert.match(body.partialSuccess.errorMessage, /0000000000000002.*startTimeUnixNano/);
    assert.deepEqual(
      received.flat().map((s) => s.spanId),
      ['0000000000000001'],
    );
    assert.ok(logs.some((l) => l.level === 'warn' && l.message.includes('0000000000000002')));
  });

  it('reports partial success in protobuf for protobuf requests', async () => {
    const type = otlpProtoTypes().exportTraceServiceRequest;
    const body = type
      .encode(
        type.fromObject({
          resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2) }] }] }],
        }),
      )
      .finish();
    const res = await httpRequest(receiver.endpoint, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: Buffer.from(body),
    });
    assert.equal(res.status, 200);
    const responseType = otlpProtoTypes().exportTraceServiceResponse;
    const decoded = responseType.toObject(responseType.decode(res.body), { longs: Number }) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    assert.equal(decoded.partialSuccess.rejectedSpans, 1);
    assert.match(decoded.partialSuccess.errorMessage, /startTimeUnixNano/);
  });

  it('answers 400 with a Status message for malformed JSON, truncated protobuf and wrong types', async () => {
    const malformed = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body: '{"resourceSpans": [' });
    assert.equal(malformed.status, 400);
    const status = jsonBody(malformed) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /not valid JSON/);

    const full = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans) ?? []);
    const truncated = await httpRequest(receiver.endpoint, {
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: full.subarray(0, full.length >> 1),
    });
    assert.equal(truncated.status, 400);
    assert.equal(truncated.headers['content-type'], 'application/x-protobuf');
    const rpcStatus = otlpProtoTypes().rpcStatus;
    assert.match(
      String((rpcStatus.toObject(rpcStatus.decode(truncated.body)) as { message: string }).message),
      /not a valid protobuf/,
    );

    for (const body of ['[]', '"text"', '{"resourceSpans": {}}']) {
      const res = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body });
      assert.equal(res.status, 400, body);
    }
    assert.equal(received.length, 0);
  });

  it('answers 400 for a body that is not valid gzip', async () => {
    const res = await httpRequest(receiver.endpoint, {
      headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' },
      body: 'not gzip at all',
    });
    assert.equal(res.status, 400);
    assert.match((jsonBody(res) as { message: string }).message, /gzip/);
  });

  it('answers 413 for a declared Content-Length over the limit without reading the body', async () => {
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        receiver.endpoint,
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
    assert.equal(res.status, 413);
    assert.match((jsonBody(res) as { message: string }).message, /exceeds the limit/);
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const req = request(receiver.endpoint, { method: 'POST', headers: JSON_HEADERS }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            reusedSocket: false,
          }),
        );
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(Buffer.alloc(MAX_BODY / 2, 0x20));
      req.end();
    });
    assert.equal(res.status, 413);
    assert.equal(received.length, 0);
  });

  it('answers 413 for a gzip bomb', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 100, 0x20));
    assert.ok(bomb.length < MAX_BODY);
    const res = await httpRequest(receiver.endpoint, {
      headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    assert.equal(res.status, 413);
    assert.match((jsonBody(res) as { message: string }).message, /decompressed/);
  });

  it('answers 415 for other content types and encodings, 404 for other paths, 405 for other methods', async () => {
    const text = await httpRequest(receiver.endpoint, { headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(text.status, 415);
    const brotli = await httpRequest(receiver.endpoint, {
      headers: { ...JSON_HEADERS, 'Content-Encoding': 'br' },
      body: '{}',
    });
    assert.equal(brotli.status, 415);
    const withCharset = await httpRequest(receiver.endpoint, {
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{}',
    });
    assert.equal(withCharset.status, 200);
    const metrics = await httpRequest(`${receiver.url}/v1/metrics`, { headers: JSON_HEADERS, body: '{}' });
    assert.equal(metrics.status, 404);
    const get = await httpRequest(receiver.endpoint, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('answers 503 when onSpans fails, logs it, and answers the next request', async () => {
    failNext = new Error('disk full');
    const body = jsonRequest([goodSpan('0000000000000001')]);
    const failed = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body, agent });
    assert.equal(failed.status, 503);
    assert.ok(logs.some((l) => l.level === 'error' && l.message.includes('disk full')));
    const next = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body, agent });
    assert.equal(next.status, 200);
    assert.equal(next.reusedSocket, true, 'keep-alive connection reused');
    assert.equal(received.length, 1);
  });

  it('survives a client that aborts mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = request(receiver.endpoint, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'Content-Length': '1000' },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write('{"resourceSpans":', () => req.destroy());
    });
    const res = await httpRequest(receiver.endpoint, { headers: JSON_HEADERS, body: '{}' });
    assert.equal(res.status, 200);
  });

  it('rejects with ReceiverStartError naming the port when it is in use', async () => {
    await assert.rejects(
      startOtlpReceiver({ port: receiver.port, onSpans: () => undefined }),
      (error: unknown) =>
        error instanceof ReceiverStartError &&
        error.code === 'PORT_IN_USE' &&
        error.port === receiver.port &&
        error.message.includes(String(receiver.port)),
    );
  });
});
