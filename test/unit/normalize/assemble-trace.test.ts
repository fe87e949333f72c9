import { strict as assert } from 'node:assert';
import type { RawSpan } from '../../../src/core/model/trace';
import { assembleTrace, summarizeTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { rawSpan } from '../../support/raw-span-builder';

function wrapperAndInner(): RawSpan[] {
  const root = rawSpan({
    spanId: 'a'.repeat(16),
    name: 'workflow',
    startMs: 1000,
    durationMs: 100,
    attributes: { 'traceloop.span.kind': 'workflow', 'traceloop.workflow.name': 'my-flow' },
  });
  const wrapper = rawSpan({
    spanId: 'b'.repeat(16),
    parentSpanId: root.spanId,
    name: 'chat claude',
    startMs: 1010,
    scopeName: '@traceloop/instrumentation-anthropic',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello' }] }]),
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 9,
    },
  });
  // The SDK's own client span: the real call, metadata only.
  const inner = rawSpan({
    spanId: 'c'.repeat(16),
    parentSpanId: wrapper.spanId,
    name: 'anthropic.messages.create',
    startMs: 1010,
    scopeName: 'com.anthropic.sdk.typescript',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.response.model': 'claude-haiku-4-5-20251001',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 9,
    },
  });
  return [root, wrapper, inner];
}

describe('assembleTrace / summarizeTrace', () => {
  it('demotes an LLM span wrapping another, whatever the arrival order, and idempotently', () => {
    const [root, wrapper, inner] = wrapperAndInner();
    for (const order of [
      [root, wrapper, inner],
      [inner, wrapper, root],
      [wrapper, inner, root],
    ]) {
      const trace = assembleTrace(order.map(normalizeSpan));
      assert.deepEqual(
        trace.spans.map((s) => [s.name, s.kind]),
        [
          ['workflow', 'chain'],
          ['chat claude', 'chain'],
          ['anthropic.messages.create', 'llm'],
        ],
      );
      const w = trace.spans[1];
      assert.equal(w.llm, undefined);
      assert.equal(w.wrappedLlm?.parameters.temperature, 0.3);
      const call = trace.spans[2].llm!;
      // The inner call keeps its own usage and model but takes the wrapper's content.
      assert.equal(call.usage?.inputTokens, 21);
      assert.equal(call.responseModel, 'claude-haiku-4-5-20251001');
      assert.deepEqual(call.messages, [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
      assert.equal(call.output.text, 'Hello');
      assert.equal(call.parameters.temperature, 0.3);
      assert.deepEqual(assembleTrace(trace.spans), trace);
      assert.deepEqual(assembleTrace([...trace.spans].reverse()), trace);
    }
  });

  it('demotes across batches: wrapper assembled alone first, then with its inner call', () => {
    const [root, wrapper, inner] = wrapperAndInner();
    const first = assembleTrace([root, wrapper].map(normalizeSpan));
    assert.equal(first.spans[1].kind, 'llm');
    const second = assembleTrace([...first.spans, normalizeSpan(inner)]);
    assert.equal(second.spans[1].kind, 'chain');
    assert.equal(second.spans.filter((s) => s.kind === 'llm').length, 1);
  });

  it('orders spans by start, parents first on ties; names, service and envelope', () => {
    const [root, wrapper, inner] = wrapperAndInner();
    const trace = assembleTrace([inner, wrapper, root].map(normalizeSpan));
    assert.equal(trace.name, 'my-flow');
    assert.equal(trace.serviceName, 'test-app');
    assert.equal(trace.id, 'a'.repeat(32));
    assert.equal(trace.startTime, 1000);
    assert.equal(trace.endTime, 1100);
    assert.deepEqual(
      trace.spans.map((s) => s.id),
      ['a'.repeat(16), 'b'.repeat(16), 'c'.repeat(16)],
    );
  });

  it('includes spans whose parent is missing and names the trace from the root span', () => {
    const orphan = rawSpan({ spanId: 'd'.repeat(16), parentSpanId: 'e'.repeat(16), name: 'orphan', startMs: 5 });
    const root = rawSpan({ spanId: 'f'.repeat(16), name: 'root', startMs: 10 });
    const trace = assembleTrace([orphan, root].map(normalizeSpan));
    assert.equal(trace.spans.length, 2);
    assert.equal(trace.name, 'root');
    assert.equal(
      assembleTrace([normalizeSpan(rawSpan({ name: 'x', attributes: { 'langfuse.trace.name': 'lf-name' } }))]).name,
      'lf-name',
    );
  });

  it('summarizes counts, models, tokens of LLM spans only, cost and prompt names', () => {
    const a = rawSpan({ spanId: '1'.repeat(16), name: 'root', startMs: 0, durationMs: 50 });
    const g1 = rawSpan({
      spanId: '2'.repeat(16),
      parentSpanId: a.spanId,
      startMs: 1,
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'm1',
        'langfuse.observation.usage_details': '{"input":10,"output":2}',
        'langfuse.observation.cost_details': '{"total":0.5}',
        'langfuse.observation.prompt.name': 'p1',
      },
    });
    const g2 = rawSpan({
      spanId: '3'.repeat(16),
      parentSpanId: a.spanId,
      startMs: 2,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'm2',
        'gen_ai.usage.input_tokens': 5,
        'gen_ai.usage.output_tokens': 1,
      },
    });
    const agent = rawSpan({
      spanId: '4'.repeat(16),
      parentSpanId: a.spanId,
      startMs: 3,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.usage.input_tokens': 15,
        'gen_ai.usage.output_tokens': 3,
      },
    });
    const s = summarizeTrace(assembleTrace([a, g1, g2, agent].map(normalizeSpan)), 42);
    assert.deepEqual(s, {
      id: 'a'.repeat(32),
      name: 'root',
      startTime: 0,
      durationMs: 50,
      spanCount: 4,
      llmSpanCount: 2,
      models: ['m1', 'm2'],
      inputTokens: 15,
      outputTokens: 3,
      costUsd: 0.5,
      promptNames: ['p1'],
      serviceName: 'test-app',
      updatedAt: 42,
    });
    const noCost = summarizeTrace(assembleTrace([normalizeSpan(g2)]), 1);
    assert.equal(noCost.costUsd, undefined);
  });
});
