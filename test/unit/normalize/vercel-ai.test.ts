import { strict as assert } from 'node:assert';
import { assembleTrace, summarizeTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan, spanEvent } from '../../support/raw-span-builder';

const doGenerateAttrs = {
  'ai.operationId': 'ai.generateText.doGenerate',
  'ai.model.provider': 'openai.responses',
  'ai.model.id': 'gpt-4.1-mini',
  'ai.prompt.messages': JSON.stringify([
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
    {
      role: 'assistant',
      content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } }],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'c1', toolName: 'get_weather', output: { type: 'json', value: { t: 21 } } },
      ],
    },
  ]),
  'ai.prompt.tools': [
    JSON.stringify({ type: 'function', name: 'get_weather', description: 'd', inputSchema: { type: 'object' } }),
  ],
  'ai.prompt.toolChoice': JSON.stringify({ type: 'auto' }),
  'ai.settings.temperature': 0.3,
  'ai.settings.maxOutputTokens': 64,
  'ai.settings.maxRetries': 2,
  'ai.response.text': 'Sunny.',
  'ai.response.finishReason': 'stop',
  'ai.response.model': 'gpt-4.1-mini-2025',
  'ai.response.id': 'resp_1',
  'ai.usage.inputTokens': 30,
  'ai.usage.outputTokens': 5,
  'ai.usage.totalTokens': 35,
  'ai.usage.inputTokenDetails.cacheReadTokens': 4,
  'gen_ai.system': 'openai.responses',
  'gen_ai.request.model': 'gpt-4.1-mini',
  'gen_ai.usage.input_tokens': 30,
  'gen_ai.usage.output_tokens': 5,
};

describe('normalize: Vercel AI SDK', () => {
  it('reads a doGenerate span field by field, merging ai.* and gen_ai.*', () => {
    const span = normalizeSpan(
      rawSpan({ name: 'ai.generateText.doGenerate', scopeName: 'ai', attributes: doGenerateAttrs }),
    );
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.conventions, ['gen_ai', 'vercel_ai']);
    const llm = span.llm!;
    assert.equal(llm.provider, 'openai');
    assert.equal(llm.api, 'responses');
    assert.equal(llm.requestModel, 'gpt-4.1-mini');
    assert.equal(llm.responseModel, 'gpt-4.1-mini-2025');
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: '{"t":21}' }] },
    ]);
    assert.deepEqual(llm.tools, [{ name: 'get_weather', description: 'd', parameters: { type: 'object' } }]);
    assert.equal(llm.toolChoice, 'auto');
    assert.deepEqual(llm.parameters, { temperature: 0.3, maxTokens: 64 });
    assert.deepEqual(llm.output, { text: 'Sunny.', toolCalls: [], finishReason: 'stop' });
    assert.deepEqual(llm.usage, {
      inputTokens: 30,
      outputTokens: 5,
      cacheReadTokens: 4,
      totalTokens: 35,
      inputIncludesCache: true,
    });
  });

  it('reads streamed calls (time to first chunk) and tool calls in the response', () => {
    const span = normalizeSpan(
      rawSpan({
        name: 'ai.streamText.doStream',
        attributes: {
          'ai.operationId': 'ai.streamText.doStream',
          'ai.model.provider': 'anthropic.messages',
          'ai.model.id': 'claude-haiku-4-5',
          'ai.response.toolCalls': JSON.stringify([{ toolCallId: 't1', toolName: 'f', input: '{"x":1}' }]),
        },
        events: [spanEvent('ai.stream.firstChunk', { 'ai.response.msToFirstChunk': 120 })],
      }),
    );
    const llm = span.llm!;
    assert.equal(llm.api, 'anthropic.messages');
    assert.equal(llm.streamed, true);
    assert.equal(llm.timeToFirstTokenMs, 120);
    assert.deepEqual(llm.output.toolCalls, [{ type: 'tool_call', id: 't1', name: 'f', arguments: { x: 1 } }]);
  });

  it('reads wrapper spans as chains and tool calls as tools; usage is not double counted', () => {
    const root = rawSpan({
      spanId: '1'.repeat(16),
      name: 'ai.generateText',
      startMs: 1000,
      attributes: {
        'ai.operationId': 'ai.generateText',
        'ai.model.provider': 'openai.responses',
        'ai.model.id': 'gpt-4.1-mini',
        'ai.prompt': JSON.stringify({ prompt: 'Weather?' }),
        'ai.response.text': 'Sunny.',
        'ai.usage.inputTokens': 30,
        'ai.usage.outputTokens': 5,
      },
    });
    const call = rawSpan({
      spanId: '2'.repeat(16),
      parentSpanId: root.spanId,
      name: 'ai.generateText.doGenerate',
      startMs: 1001,
      attributes: doGenerateAttrs,
    });
    const tool = rawSpan({
      spanId: '3'.repeat(16),
      parentSpanId: root.spanId,
      name: 'ai.toolCall',
      startMs: 1002,
      attributes: {
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'get_weather',
        'ai.toolCall.id': 'c1',
        'ai.toolCall.args': '{"city":"Paris"}',
        'ai.toolCall.result': '{"t":21}',
      },
    });
    const trace = assembleTrace([tool, call, root].map(normalizeSpan));
    const [r, c, t] = trace.spans;
    assert.equal(r.kind, 'chain');
    assert.equal(r.llm, undefined);
    assert.deepEqual(r.io, { input: { prompt: 'Weather?' }, output: 'Sunny.' });
    assert.equal(c.kind, 'llm');
    assert.equal(t.kind, 'tool');
    assert.equal(t.toolName, 'get_weather');
    assert.deepEqual(t.io, { input: { city: 'Paris' }, output: { t: 21 } });
    const summary = summarizeTrace(trace, 0);
    assert.equal(summary.llmSpanCount, 1);
    assert.equal(summary.inputTokens, 30);
    assert.equal(summary.outputTokens, 5);
  });

  it('reads generateObject schemas as a json_schema response format', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: {
          'ai.operationId': 'ai.generateObject.doGenerate',
          'ai.schema': '{"type":"object"}',
          'ai.schema.name': 'Answer',
          'ai.response.object': '{"a":1}',
        },
      }),
    );
    assert.deepEqual(span.llm!.responseFormat, { type: 'json_schema', name: 'Answer', schema: { type: 'object' } });
    assert.equal(span.llm!.output.text, '{"a":1}');
  });
});
