// What the Python GenAI instrumentations record that the JS ones do not, read into the LlmCall the
// provider layer rebuilds requests from (shapes as in test/fixtures/python): the OTel google-genai
// events' Gemini Content bodies and their "<elided>" placeholder, OpenInference Python span names,
// extra_body and the model in input.value, OpenLLMetry's gen_ai.is_streaming, the google-genai
// method name of a stream, and Gemini Tool objects as tool definitions.
import { strict as assert } from 'node:assert';
import type { Attributes, AttrValue, SpanEvent } from '../../../src/core/model/trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import type { RawLogRecord } from '../../../src/core/otlp/otlp-logs-converter';
import { classifyLogRecord } from '../../../src/core/store/log-events';
import { rawSpan } from '../../support/raw-span-builder';

let clock = 1_700_000_000_000_000_000n;

/** The span event the store makes of a log record of the OTel google-genai instrumentation. */
function logEvent(eventName: string, body: AttrValue): SpanEvent {
  clock += 1000n;
  const record: RawLogRecord = {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    timeUnixNano: String(clock),
    observedTimeUnixNano: String(clock),
    eventName,
    attributes: { 'gen_ai.system': 'gemini' },
    resource: {},
    scope: { name: 'opentelemetry.instrumentation.google_genai' },
    body,
  };
  const c = classifyLogRecord(record);
  assert.equal(c.kind, 'event');
  return c.kind === 'event' ? c.value.event : (undefined as never);
}

/** A Gemini Part as the Python SDK dumps it: snake_case, every unset field null. */
function part(fields: Record<string, AttrValue>): Record<string, AttrValue> {
  return {
    media_resolution: null,
    code_execution_result: null,
    executable_code: null,
    file_data: null,
    function_call: null,
    function_response: null,
    inline_data: null,
    text: null,
    thought: null,
    thought_signature: null,
    ...fields,
  };
}

function geminiSpan(events: SpanEvent[], attributes: Attributes = {}) {
  return normalizeSpan(
    rawSpan({
      name: 'generate_content gemini-2.5-flash',
      scopeName: 'opentelemetry.instrumentation.google_genai',
      attributes: {
        'code.function.name': 'google.genai.Models.generate_content',
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.system': 'gemini',
        'gen_ai.request.model': 'gemini-2.5-flash',
        ...attributes,
      },
      events,
    }),
  );
}

describe('normalize: what the Python GenAI instrumentations record', () => {
  it('reads the OTel google-genai events whose content is a Gemini Content (the model turn included)', () => {
    const span = geminiSpan([
      logEvent('gen_ai.system.message', { content: 'Be brief.' }),
      logEvent('gen_ai.user.message', { content: { parts: [part({ text: 'Weather in Paris?' })], role: 'user' } }),
      logEvent('gen_ai.user.message', {
        content: {
          parts: [
            part({ function_call: { id: null, args: { city: 'Paris' }, name: 'get_weather', partial_args: null } }),
          ],
          role: 'model',
        },
      }),
      logEvent('gen_ai.user.message', {
        content: {
          parts: [
            part({
              function_response: { id: null, name: 'get_weather', response: { forecast: 'sunny' }, parts: null },
            }),
          ],
          role: 'user',
        },
      }),
      logEvent('gen_ai.choice', {
        index: 0,
        content: { parts: [part({ text: 'Sunny.' })], role: 'model' },
        finish_reason: 'STOP',
      }),
    ]);
    const llm = span.llm!;
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_result', content: '{"forecast":"sunny"}' }] },
    ]);
    assert.equal(llm.output.text, 'Sunny.');
    assert.equal(llm.output.finishReason, 'STOP');
    assert.equal(span.warnings, undefined);
  });

  it('keeps no input when every event carries only the "<elided>" placeholder (capture off), and warns with the fix', () => {
    const span = geminiSpan([
      logEvent('gen_ai.system.message', { content: '<elided>' }),
      logEvent('gen_ai.user.message', { content: '<elided>' }),
      logEvent('gen_ai.choice', { index: 0, content: '<elided>', finish_reason: 'STOP' }),
    ]);
    assert.deepEqual(span.llm!.messages, []);
    assert.equal(span.llm!.output.text, '');
    assert.match(
      span.warnings?.join('\n') ?? '',
      /carry no message content.*OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/,
    );
  });

  it('marks a google-genai call made with generate_content_stream as streamed', () => {
    const span = geminiSpan([logEvent('gen_ai.user.message', { content: 'Hi' })], {
      'code.function.name': 'google.genai.Models.generate_content_stream',
    });
    assert.equal(span.llm!.streamed, true);
    assert.equal(geminiSpan([logEvent('gen_ai.user.message', { content: 'Hi' })]).llm!.streamed, undefined);
  });

  it('reads OpenInference (Python) Responses spans, extra_body parameters and the request model from input.value', () => {
    const responses = normalizeSpan(
      rawSpan({
        name: 'Response',
        scopeName: 'openinference.instrumentation.openai',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.system': 'openai',
          'llm.model_name': 'gpt-4o-mini-2024-07-18',
          'llm.invocation_parameters': '{"max_output_tokens": 80, "model": "gpt-4.1-mini"}',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
        },
      }),
    ).llm!;
    assert.equal(responses.api, 'responses');
    assert.equal(responses.requestModel, 'gpt-4.1-mini');

    const anthropic = normalizeSpan(
      rawSpan({
        name: 'messages.create',
        scopeName: 'openinference.instrumentation.anthropic',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'anthropic',
          'llm.model_name': 'claude-haiku-4-5-20251001',
          'input.value': '{"model": "claude-haiku-4-5", "max_tokens": 64, "extra_body": {"temperature": 0.3}}',
          'input.mime_type': 'application/json',
          'llm.invocation_parameters':
            '{"max_tokens": 64, "extra_body": {"temperature": 0.3, "top_k": 5, "metadata": {"user_id": "u"}}}',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'Hello',
        },
      }),
    ).llm!;
    assert.equal(anthropic.requestModel, 'claude-haiku-4-5');
    assert.equal(anthropic.responseModel, 'claude-haiku-4-5-20251001');
    assert.deepEqual(anthropic.parameters, {
      temperature: 0.3,
      maxTokens: 64,
      topK: 5,
      extra: { metadata: { user_id: 'u' } },
    });
  });

  it('reads the OpenInference google-genai user message that input.value shows was a function response as a tool result', () => {
    const attrs = (request: unknown) => ({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'google',
      'llm.model_name': 'gemini-2.5-flash',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather?',
      'llm.input_messages.2.message.role': 'model',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city": "Paris"}',
      'llm.input_messages.3.message.role': 'user',
      'llm.input_messages.3.message.content': '{"tempC": 21}',
      'input.value': JSON.stringify(request),
      'input.mime_type': 'application/json',
    });
    const contents = [
      { parts: [{ text: 'Weather?' }], role: 'user' },
      { parts: [{ function_call: { args: { city: 'Paris' }, name: 'get_weather' } }], role: 'model' },
      { parts: [{ function_response: { name: 'get_weather', response: { temp_c: 21 } } }], role: 'user' },
    ];
    const read = (request: unknown) =>
      normalizeSpan(
        rawSpan({
          name: 'GenerateContent',
          scopeName: 'openinference.instrumentation.google_genai',
          attributes: attrs(request),
        }),
      ).llm!.messages;
    // The text keeps the response's own keys (input.value snake-cases them).
    assert.deepEqual(read({ contents }).slice(2), [
      { role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_result', content: '{"tempC": 21}' }] },
    ]);
    // Turns that do not line up with the request: the messages stay as recorded.
    assert.deepEqual(read({ contents: contents.slice(1) })[3], {
      role: 'user',
      parts: [{ type: 'text', text: '{"tempC": 21}' }],
    });
  });

  it('marks an OpenInference google-genai GenerateContentStream span as streamed', () => {
    const call = normalizeSpan(
      rawSpan({
        name: 'GenerateContentStream',
        scopeName: 'openinference.instrumentation.google_genai',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'google',
          'llm.model_name': 'gemini-2.5-flash',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
        },
      }),
    ).llm!;
    assert.equal(call.streamed, true);
  });

  it('reads OpenLLMetry gen_ai.is_streaming and Gemini Tool objects (function_declarations, parameters_json_schema) as tool definitions', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const call = normalizeSpan(
      rawSpan({
        name: 'generate_content gemini-2.5-flash',
        scopeName: 'opentelemetry.instrumentation.google_generativeai',
        attributes: {
          'gen_ai.provider.name': 'gcp.gen_ai',
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.request.model': 'gemini-2.5-flash',
          'gen_ai.is_streaming': true,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Weather?' }] }]),
          'gen_ai.tool.definitions': JSON.stringify([
            {
              function_declarations: [
                { description: 'Weather', name: 'get_weather', parameters_json_schema: schema },
                { name: 'get_time' },
              ],
            },
          ]),
        },
      }),
    ).llm!;
    assert.equal(call.streamed, true);
    assert.deepEqual(call.tools, [
      { name: 'get_weather', description: 'Weather', parameters: schema },
      { name: 'get_time' },
    ]);
  });
});
