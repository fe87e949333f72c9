import { strict as assert } from 'node:assert';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan, spanEvent } from '../../support/raw-span-builder';

describe('normalize: GenAI legacy (OpenLLMetry flattened, events)', () => {
  it('reads flattened prompts, completions, tool calls, functions and deprecated usage', () => {
    const span = normalizeSpan(
      rawSpan({
        name: 'openai.chat',
        attributes: {
          'gen_ai.system': 'OpenAI',
          'llm.request.type': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.prompt.0.role': 'system',
          'gen_ai.prompt.0.content': 'Be brief.',
          'gen_ai.prompt.1.role': 'assistant',
          'gen_ai.prompt.1.tool_calls.0.id': 'c1',
          'gen_ai.prompt.1.tool_calls.0.name': 'f',
          'gen_ai.prompt.1.tool_calls.0.arguments': '{"a":1}',
          'gen_ai.prompt.2.role': 'tool',
          'gen_ai.prompt.2.tool_call_id': 'c1',
          'gen_ai.prompt.2.content': 'ok',
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.finish_reason': 'tool_calls',
          'gen_ai.completion.0.tool_calls.0.id': 'c2',
          'gen_ai.completion.0.tool_calls.0.name': 'g',
          'gen_ai.completion.0.tool_calls.0.arguments': '{"b":2}',
          'llm.request.functions.0.name': 'f',
          'llm.request.functions.0.description': 'does f',
          'llm.request.functions.0.parameters': '{"type":"object"}',
          'gen_ai.usage.prompt_tokens': 20,
          'gen_ai.usage.completion_tokens': 4,
          'llm.usage.total_tokens': 24,
          'llm.is_streaming': true,
        },
      }),
    );
    assert.equal(span.kind, 'llm');
    assert.ok(span.conventions.includes('gen_ai_legacy'));
    const llm = span.llm!;
    assert.equal(llm.provider, 'openai');
    assert.equal(llm.api, 'chat.completions');
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: { a: 1 } }] },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: 'ok' }] },
    ]);
    assert.deepEqual(llm.output, {
      text: '',
      toolCalls: [{ type: 'tool_call', id: 'c2', name: 'g', arguments: { b: 2 } }],
      finishReason: 'tool_calls',
    });
    assert.deepEqual(llm.tools, [{ name: 'f', description: 'does f', parameters: { type: 'object' } }]);
    assert.deepEqual(llm.usage, { inputTokens: 20, outputTokens: 4, totalTokens: 24, inputIncludesCache: true });
    assert.equal(llm.streamed, true);
  });

  it('reads gen_ai.content.prompt / completion events', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' },
        events: [
          spanEvent('gen_ai.content.prompt', { 'gen_ai.prompt': JSON.stringify([{ role: 'user', content: 'Hi' }]) }),
          spanEvent('gen_ai.content.completion', {
            'gen_ai.completion': JSON.stringify([{ role: 'assistant', content: 'Hello' }]),
          }),
        ],
      }),
    );
    assert.deepEqual(span.llm!.messages, [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
    assert.equal(span.llm!.output.text, 'Hello');
  });

  it('reads per-message events', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai' },
        events: [
          spanEvent('gen_ai.system.message', { content: 'Be brief.' }),
          spanEvent('gen_ai.user.message', { content: 'Hi' }),
          spanEvent('gen_ai.tool.message', { content: 'ok', id: 'c1' }),
          spanEvent('gen_ai.choice', {
            index: 0,
            finish_reason: 'stop',
            message: JSON.stringify({ role: 'assistant', content: 'Done' }),
          }),
        ],
      }),
    );
    assert.deepEqual(span.llm!.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: 'ok' }] },
    ]);
    assert.equal(span.llm!.output.text, 'Done');
    assert.equal(span.llm!.output.finishReason, 'stop');
  });

  it('warns on a bad JSON event attribute', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'm' },
        events: [spanEvent('gen_ai.content.prompt', { 'gen_ai.prompt': 'not json' })],
      }),
    );
    assert.equal(span.kind, 'llm');
    assert.equal(span.warnings?.length, 1);
  });
});
