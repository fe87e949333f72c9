// Write-back of a replayed trace over OTLP, and the end-to-end flow within core:
// list -> getTrace -> (a replayed copy) -> write back -> Langfuse's scores of the written trace.
import { strict as assert } from 'node:assert';
import type { Trace } from '../../../src/core/model/trace';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import { otlpSpanId, otlpTraceId } from '../../../src/core/otlp/encode-otlp-json';
import { fetchLangfuseScores } from '../../../src/core/sources/langfuse/langfuse-scores';
import { LangfuseTraceSource } from '../../../src/core/sources/langfuse/langfuse-source';
import { buildWritebackBody, writeBackTrace } from '../../../src/core/sources/langfuse/langfuse-writeback';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { clientFor, fake } from './langfuse-test-helpers';

/** What the replay engine produces, reduced to what write-back reads: new ids, replayOf, a new model. */
function replayed(original: Trace): Trace {
  const id = 'f'.repeat(32);
  const spans = original.spans.map((s) => {
    const copy = {
      ...s,
      id: otlpSpanId(`replay/${s.id}`),
      traceId: id,
      parentId: s.parentId ? otlpSpanId(`replay/${s.parentId}`) : undefined,
    };
    if (!copy.parentId) delete copy.parentId;
    if (s.llm) {
      copy.llm = {
        ...s.llm,
        requestModel: 'gpt-4.1-mini',
        responseModel: 'gpt-4.1-mini-2025',
        parameters: { temperature: 0 },
        usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 20, inputIncludesCache: true },
        costUsd: 0.0001,
        prompt: { name: 'weather-system', version: '4', source: 'langfuse' },
      };
      copy.attributes = { 'trace_replay.original_span_id': s.id };
      copy.replay = { originalSpanId: s.id, status: 'replayed', warnings: [] };
    } else {
      copy.replay = { originalSpanId: s.id, status: 'reused', warnings: [] };
    }
    return copy;
  });
  return { ...original, id, spans, replayOf: { originalTraceId: original.id, replayId: 'job-1' } };
}

describe('Langfuse write-back', () => {
  let server: FakeLangfuseServer;
  beforeEach(async () => {
    server = await fake();
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], 'OTLP body and answers match the OpenAPI document');
    await server.close();
  });

  it('builds an OTLP body with langfuse.observation.* attributes and the link to the original', async () => {
    const original = (await new LangfuseTraceSource(clientFor(server)).getTrace('trace-1'))!;
    const body = buildWritebackBody(replayed(original), { tags: ['model-swap'] });
    const decoded = decodeOtlpJson(JSON.parse(JSON.stringify(body)));
    assert.deepEqual(decoded.rejected, []);
    assert.equal(decoded.spans.length, 4);
    const byOriginal = new Map(
      decoded.spans.map((s) => [s.attributes['langfuse.observation.metadata.original_span_id'], s]),
    );
    const root = byOriginal.get('trace-1-root')!;
    assert.equal(root.traceId, 'f'.repeat(32));
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.attributes['langfuse.observation.type'], 'agent');
    assert.equal(root.attributes['langfuse.trace.name'], 'odd-agent');
    assert.deepEqual(root.attributes['langfuse.trace.tags'], ['trace-replay', 'model-swap']);
    assert.equal(root.attributes['langfuse.trace.metadata.replay_of'], 'trace-1');
    assert.equal(root.attributes['langfuse.trace.metadata.replay_id'], 'job-1');

    const gen = byOriginal.get('trace-1-gen1')!;
    assert.equal(gen.parentSpanId, root.spanId);
    const a = gen.attributes;
    assert.equal(a['langfuse.observation.type'], 'generation');
    assert.equal(a['langfuse.observation.model.name'], 'gpt-4.1-mini-2025');
    assert.deepEqual(JSON.parse(a['langfuse.observation.usage_details'] as string), {
      input: 80,
      output: 10,
      cache_read_input_tokens: 20,
      total: 110,
    });
    assert.deepEqual(JSON.parse(a['langfuse.observation.cost_details'] as string), { total: 0.0001 });
    assert.deepEqual(JSON.parse(a['langfuse.observation.model.parameters'] as string), { temperature: 0 });
    assert.equal(a['langfuse.observation.prompt.name'], 'weather-system');
    assert.equal(a['langfuse.observation.prompt.version'], 4);
    assert.equal(a['langfuse.observation.metadata.replay_status'], 'replayed');
    const input = JSON.parse(a['langfuse.observation.input'] as string) as {
      messages: unknown[];
      tools: { function: { name: string } }[];
    };
    assert.deepEqual(input.messages, [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
    assert.equal(input.tools[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(a['langfuse.observation.output'] as string), {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    const answer = byOriginal.get('trace-1-gen2')!.attributes;
    const answerInput = JSON.parse(answer['langfuse.observation.input'] as string) as Record<string, unknown>[];
    assert.deepEqual(answerInput.at(-1), { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny, 24 C' });

    const tool = byOriginal.get('trace-1-tool')!.attributes;
    assert.equal(tool['langfuse.observation.type'], 'tool');
    assert.equal(tool['langfuse.observation.input'], '{"city":"Paris"}');
    assert.equal(tool['langfuse.observation.output'], '"sunny, 24 C"');
  });

  it('end to end: list -> getTrace -> write back -> scores Langfuse attached to the written trace', async () => {
    const client = clientFor(server);
    const source = new LangfuseTraceSource(client);
    const page = await source.listTraces({ limit: 1 });
    const original = (await source.getTrace(page.traces[0].id))!;
    assert.equal(original.id, 'trace-4');
    const replay = replayed(original);
    const result = await writeBackTrace(client, replay);
    assert.deepEqual(result, { langfuseTraceId: otlpTraceId(replay.id), spanCount: 4 });
    assert.equal(server.otlpBodies.length, 1);
    const post = server.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.path, '/api/public/otel/v1/traces');
    const spans = decodeOtlpJson(server.otlpBodies[0]).spans;
    assert.ok(spans.every((s) => s.traceId === result.langfuseTraceId));

    // Langfuse's evaluators score the written trace later; we read them next to ours.
    server.scores.push({
      id: 'ev1',
      projectId: 'project-1',
      name: 'correctness',
      source: 'EVAL',
      dataType: 'NUMERIC',
      value: 1,
      timestamp: '2026-03-01T11:00:00.000Z',
      environment: 'default',
      createdAt: '2026-03-01T11:00:00.000Z',
      updatedAt: '2026-03-01T11:00:00.000Z',
      subject: { kind: 'trace', id: result.langfuseTraceId },
    });
    assert.deepEqual(await fetchLangfuseScores(client, result.langfuseTraceId), [
      { name: 'correctness', value: 1, source: 'langfuse:eval', target: { traceId: result.langfuseTraceId } },
    ]);
  });
});
