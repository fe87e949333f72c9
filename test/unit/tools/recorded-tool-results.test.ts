// Where a live replay finds the recorded result of a tool call: the conversations of the LLM spans
// (call id -> tool_result) and tool spans; by id and name, else by name and JSON-equal arguments.
import assert from 'node:assert/strict';
import type { Span } from '../../../src/core/model/trace';
import { recordedToolResults } from '../../../src/core/tools/recorded-tool-results';

function span(id: string, extra: Partial<Span>): Span {
  return {
    id,
    traceId: 't',
    name: id,
    kind: 'llm',
    startTime: 0,
    endTime: 1,
    startTimeUnixNano: '0',
    endTimeUnixNano: '1',
    status: { code: 'ok' },
    attributes: {},
    events: [],
    conventions: [],
    ...extra,
  };
}

describe('recorded tool results', () => {
  const spans: Span[] = [
    span('llm2', {
      llm: {
        api: 'chat.completions',
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: '{"city": "Paris", "unit": "C"}' }],
          },
          { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: 'sunny' }] },
          { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'orphan', content: 'no call' }] },
        ],
        parameters: {},
        output: { text: '', toolCalls: [] },
      },
    }),
    span('tool1', {
      kind: 'tool',
      toolName: 'lookup',
      io: { input: { q: 'x' }, output: { hits: 2 } },
      status: { code: 'error' },
    }),
  ];
  const results = recordedToolResults({ spans });

  it('reads calls answered in conversations and tool spans', () => {
    assert.deepEqual(results.all, [
      {
        toolCallId: 'c1',
        name: 'get_weather',
        arguments: { city: 'Paris', unit: 'C' },
        content: 'sunny',
        spanId: 'llm2',
      },
      { name: 'lookup', arguments: { q: 'x' }, content: '{"hits":2}', spanId: 'tool1', isError: true },
    ]);
  });

  it('finds by id and name, else by name and arguments whatever their key order or form', () => {
    assert.equal(results.find({ id: 'c1', name: 'get_weather', arguments: {} })?.content, 'sunny');
    assert.equal(
      results.find({ id: 'zz', name: 'get_weather', arguments: { unit: 'C', city: 'Paris' } })?.content,
      'sunny',
    );
    assert.equal(results.find({ name: 'get_weather', arguments: '{"unit":"C","city":"Paris"}' })?.content, 'sunny');
    assert.equal(results.find({ id: 'c1', name: 'other', arguments: {} }), undefined, 'same id, other tool');
    assert.equal(results.find({ name: 'get_weather', arguments: { city: 'Lyon', unit: 'C' } }), undefined);
    assert.equal(results.find({ name: 'lookup', arguments: { q: 'x' } })?.isError, true);
  });
});
