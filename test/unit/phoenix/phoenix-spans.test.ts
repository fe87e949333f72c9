// Phoenix's span answers turned back into the flat OTLP attributes an exporter sent (the rules of
// Phoenix's attributes.py undone), its span kind and the scope the normalizer needs restored, and
// its microsecond ISO times as Unix nanoseconds.
import { strict as assert } from 'node:assert';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { isoToUnixNano, otlpAttributesOf, phoenixSpanToRaw } from '../../../src/core/sources/phoenix/phoenix-spans';

const base = {
  name: 'ChatCompletion',
  context: { trace_id: 'A'.repeat(32), span_id: 'B'.repeat(16) },
  parent_id: null,
  start_time: '2026-12-06T12:19:56.284487+00:00',
  end_time: '2026-12-06T12:19:58.638055+00:00',
  status_code: 'OK',
};

describe('Phoenix spans -> OTLP attributes', () => {
  it('flattens nested answers like dotted ones, arrays of objects as index segments, primitive arrays kept', () => {
    const nested = otlpAttributesOf({
      span_kind: 'LLM',
      attributes: {
        llm: {
          model_name: 'gpt-4o-mini',
          input_messages: [{ message: { role: 'user', content: 'Hi' } }],
          token_count: { prompt: 3 },
        },
        tag: { tags: ['a', 'b'] },
      },
    });
    assert.deepEqual(nested, {
      'llm.model_name': 'gpt-4o-mini',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Hi',
      'llm.token_count.prompt': 3,
      'tag.tags': ['a', 'b'],
      'openinference.span.kind': 'LLM',
    });
  });

  it('puts the JSON-string attributes Phoenix parsed and spread back into JSON text', () => {
    const a = otlpAttributesOf({
      span_kind: 'TOOL',
      attributes: {
        'metadata.user.id': 'u1',
        'metadata.tier': 2,
        'llm.prompt_template.variables.city': 'Paris',
        'tool.parameters.type': 'object',
        'tool.parameters.required': ['city'],
        'tool.parameters.anyOf.0.type': 'string',
        'tool.parameters.anyOf.1.type': 'null',
        'tool.name': 'get_weather',
      },
    });
    assert.deepEqual(JSON.parse(a.metadata as string), { user: { id: 'u1' }, tier: 2 });
    assert.deepEqual(JSON.parse(a['llm.prompt_template.variables'] as string), { city: 'Paris' });
    assert.deepEqual(JSON.parse(a['tool.parameters'] as string), {
      type: 'object',
      required: ['city'],
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    assert.equal(a['tool.name'], 'get_weather');
    assert.equal(a['openinference.span.kind'], 'TOOL');
    // Not parseable when ingested, so stored as text: kept.
    assert.equal(otlpAttributesOf({ span_kind: 'UNKNOWN', attributes: { metadata: 'not json' } }).metadata, 'not json');
    assert.equal(otlpAttributesOf({ span_kind: 'UNKNOWN', attributes: {} })['openinference.span.kind'], undefined);
  });

  it('drops from gen_ai spans exactly the OpenInference keys Phoenix derives from gen_ai.*', () => {
    const a = otlpAttributesOf({
      span_kind: 'LLM',
      attributes: {
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-haiku-4-5',
        'gen_ai.usage.input_tokens': 28,
        'llm.model_name': 'claude-haiku-4-5',
        'llm.token_count.total': 37,
        'llm.input_messages.0.message.role': 'user',
        'llm.request.type': 'chat',
        'llm.is_streaming': false,
      },
    });
    assert.deepEqual(a, {
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.usage.input_tokens': 28,
      'llm.request.type': 'chat',
      'llm.is_streaming': false,
    });
  });

  it('reads microsecond ISO times as nanoseconds, and restores the Python OpenInference scope from the span', () => {
    assert.equal(isoToUnixNano('2026-12-06T12:19:56.284487+00:00'), '1796559596284487000');
    assert.equal(isoToUnixNano('2026-12-06T12:19:56Z'), '1796559596000000000');
    assert.equal(isoToUnixNano('2026-12-06T12:19:56.1+00:00'), '1796559596100000000');
    const raw = phoenixSpanToRaw({
      ...base,
      span_kind: 'LLM',
      attributes: { 'llm.system': 'openai', 'llm.model_name': 'gpt-4o-mini' },
      events: [
        {
          name: 'exception',
          timestamp: '2026-12-06T12:19:57.000001+00:00',
          attributes: { 'exception.message': 'boom' },
        },
      ],
    });
    assert.deepEqual(raw.scope, { name: 'openinference.instrumentation.openai' });
    assert.equal(raw.traceId, 'a'.repeat(32));
    assert.equal(raw.parentSpanId, undefined);
    assert.deepEqual(raw.events, [
      { name: 'exception', timeUnixNano: '1796559597000001000', attributes: { 'exception.message': 'boom' } },
    ]);
    assert.deepEqual(raw.status, { code: 'ok' });
    // With the scope back, the Python instrumentation's span name says which API the call used
    // ("Response": the Responses API; without the scope it would read as Chat Completions).
    const responses = phoenixSpanToRaw({
      ...base,
      name: 'Response',
      span_kind: 'LLM',
      attributes: { 'llm.system': 'openai', 'llm.model_name': 'gpt-4o-mini' },
    });
    assert.equal(normalizeSpan(responses).llm?.api, 'responses');
    assert.equal(normalizeSpan({ ...responses, scope: { name: '' } }).llm?.api, 'chat.completions');
    assert.deepEqual(
      phoenixSpanToRaw({
        ...base,
        name: 'GenerateContentStream',
        span_kind: 'LLM',
        attributes: { 'llm.provider': 'google' },
      }).scope,
      { name: 'openinference.instrumentation.google_genai' },
    );
    assert.deepEqual(
      phoenixSpanToRaw({ ...base, name: 'workflow', span_kind: 'CHAIN', status_code: 'ERROR', status_message: 'bad' })
        .status,
      { code: 'error', message: 'bad' },
    );
  });
});
