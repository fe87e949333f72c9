import { strict as assert } from 'node:assert';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan } from '../../support/raw-span-builder';

describe('normalize: OpenInference', () => {
  it('reads flattened messages, tool calls, invocation parameters, tools, usage and prompt template', () => {
    const span = normalizeSpan(
      rawSpan({
        name: 'OpenAI Chat Completions',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'gpt-4o-mini-2024-07-18',
          'llm.system': 'openai',
          'llm.provider': 'openai',
          'llm.invocation_parameters': JSON.stringify({
            model: 'gpt-4o-mini',
            temperature: 0.5,
            max_completion_tokens: 50,
            stop: ['x'],
            tool_choice: { type: 'function', function: { name: 'get_weather' } },
            response_format: { type: 'json_object' },
            logprobs: true,
          }),
          'llm.input_messages.0.message.role': 'system',
          'llm.input_messages.0.message.content': 'Be brief.',
          'llm.input_messages.1.message.role': 'user',
          'llm.input_messages.1.message.contents.0.message_content.type': 'text',
          'llm.input_messages.1.message.contents.0.message_content.text': 'Look',
          'llm.input_messages.1.message.contents.1.message_content.type': 'image',
          'llm.input_messages.1.message.contents.1.message_content.image.image.url': 'https://x/i.png',
          'llm.input_messages.2.message.role': 'assistant',
          'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'c1',
          'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
          'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
          'llm.input_messages.3.message.role': 'tool',
          'llm.input_messages.3.message.tool_call_id': 'c1',
          'llm.input_messages.3.message.content': '{"temp":21}',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'Sunny.',
          'llm.finish_reason': 'stop',
          'llm.tools.0.tool.json_schema': JSON.stringify({
            type: 'function',
            function: { name: 'get_weather', parameters: { type: 'object' } },
          }),
          'llm.token_count.prompt': 30,
          'llm.token_count.completion': 5,
          'llm.token_count.total': 35,
          'llm.token_count.prompt_details.cache_read': 4,
          'llm.prompt_template.template': 'Weather in {city}?',
          'llm.prompt_template.variables': '{"city":"Paris"}',
          'llm.prompt_template.version': 'v3',
        },
      }),
    );
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.conventions, ['openinference']);
    const llm = span.llm!;
    assert.equal(llm.api, 'chat.completions');
    assert.equal(llm.requestModel, 'gpt-4o-mini');
    assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Look' },
          { type: 'image', url: 'https://x/i.png' },
        ],
      },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: '{"temp":21}' }] },
    ]);
    assert.deepEqual(llm.parameters, { temperature: 0.5, maxTokens: 50, stop: ['x'], extra: { logprobs: true } });
    assert.deepEqual(llm.toolChoice, { type: 'tool', name: 'get_weather' });
    assert.deepEqual(llm.responseFormat, { type: 'json_object' });
    assert.deepEqual(llm.tools, [{ name: 'get_weather', parameters: { type: 'object' } }]);
    assert.deepEqual(llm.output, { text: 'Sunny.', toolCalls: [], finishReason: 'stop' });
    assert.deepEqual(llm.usage, {
      inputTokens: 30,
      outputTokens: 5,
      totalTokens: 35,
      cacheReadTokens: 4,
      inputIncludesCache: true,
    });
    assert.deepEqual(llm.prompt, {
      source: 'openinference',
      version: 'v3',
      template: 'Weather in {city}?',
      variables: { city: 'Paris' },
    });
  });

  it('takes the Anthropic system prompt from the invocation parameters and tool calls once', () => {
    const span = normalizeSpan(
      rawSpan({
        name: 'Anthropic Messages',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'anthropic',
          'llm.model_name': 'claude-haiku-4-5',
          'llm.invocation_parameters': JSON.stringify({
            model: 'claude-haiku-4-5',
            max_tokens: 64,
            system: 'Be brief.',
          }),
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.contents.0.message_content.type': 'tool_use',
          'llm.output_messages.0.message.contents.0.tool_call.id': 't1',
          'llm.output_messages.0.message.contents.0.tool_call.function.name': 'f',
          'llm.output_messages.0.message.contents.0.tool_call.function.arguments': '{}',
          'llm.output_messages.0.message.tool_calls.0.tool_call.id': 't1',
          'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'f',
          'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{}',
        },
      }),
    );
    const llm = span.llm!;
    assert.equal(llm.api, 'anthropic.messages');
    assert.deepEqual(llm.messages[0], { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] });
    assert.deepEqual(llm.output.toolCalls, [{ type: 'tool_call', id: 't1', name: 'f', arguments: {} }]);
  });

  it('maps span kinds and keeps tool / retriever io', () => {
    const tool = normalizeSpan(
      rawSpan({
        attributes: {
          'openinference.span.kind': 'TOOL',
          'tool.name': 'get_weather',
          'input.value': '{"city":"Paris"}',
          'output.value': 'sunny',
        },
      }),
    );
    assert.equal(tool.kind, 'tool');
    assert.equal(tool.toolName, 'get_weather');
    assert.deepEqual(tool.io, { input: { city: 'Paris' }, output: 'sunny' });
    const ret = normalizeSpan(
      rawSpan({
        attributes: {
          'openinference.span.kind': 'RETRIEVER',
          'input.value': 'q',
          'retrieval.documents.0.document.id': 'd1',
          'retrieval.documents.0.document.content': 'text',
          'retrieval.documents.0.document.score': 0.9,
        },
      }),
    );
    assert.equal(ret.kind, 'retrieval');
    assert.deepEqual(ret.io, { input: 'q', output: [{ id: 'd1', content: 'text', score: 0.9 }] });
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'openinference.span.kind': 'AGENT' } })).kind, 'agent');
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'openinference.span.kind': 'CHAIN' } })).kind, 'chain');
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'openinference.span.kind': 'EMBEDDING' } })).kind, 'embedding');
  });

  it('warns on bad invocation parameters JSON', () => {
    const span = normalizeSpan(
      rawSpan({ attributes: { 'openinference.span.kind': 'LLM', 'llm.invocation_parameters': '{bad' } }),
    );
    assert.equal(span.kind, 'llm');
    assert.ok(span.warnings?.some((w) => w.includes('llm.invocation_parameters')));
  });
});
