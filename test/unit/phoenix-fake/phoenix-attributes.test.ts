// Phoenix's attribute rules as the fake ports them (trace/attributes.py, trace/otel.py): what a
// span's OTLP attributes become in GET /v1/projects/{id}/spans, including the cases that differ
// from the attributes as sent.
import { strict as assert } from 'node:assert';
import {
  apiSpanAttributes,
  flatten,
  storedSpanAttributes,
  unflatten,
} from '../../support/fake-phoenix/phoenix-attributes';
import { fromGlobalId, globalId, isoMicros, parseIsoMicros } from '../../support/fake-phoenix/phoenix-ids';
import { PhoenixStore } from '../../support/fake-phoenix/phoenix-store';

function roundTrip(attributes: Record<string, unknown>): Record<string, unknown> {
  return apiSpanAttributes(storedSpanAttributes(attributes as never)).attributes;
}

describe('fake Phoenix: span attribute rules', () => {
  it('keeps OpenInference message keys, turning indexed keys into arrays of objects and back', () => {
    const stored = storedSpanAttributes({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'hi',
      'openinference.span.kind': 'LLM',
    });
    assert.deepEqual(stored, {
      llm: { input_messages: [{ message: { role: 'user', content: 'hi' } }] },
      openinference: { span: { kind: 'LLM' } },
    });
    assert.deepEqual(apiSpanAttributes(stored), {
      attributes: { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'hi' },
      spanKind: 'LLM',
    });
  });

  it('compacts sparse indices, keeps a trailing number as an object key and arrays of primitives as arrays', () => {
    assert.deepEqual(
      roundTrip({ 'llm.output_messages.1.message.role': 'assistant', 'llm.output_messages.3.message.role': 'tool' }),
      { 'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.1.message.role': 'tool' },
    );
    assert.deepEqual(
      unflatten([
        ['tags.0', 'a'],
        ['tags.1', 'b'],
      ]),
      { tags: { 0: 'a', 1: 'b' } },
    );
    assert.deepEqual(roundTrip({ 'tag.tags': ['x', 'y'], 'tags.0': 'a' }), { 'tag.tags': ['x', 'y'], 'tags.0': 'a' });
  });

  it('JSON-parses metadata and tool.parameters into dotted keys; a JSON null drops the key; token counts become ints', () => {
    assert.deepEqual(
      roundTrip({
        metadata: '{"team":{"name":"search"},"n":[1,2]}',
        'tool.parameters': '{"type":"object"}',
        'llm.prompt_template.variables': 'null',
        'llm.token_count.prompt': '12',
      }),
      {
        'metadata.team.name': 'search',
        'metadata.n': [1, 2],
        'tool.parameters.type': 'object',
        'llm.token_count.prompt': 12,
      },
    );
    assert.deepEqual(roundTrip({ metadata: 'not json' }), { metadata: 'not json' });
  });

  it('a non-string input.value becomes its Python JSON text with the JSON mime type; a missing kind is UNKNOWN', () => {
    const stored = storedSpanAttributes({ 'input.value': [1, 'é'] });
    assert.deepEqual(stored, { input: { value: '[1, "\\u00e9"]', mime_type: 'application/json' } });
    assert.equal(apiSpanAttributes(stored).spanKind, 'UNKNOWN');
  });

  it('a value next to deeper keys keeps both (Phoenix keeps the dotted key)', () => {
    assert.deepEqual(
      [
        ...flatten(
          unflatten([
            ['a', 1],
            ['a.b', 2],
          ]),
        ),
      ],
      [
        ['a', 1],
        ['a.b', 2],
      ],
    );
  });

  it('span kinds as Phoenix reads them: any case of a known kind; an unknown lower-case kind loses the rest of the request', () => {
    const span = (id: string, kind: string): Record<string, unknown> => ({
      traceId: '0123456789abcdef0123456789abcdef',
      spanId: id,
      name: `s-${id}`,
      startTimeUnixNano: '1000',
      endTimeUnixNano: '2000',
      attributes: [{ key: 'openinference.span.kind', value: { stringValue: kind } }],
    });
    const store = new PhoenixStore();
    const stored = store.ingestRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span('0000000000000001', 'llm'),
                span('0000000000000002', 'CUSTOM'),
                span('0000000000000003', 'custom'),
                span('0000000000000004', 'TOOL'),
              ],
            },
          ],
        },
      ],
    });
    assert.equal(stored, 2);
    assert.deepEqual(
      store.spans.map((s) => s.spanKind),
      ['LLM', 'UNKNOWN'],
    );
    assert.equal(store.ingestErrors.length, 1);
    assert.match(
      store.ingestErrors[0],
      /^span "s-0000000000000003": openinference.span.kind "custom" is not a Phoenix span kind; Phoenix fails to decode it and drops it with the rest of its request/,
    );
  });

  it('GlobalIDs and times as Phoenix writes them', () => {
    assert.equal(globalId('Project', 1), 'UHJvamVjdDox');
    assert.equal(fromGlobalId('UHJvamVjdDox', 'Project'), 1);
    assert.equal(fromGlobalId('UHJvamVjdDox', 'Span'), undefined);
    assert.equal(fromGlobalId('default', 'Project'), undefined);
    assert.equal(isoMicros(1_795_643_494_696_000), '2026-11-25T21:51:34.696000+00:00');
    assert.equal(isoMicros(1_795_643_494_000_000), '2026-11-25T21:51:34+00:00');
    assert.equal(parseIsoMicros('2026-11-25T21:51:34.696Z'), 1_795_643_494_696_000);
    assert.equal(parseIsoMicros('2026-11-25T22:51:34.696+01:00'), 1_795_643_494_696_000);
    assert.equal(parseIsoMicros('yesterday'), undefined);
  });
});
