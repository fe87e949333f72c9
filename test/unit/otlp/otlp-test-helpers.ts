// Test helpers for the OTLP tests: real SDK spans and a small raw HTTP client.

import { request, type Agent, type OutgoingHttpHeaders } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** ExportResultCode.SUCCESS of @opentelemetry/core (not a direct dependency of the project). */
export const EXPORT_SUCCESS = 0;

export const PARENT_START: [number, number] = [1700000000, 123456789];
export const PARENT_END: [number, number] = [1700000002, 5];
export const CHILD_START: [number, number] = [1700000000, 500000000];
export const CHILD_END: [number, number] = [1700000001, 999999999];

/** Two finished spans (an agent span and a GenAI client child) made by the real OTel SDK. */
export async function makeSdkSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otlp-test', 'deployment.count': 3 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('otlp-test-scope', '1.2.3');
  const parent = tracer.startSpan('invoke_agent helper', { startTime: PARENT_START });
  const child = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: CHILD_START,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.request.temperature': 0.25,
        'gen_ai.usage.input_tokens': 1234,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'app.flags': [true, false],
        'app.cached': false,
        'app.empty': '',
      },
      links: [{ context: parent.spanContext(), attributes: { 'link.kind': 'follows' } }],
    },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('gen_ai.choice', { 'gen_ai.choice.index': 0 }, [1700000001, 42]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  child.end(CHILD_END);
  parent.end(PARENT_END);
  await provider.forceFlush();
  // Read before shutdown: shutting the provider down clears the in-memory exporter.
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  reusedSocket: boolean;
}

export interface PostOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  agent?: Agent;
}

export function httpRequest(url: string, options: PostOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            reusedSocket: req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function jsonBody(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'));
}
