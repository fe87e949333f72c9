import { strict as assert } from 'node:assert';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan } from '../../support/raw-span-builder';

describe('normalize: Langfuse and Traceloop attributes', () => {
  it('reads a Langfuse generation with usage, cost, prompt and completion start time', () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const span = normalizeSpan(
      rawSpan({
        startMs: start,
        attributes: {
          'langfuse.observation.type': 'generation',
          'langfuse.observation.model.name': 'claude-haiku-4-5',
          'langfuse.observation.input': JSON.stringify([{ role: 'user', content: 'Hi' }]),
          'langfuse.observation.output': JSON.stringify({ role: 'assistant', content: 'Hello' }),
          'langfuse.observation.model.parameters': JSON.stringify({ temperature: '0.7', max_tokens: 10, custom: 'x' }),
          'langfuse.observation.usage_details': JSON.stringify({ input: 10, output: 5, cache_read_input_tokens: 2 }),
          'langfuse.observation.cost_details': JSON.stringify({ input: 0.001, output: 0.002, total: 0.003 }),
          'langfuse.observation.prompt.name': 'greeter',
          'langfuse.observation.prompt.version': 4,
          'langfuse.observation.completion_start_time': '"2026-01-01T00:00:00.250Z"',
        },
      }),
    );
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.conventions, ['langfuse']);
    const llm = span.llm!;
    assert.equal(llm.requestModel, 'claude-haiku-4-5');
    assert.deepEqual(llm.messages, [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
    assert.equal(llm.output.text, 'Hello');
    assert.deepEqual(llm.parameters, { temperature: 0.7, maxTokens: 10, extra: { custom: 'x' } });
    assert.deepEqual(llm.usage, { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, inputIncludesCache: false });
    assert.equal(llm.costUsd, 0.003);
    assert.deepEqual(llm.prompt, { name: 'greeter', version: '4', source: 'langfuse' });
    assert.equal(llm.timeToFirstTokenMs, 250);
  });

  it('maps Langfuse observation types and keeps io of other spans', () => {
    const tool = normalizeSpan(
      rawSpan({
        name: 'lookup',
        attributes: {
          'langfuse.observation.type': 'tool',
          'langfuse.observation.input': '{"q":1}',
          'langfuse.observation.output': '"found"',
        },
      }),
    );
    assert.equal(tool.kind, 'tool');
    assert.equal(tool.toolName, 'lookup');
    assert.deepEqual(tool.io, { input: { q: 1 }, output: '"found"' });
    assert.equal(normalizeSpan(rawSpan({ attributes: { 'langfuse.observation.type': 'span' } })).kind, 'other');
  });

  it('reads Traceloop prompt attributes onto the model call and workflow kinds', () => {
    const span = normalizeSpan(
      rawSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'traceloop.prompt.key': 'joke',
          'traceloop.prompt.version': 5,
          'traceloop.prompt.version_name': 'prod',
          'traceloop.prompt.template': 'Tell me a {what}',
          'traceloop.prompt.template_variables.what': 'joke',
        },
      }),
    );
    assert.deepEqual(span.conventions, ['gen_ai', 'traceloop']);
    assert.deepEqual(span.llm!.prompt, {
      source: 'traceloop',
      name: 'joke',
      version: '5',
      label: 'prod',
      template: 'Tell me a {what}',
      variables: { what: 'joke' },
    });
    const task = normalizeSpan(
      rawSpan({
        attributes: {
          'traceloop.span.kind': 'task',
          'traceloop.entity.input': '{"args":[1]}',
          'traceloop.entity.output': 'done',
        },
      }),
    );
    assert.equal(task.kind, 'chain');
    assert.deepEqual(task.io, { input: { args: [1] }, output: 'done' });
  });

  it('keeps unknown attributes raw and records no convention for plain spans', () => {
    const span = normalizeSpan(rawSpan({ attributes: { 'http.method': 'GET', 'x.y': [1, 2] } }));
    assert.equal(span.kind, 'other');
    assert.deepEqual(span.conventions, []);
    assert.deepEqual(span.attributes, { 'http.method': 'GET', 'x.y': [1, 2] });
  });
});
