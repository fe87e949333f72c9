// Test helpers for the OTLP logs tests: GenAI log records made by the real OTel logs SDK, shaped
// like the official GenAI instrumentations emit them (both event generations).

import { TraceFlags, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';

export const LOG_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** The span of the older-generation (one record per message) events. */
export const CHAT_SPAN_ID = 'b7ad6b7169203331';
/** The span of the latest-generation inference-details event. */
export const RESPONSES_SPAN_ID = 'c7ad6b7169203332';
export const LOG_TIME: [number, number] = [1700000001, 250000000];

export interface LogSpanIds {
  traceId: string;
  chatSpanId: string;
  responsesSpanId: string;
}

const DEFAULT_IDS: LogSpanIds = { traceId: LOG_TRACE_ID, chatSpanId: CHAT_SPAN_ID, responsesSpanId: RESPONSES_SPAN_ID };

/** Seven records: five per-message events of the chat span (event name in the `event.name`
 *  attribute, structured bodies), one inference-details event of the responses span (event name in
 *  the LogRecord field, structured attributes), and one application log without span context. */
export async function makeSdkLogRecords(ids: LogSpanIds = DEFAULT_IDS): Promise<ReadableLogRecord[]> {
  const spanContext = (spanId: string): ReturnType<typeof context.active> =>
    trace.setSpanContext(context.active(), { traceId: ids.traceId, spanId, traceFlags: TraceFlags.SAMPLED });
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('@opentelemetry/instrumentation-openai', '0.21.0');
  const chat = spanContext(ids.chatSpanId);
  const legacy = (name: string, body: Record<string, unknown>): void => {
    // The api-logs AnyValue type does not admit `undefined` inside objects; our bodies have none.
    logger.emit({
      timestamp: LOG_TIME,
      context: chat,
      severityNumber: SeverityNumber.INFO,
      attributes: { 'event.name': name, 'gen_ai.system': 'openai' },
      body: body as never,
    });
  };
  legacy('gen_ai.system.message', { content: 'You are terse.' });
  legacy('gen_ai.user.message', { content: 'Weather in Paris?' });
  legacy('gen_ai.assistant.message', {
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
  });
  legacy('gen_ai.tool.message', { id: 'call_1', content: '{"forecast":"sunny"}' });
  logger.emit({
    timestamp: [1700000002, 0],
    context: chat,
    severityNumber: SeverityNumber.INFO,
    attributes: { 'event.name': 'gen_ai.choice', 'gen_ai.system': 'openai' },
    body: { index: 0, finish_reason: 'stop', message: { content: 'Sunny, 21°C.' } },
  });
  logger.emit({
    timestamp: [1700000003, 0],
    context: spanContext(ids.responsesSpanId),
    eventName: 'gen_ai.client.inference.operation.details',
    attributes: {
      'gen_ai.provider.name': 'openai',
      'gen_ai.system_instructions': [{ type: 'text', content: 'Answer in French.' }],
      'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }],
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour' }], finish_reason: 'stop' },
      ],
      'gen_ai.usage.input_tokens': 7,
    } as never,
  });
  logger.emit({
    timestamp: [1700000004, 0],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'cache miss',
  });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** One OTLP/JSON logs body (hand-written, as an exporter would send it). */
export function jsonLogsBody(
  records: unknown[],
  resource: Record<string, string> = { 'service.name': 'logs-test' },
): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([k, v]) => str(k, v)) },
        scopeLogs: [{ scope: { name: 'test-scope' }, logRecords: records }],
      },
    ],
  };
}

/** A per-message GenAI log record in OTLP/JSON (body a kvlist with `content`). */
export function jsonMessageRecord(
  traceId: string,
  spanId: string,
  event: string,
  content: string | undefined,
  time = '1700000001000000000',
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    timeUnixNano: time,
    traceId,
    spanId,
    attributes: [str('event.name', event), str('gen_ai.system', 'openai')],
    body: { kvlistValue: { values: content === undefined ? [] : [str('content', content)] } },
  };
  return record;
}
