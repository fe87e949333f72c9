// GenAI content that arrived as OTLP log records and was joined to its span as events: the older
// one-record-per-message events and the latest gen_ai.client.inference.operation.details event,
// with structured (kvlist/array) and text values.
import { strict as assert } from 'node:assert';
import type { Attributes, AttrValue, RawSpan, SpanEvent } from '../../../src/core/model/trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import type { RawLogRecord } from '../../../src/core/otlp/otlp-logs-converter';
import { classifyLogRecord } from '../../../src/core/store/log-events';
import { rawSpan } from '../../support/raw-span-builder';

let clock = 1_700_000_000_000_000_000n;

/** The span event the store makes of a log record (the same code path). */
function logEvent(
  eventName: string,
  body: AttrValue | undefined,
  attributes: Attributes = {},
  eventNameField = false,
): SpanEvent {
  clock += 1000n;
  const record: RawLogRecord = {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    timeUnixNano: String(clock),
    observedTimeUnixNano: String(clock),
    eventName,
    attributes: eventNameField ? attributes : { 'event.name': eventName, 'gen_ai.system': 'openai', ...attributes },
    resource: {},
    scope: { name: 'test' },
  };
  if (body !== undefined) record.body = body;
  const c = classifyLogRecord(record);
  assert.equal(c.kind, 'event');
  return c.kind === 'event' ? c.value.event : (undefined as never);
}

/** A chat span as @opentelemetry/instrumentation-openai records it: no content on the span. */
function openAiSpan(events: SpanEvent[], attributes: Attributes = {}): RawSpan {
  return rawSpan({
    name: 'chat gpt-4o-mini',
    scopeName: '@opentelemetry/instrumentation-openai',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 9,
      ...attributes,
    },
    events,
  });
}

describe('normalize: GenAI content from OTLP log records', () => {
  it('reads per-message events with structured bodies into a full LlmCall', () => {
    const span = normalizeSpan(
      openAiSpan([
        logEvent('gen_ai.system.message', { content: 'Be brief.' }),
        logEvent('gen_ai.user.message', { content: 'Weather in Paris?' }),
        logEvent('gen_ai.assistant.message', {
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        }),
        logEvent('gen_ai.tool.message', { id: 'call_1', content: '{"forecast":"sunny"}' }),
        logEvent('gen_ai.choice', {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'book', arguments: '{"d":1}' } }],
          },
        }),
      ]),
    );
    assert.equal(span.kind, 'llm');
    const llm = span.llm!;
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_1', content: '{"forecast":"sunny"}' }] },
    ]);
    assert.deepEqual(llm.output, {
      text: '',
      toolCalls: [{ type: 'tool_call', id: 'call_2', name: 'book', arguments: { d: 1 } }],
      finishReason: 'tool_calls',
    });
    assert.equal(llm.provider, 'openai');
    assert.equal(llm.api, 'chat.completions');
    assert.equal(llm.requestModel, 'gpt-4o-mini');
    assert.deepEqual(llm.usage, { inputTokens: 21, outputTokens: 9, inputIncludesCache: true });
    assert.equal(span.warnings, undefined);
  });

  it('reads bodies sent as JSON text and as plain text the same way', () => {
    const structured = normalizeSpan(
      openAiSpan([
        logEvent('gen_ai.user.message', { content: 'Hi' }),
        logEvent('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'Hello' } }),
      ]),
    ).llm!;
    const text = normalizeSpan(
      openAiSpan([
        logEvent('gen_ai.user.message', 'Hi'),
        logEvent('gen_ai.choice', JSON.stringify({ index: 0, finish_reason: 'stop', message: { content: 'Hello' } })),
      ]),
    ).llm!;
    assert.deepEqual(text.messages, structured.messages);
    assert.deepEqual(text.output, structured.output);
    assert.deepEqual(structured.messages, [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
    assert.equal(structured.output.text, 'Hello');
  });

  it('reads no content and warns with the fix when the events carry none (capture off)', () => {
    const span = normalizeSpan(
      openAiSpan([
        logEvent('gen_ai.system.message', {}),
        logEvent('gen_ai.user.message', undefined),
        logEvent('gen_ai.choice', { index: 0, finish_reason: 'stop', message: {} }),
      ]),
    );
    // No text was recorded: whatever messages are kept carry no content.
    assert.ok(
      span.llm!.messages.every((m) => m.parts.length === 0),
      JSON.stringify(span.llm!.messages),
    );
    assert.equal(span.llm!.output.text, '');
    assert.equal(span.llm!.output.finishReason, 'stop');
    assert.equal(span.warnings?.length, 1);
    assert.match(span.warnings![0], /no message content.*OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
  });

  it('reads gen_ai.client.inference.operation.details events with structured attributes', () => {
    const span = normalizeSpan(
      openAiSpan(
        [
          logEvent(
            'gen_ai.client.inference.operation.details',
            undefined,
            {
              'gen_ai.provider.name': 'openai',
              'gen_ai.system_instructions': [{ type: 'text', content: 'Answer in French.' }],
              'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }],
              'gen_ai.tool.definitions': [
                { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object' } },
              ],
              'gen_ai.request.temperature': 0.2,
            },
            true,
          ),
          logEvent(
            'gen_ai.client.inference.operation.details',
            undefined,
            {
              'gen_ai.output.messages': [
                { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour' }], finish_reason: 'stop' },
              ],
            },
            true,
          ),
        ],
        { 'gen_ai.operation.name': 'chat' },
      ),
    );
    const llm = span.llm!;
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hello' }] },
    ]);
    assert.equal(llm.output.text, 'Bonjour');
    assert.equal(llm.output.finishReason, 'stop');
    assert.deepEqual(llm.tools, [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }]);
    assert.equal(llm.parameters.temperature, 0.2);
    assert.equal(span.warnings, undefined);
  });

  it('reads the details from a kvlist body and from JSON text, and joins streamed output events', () => {
    const span = normalizeSpan(
      openAiSpan([
        logEvent(
          'gen_ai.client.inference.operation.details',
          {
            'gen_ai.input.messages': JSON.stringify([
              { role: 'user', parts: [{ type: 'text', content: 'Count to two' }] },
            ]),
            'gen_ai.usage.output_tokens': 99,
          },
          {},
          true,
        ),
        logEvent(
          'gen_ai.client.inference.operation.details',
          undefined,
          {
            'gen_ai.output.messages': JSON.stringify([
              { role: 'assistant', parts: [{ type: 'text', content: 'One' }] },
            ]),
          },
          true,
        ),
        logEvent(
          'gen_ai.client.inference.operation.details',
          undefined,
          {
            'gen_ai.output.messages': [
              { role: 'assistant', parts: [{ type: 'text', content: 'Two' }], finish_reason: 'stop' },
            ],
          },
          true,
        ),
      ]),
    );
    const llm = span.llm!;
    assert.deepEqual(llm.messages, [{ role: 'user', parts: [{ type: 'text', text: 'Count to two' }] }]);
    assert.match(llm.output.text, /^One\s*Two$/);
    assert.equal(llm.usage?.outputTokens, 9, 'the span attribute wins over the event');
  });

  it('lets span attributes win over the details event', () => {
    const span = normalizeSpan(
      openAiSpan(
        [
          logEvent(
            'gen_ai.client.inference.operation.details',
            undefined,
            {
              'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'from the event' }] }],
              'gen_ai.request.model': 'event-model',
            },
            true,
          ),
        ],
        {
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'from the span' }] },
          ]),
        },
      ),
    );
    assert.deepEqual(span.llm!.messages, [{ role: 'user', parts: [{ type: 'text', text: 'from the span' }] }]);
    assert.equal(span.llm!.requestModel, 'gpt-4o-mini');
  });

  it('does not repeat plain-text system instructions that are also the first input message', () => {
    const span = normalizeSpan(
      openAiSpan(
        [
          logEvent(
            'gen_ai.client.inference.operation.details',
            undefined,
            {
              'gen_ai.input.messages': [
                { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
                { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
              ],
            },
            true,
          ),
        ],
        { 'gen_ai.system_instructions': 'Be brief.' },
      ),
    );
    assert.deepEqual(
      span.llm!.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(span.warnings, undefined);
  });
});
