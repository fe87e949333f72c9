// Phoenix's OTel GenAI -> OpenInference synthesis as the fake ports it (trace/gen_ai/conversion.py):
// a recorded OTel GenAI trace reads back with OpenInference span kinds, messages and token counts,
// and the edge rules (whole-list drop, tool definitions without type, OpenInference keys win).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { apiSpanAttributes, storedSpanAttributes } from '../../support/fake-phoenix/phoenix-attributes';
import { openInferenceFromGenAi, pythonFloat } from '../../support/fake-phoenix/phoenix-genai';
import { PhoenixStore } from '../../support/fake-phoenix/phoenix-store';
import { decodeOtlpProtobufBody } from '../../../src/core/otlp/otlp-body';
import { otlpProtoTypes } from '../../../src/core/otlp/otlp-proto-schema';
import { readOtlpFixture } from '../../support/fake-phoenix/phoenix-fixtures';

describe('fake Phoenix: gen_ai.* -> OpenInference', () => {
  it('a recorded OTel GenAI agent (Python, gen_ai.*.messages on spans) reads back as OpenInference LLM and TOOL spans', () => {
    const store = new PhoenixStore();
    for (const { body } of readOtlpFixture(
      join(__dirname, '..', '..', 'fixtures', 'python', 'otel-openai-agent-latest-span.json'),
    )) {
      store.ingestRequest(decodeOtlpProtobufBody(otlpProtoTypes().exportTraceServiceRequest, body));
    }
    const spans = store.spans.map((s) => ({ name: s.name, kind: s.spanKind, ...apiSpanAttributes(s.attributes) }));
    const tool = spans.find((s) => s.kind === 'TOOL');
    assert.equal(tool?.attributes['tool.name'], 'get_weather');
    assert.equal(tool?.attributes['tool.parameters.city'], 'Paris');
    const llm = spans.filter((s) => s.kind === 'LLM');
    assert.equal(llm.length, 2);
    const second = llm.find((s) => s.attributes['llm.token_count.prompt'] === 48);
    assert.equal(
      second?.attributes['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments'],
      '{"city": "Paris"}',
    );
    assert.equal(second?.attributes['llm.input_messages.3.message.role'], 'tool');
    assert.equal(second?.attributes['llm.output_messages.0.message.finish_reason'], 'stop');
    assert.equal(second?.attributes['llm.invocation_parameters'], '{"temperature": 0}');
    assert.equal(second?.attributes['output.value'], '{"id": "chatcmpl-fake18", "model": "gpt-4o-mini-2024-07-18"}');
    assert.deepEqual(store.ingestErrors, []);
  });

  it('one malformed message drops the whole list; a part of unknown type is skipped; the system instructions become message 0', () => {
    const good = JSON.stringify([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'hi' },
          { type: 'file', file_id: 'f', modality: 'image' },
        ],
      },
    ]);
    const bad = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }, { role: 'user' }]);
    const system = JSON.stringify([{ type: 'text', content: 'Be brief.' }]);
    assert.deepEqual(
      openInferenceFromGenAi({
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': good,
        'gen_ai.system_instructions': system,
      }),
      {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'Be brief.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'hi',
      },
    );
    assert.deepEqual(openInferenceFromGenAi({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': bad }), {
      'openinference.span.kind': 'LLM',
    });
  });

  it('tool definitions without a type count as functions; floats are written as Python writes them; OpenInference keys win', () => {
    const tools = JSON.stringify([{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }]);
    const oi = openInferenceFromGenAi(
      {
        'gen_ai.request.model': 'm',
        'gen_ai.tool.definitions': tools,
        'gen_ai.request.temperature': 1,
        'gen_ai.request.top_p': 0.5,
      },
      new Set(['gen_ai.request.temperature']),
    );
    assert.equal(
      oi['llm.tools.0.tool.json_schema'],
      '{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object"}}}',
    );
    assert.equal(oi['llm.invocation_parameters'], '{"temperature": 1.0, "top_p": 0.5}');
    assert.deepEqual(
      [pythonFloat(1), pythonFloat(0.1), pythonFloat(1e-5), pythonFloat(1e16), pythonFloat(123456.5)],
      ['1.0', '0.1', '1e-05', '1e+16', '123456.5'],
    );
    const stored = storedSpanAttributes({
      'openinference.span.kind': 'CHAIN',
      'gen_ai.request.model': 'm',
      'llm.model_name': 'mine',
    });
    assert.deepEqual(apiSpanAttributes(stored).spanKind, 'CHAIN');
    assert.equal(apiSpanAttributes(stored).attributes['llm.model_name'], 'mine');
  });
});
