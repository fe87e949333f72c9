import { strict as assert } from 'node:assert';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan } from '../../support/raw-span-builder';

describe('normalize: OTel GenAI semconv (current)', () => {
  const attrs = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': 'chatcmpl-1',
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 100,
    'gen_ai.request.top_p': 0.9,
    'gen_ai.request.seed': 7,
    'gen_ai.request.stop_sequences': ['END'],
    'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
    'gen_ai.input.messages': JSON.stringify([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Weather?' },
          { type: 'uri', modality: 'image', uri: 'https://x/y.png' },
        ],
      },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { temp: 21 } }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      {
        role: 'assistant',
        finish_reason: 'stop',
        parts: [
          { type: 'reasoning', content: 'hmm' },
          { type: 'text', content: 'Sunny.' },
        ],
      },
    ]),
    'gen_ai.tool.definitions': JSON.stringify([
      { type: 'function', name: 'get_weather', description: 'd', parameters: { type: 'object' } },
    ]),
    'gen_ai.usage.input_tokens': 30,
    'gen_ai.usage.output_tokens': 5,
    'gen_ai.usage.cache_read.input_tokens': 10,
    'gen_ai.usage.cache_creation.input_tokens': 2,
    'gen_ai.prompt.name': 'weather-prompt',
    'custom.thing': 'kept',
  };

  it('reads a chat span field by field', () => {
    const span = normalizeSpan(rawSpan({ name: 'chat gpt-4o-mini', attributes: attrs }));
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.conventions, ['gen_ai']);
    const llm = span.llm!;
    assert.equal(llm.provider, 'openai');
    assert.equal(llm.api, 'chat.completions');
    assert.equal(llm.requestModel, 'gpt-4o-mini');
    assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
    assert.equal(llm.responseId, 'chatcmpl-1');
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Weather?' },
          { type: 'image', url: 'https://x/y.png' },
        ],
      },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: '{"temp":21}' }] },
    ]);
    assert.deepEqual(llm.tools, [{ name: 'get_weather', description: 'd', parameters: { type: 'object' } }]);
    assert.deepEqual(llm.parameters, { temperature: 0.2, maxTokens: 100, topP: 0.9, seed: 7, stop: ['END'] });
    assert.deepEqual(llm.output, { text: 'Sunny.', toolCalls: [], finishReason: 'stop', reasoning: 'hmm' });
    assert.deepEqual(llm.usage, {
      inputTokens: 30,
      outputTokens: 5,
      cacheReadTokens: 10,
      cacheWriteTokens: 2,
      inputIncludesCache: true,
    });
    assert.deepEqual(llm.prompt, { name: 'weather-prompt', source: 'semconv' });
    assert.equal(span.attributes['custom.thing'], 'kept');
    assert.equal(span.warnings, undefined);
  });

  it('accepts structured (non-string) message values', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
        },
      }),
    );
    assert.deepEqual(span.llm!.messages, [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
  });

  it('keeps bad JSON raw and warns instead of throwing', () => {
    const span = normalizeSpan(
      rawSpan({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role":' } }),
    );
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.llm!.messages, []);
    assert.equal(span.attributes['gen_ai.input.messages'], '[{"role":');
    assert.equal(span.warnings?.length, 1);
    assert.match(span.warnings![0], /gen_ai\.input\.messages/);
  });

  it('maps operations to kinds and reads tool spans', () => {
    const tool = normalizeSpan(
      rawSpan({
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_weather',
          'gen_ai.tool.call.arguments': '{"city":"Paris"}',
          'gen_ai.tool.call.result': 'sunny',
        },
      }),
    );
    assert.equal(tool.kind, 'tool');
    assert.equal(tool.toolName, 'get_weather');
    assert.deepEqual(tool.io, { input: { city: 'Paris' }, output: 'sunny' });
    assert.equal(tool.llm, undefined);
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'gen_ai.operation.name': 'embeddings' } })).kind, 'embedding');
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'gen_ai.operation.name': 'invoke_agent' } })).kind, 'agent');
  });

  it('reads Traceloop Anthropic usage as Anthropic-native (cache on top of input)', () => {
    const span = normalizeSpan(
      rawSpan({
        scopeName: '@traceloop/instrumentation-anthropic',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.response.id': 'msg_1',
          'gen_ai.usage.input_tokens': 14,
          'gen_ai.usage.output_tokens': 9,
          'gen_ai.usage.cache_read.input_tokens': 4,
          'gen_ai.usage.cache_creation.input_tokens': 3,
        },
      }),
    );
    assert.equal(span.llm!.api, 'anthropic.messages');
    assert.equal(span.llm!.usage!.inputIncludesCache, false);
    assert.equal(span.llm!.usage!.cacheWriteTokens, 3);
  });

  it('detects the OpenAI Responses API from the response id', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.response.id': 'resp_abc',
        },
      }),
    );
    assert.equal(span.llm!.api, 'responses');
  });
});
