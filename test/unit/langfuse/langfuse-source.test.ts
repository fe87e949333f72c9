// Langfuse as a trace source against the fake server (answers validated against the OpenAPI file):
// list paging and filters, field-by-field mapping of a trace, and the cache.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeLangfuseCache } from '../../../src/core/sources/langfuse/langfuse-cache';
import { TraceGoneError } from '../../../src/core/sources/langfuse/langfuse-errors';
import { LangfuseTraceSource } from '../../../src/core/sources/langfuse/langfuse-source';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../../support/fake-langfuse/langfuse-fixtures';
import { clientFor, fake, T0 } from './langfuse-test-helpers';

describe('Langfuse trace source', () => {
  let server: FakeLangfuseServer;
  beforeEach(async () => {
    server = await fake();
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], 'fake answers match the OpenAPI document');
    await server.close();
  });

  it('lists traces newest first from root observations, with cursor paging and summaries', async () => {
    const source = new LangfuseTraceSource(clientFor(server));
    assert.equal(source.id, 'langfuse');
    assert.match(source.label, /^Langfuse \(127\.0\.0\.1:\d+\)$/);
    const first = await source.listTraces({ limit: 2 });
    assert.deepEqual(
      first.traces.map((t) => t.id),
      ['trace-4', 'trace-3'],
    );
    assert.ok(first.nextCursor);
    const s = first.traces[0];
    assert.equal(s.name, 'weather-agent');
    assert.equal(s.startTime, T0 + 4 * 60_000);
    assert.equal(s.durationMs, 3000);
    assert.equal(s.spanCount, 4);
    assert.equal(s.llmSpanCount, 2);
    assert.deepEqual(s.models.sort(), ['claude-haiku-4-5', 'gpt-4o-mini']);
    assert.equal(s.inputTokens, 130);
    assert.equal(s.outputTokens, 21);
    assert.ok(Math.abs((s.costUsd ?? 0) - 0.00035) < 1e-12);
    assert.deepEqual(s.promptNames, ['weather-system']);
    // Only the groups a list needs, and the first call asks for root observations only.
    const [roots, window] = server.requests;
    assert.equal(roots.query.get('fields'), 'core,basic,trace_context');
    assert.equal(roots.query.get('isRootObservation'), 'true');
    assert.equal(roots.query.get('limit'), '2');
    assert.equal(window.query.get('fields'), 'core,model,usage,prompt');
    assert.equal(server.requests.length, 2);

    const second = await source.listTraces({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.traces.map((t) => t.id),
      ['trace-2', 'trace-1'],
    );
    const third = await source.listTraces({ limit: 2, cursor: second.nextCursor });
    assert.deepEqual(
      third.traces.map((t) => t.id),
      ['trace-0'],
    );
    assert.equal(third.nextCursor, undefined);
  });

  it('passes time range, name and Langfuse filters to the API and narrows by model locally', async () => {
    const source = new LangfuseTraceSource(clientFor(server));
    const page = await source.listTraces({ filter: { since: T0 + 60_000, until: T0 + 3 * 60_000 } });
    assert.deepEqual(
      page.traces.map((t) => t.id),
      ['trace-2', 'trace-1'],
    );
    assert.equal(server.requests[0].query.get('fromStartTime'), new Date(T0 + 60_000).toISOString());
    assert.equal(server.requests[0].query.get('toStartTime'), new Date(T0 + 3 * 60_000).toISOString());
    const byType = await source.listTraces({ langfuse: { type: 'AGENT', traceId: 'trace-3' } });
    assert.deepEqual(
      byType.traces.map((t) => t.id),
      ['trace-3'],
    );
    const noSpan = await source.listTraces({ langfuse: { type: 'SPAN' } });
    assert.deepEqual(noSpan.traces, []);
    const byModel = await source.listTraces({ filter: { model: 'nope' } });
    assert.deepEqual(byModel.traces, []);
    const byName = await source.listTraces({ filter: { name: 'agent' } });
    assert.equal(byName.traces.length, 5);
  });

  it('maps a trace field by field: generation with tool calls, tool observation, Anthropic-style generation', async () => {
    const source = new LangfuseTraceSource(clientFor(server));
    const trace = (await source.getTrace('trace-1'))!;
    const fields = server.requests[0].query.get('fields')!.split(',');
    for (const g of ['io', 'model', 'usage', 'metadata', 'prompt']) assert.ok(fields.includes(g), g);
    assert.equal(server.requests[0].query.get('traceId'), 'trace-1');
    assert.equal(trace.id, 'trace-1');
    assert.equal(trace.name, 'odd-agent');
    assert.deepEqual(
      trace.spans.map((s) => [s.id, s.kind, s.parentId]),
      [
        ['trace-1-root', 'agent', undefined],
        ['trace-1-gen1', 'llm', 'trace-1-root'],
        ['trace-1-tool', 'tool', 'trace-1-root'],
        ['trace-1-gen2', 'llm', 'trace-1-root'],
      ],
    );
    const root = trace.spans[0];
    assert.deepEqual(root.io, { input: { question: 'Weather in Paris?' }, output: 'It is sunny in Paris.' });
    assert.deepEqual(root.attributes['langfuse.trace.tags'], ['prod']);

    const plan = trace.spans[1];
    assert.equal(plan.startTime, T0 + 60_000 + 100);
    assert.equal(plan.endTime, T0 + 60_000 + 900);
    const llm = plan.llm!;
    assert.equal(llm.requestModel, 'gpt-4o-mini');
    assert.deepEqual(llm.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'You are a weather bot.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    ]);
    assert.deepEqual(llm.tools, [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    assert.deepEqual(llm.output.toolCalls, [
      { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    assert.equal(llm.output.text, '');
    assert.deepEqual(llm.parameters, { temperature: 0.2, maxTokens: 256, topP: 0.9 });
    assert.equal(llm.toolChoice, 'auto');
    assert.deepEqual(llm.usage, {
      inputTokens: 80,
      outputTokens: 12,
      totalTokens: 112,
      cacheReadTokens: 20,
      inputIncludesCache: false,
    });
    assert.equal(llm.costUsd, 0.00015);
    assert.deepEqual(llm.prompt, { name: 'weather-system', version: '3', source: 'langfuse' });
    assert.equal(llm.timeToFirstTokenMs, 250);
    assert.equal(plan.attributes['langfuse.observation.metadata.team'], 'search');

    const tool = trace.spans[2];
    assert.equal(tool.toolName, 'get_weather');
    assert.deepEqual(tool.io, { input: { city: 'Paris' }, output: 'sunny, 24 C' });

    const answer = trace.spans[3].llm!;
    assert.equal(answer.requestModel, 'claude-haiku-4-5');
    assert.deepEqual(
      answer.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'tool'],
      'the Anthropic-style tool result (a user turn) is a tool message',
    );
    assert.deepEqual(answer.messages[2].parts, [
      { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    assert.deepEqual(answer.messages[3].parts, [
      { type: 'tool_result', toolCallId: 'toolu_1', content: 'sunny, 24 C' },
    ]);
    assert.equal(answer.output.text, 'It is sunny in Paris.');
    assert.deepEqual(answer.usage, {
      inputTokens: 50,
      outputTokens: 9,
      totalTokens: 169,
      cacheReadTokens: 100,
      cacheWriteTokens: 10,
      inputIncludesCache: false,
    });
    assert.deepEqual(answer.parameters, { maxTokens: 512 });
    for (const s of trace.spans) assert.equal(s.warnings, undefined, s.id);
  });

  it('reads the model from providedModelName when the server sends that name', async () => {
    await server.close();
    server = await fake({ modelField: 'providedModelName' });
    const trace = (await new LangfuseTraceSource(clientFor(server)).getTrace('trace-0'))!;
    assert.equal(trace.spans.find((s) => s.id === 'trace-0-gen1')!.llm!.requestModel, 'gpt-4o-mini');
  });

  it('reads every page of a large trace and keeps arbitrary ids as they are', async () => {
    await server.close();
    server = await fake({ observations: agentTrace('My Trace/Ω', T0) });
    const source = new LangfuseTraceSource(clientFor(server), { tracePageSize: 3 });
    const trace = (await source.getTrace('My Trace/Ω'))!;
    assert.equal(trace.id, 'My Trace/Ω');
    assert.equal(trace.spans.length, 4);
    assert.equal(server.requests.length, 2);
    assert.ok(server.requests[1].query.get('cursor'));
  });

  it('serves a trace and a list page from the store cache until refreshed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lf-cache-'));
    const store = await TraceStore.open(dir);
    try {
      const cache = await storeLangfuseCache(store);
      const source = new LangfuseTraceSource(clientFor(server), { cache });
      const first = await source.getTrace('trace-2');
      let n = server.requests.length;
      // A second source on the same store (a new session) is served from the cache too.
      // Its first cache hit checks the key pair (one GET /api/public/projects), nothing more.
      const again = new LangfuseTraceSource(clientFor(server), { cache: await storeLangfuseCache(store) });
      assert.deepEqual(await again.getTrace('trace-2'), first);
      assert.deepEqual(
        server.requests.slice(n).map((r) => r.path),
        ['/api/public/projects'],
        'no second fetch',
      );
      n++;
      await source.getTrace('trace-2', { refresh: true });
      assert.equal(server.requests.length, n + 1);

      const page = await source.listTraces({ limit: 2 });
      const m = server.requests.length;
      assert.deepEqual(await again.listTraces({ limit: 2 }), page);
      assert.equal(server.requests.length, m);
      await source.refreshList();
      await source.listTraces({ limit: 2 });
      assert.equal(server.requests.length, m + 2);
      assert.ok((await (await store.collection('langfuse-cache')).listIds()).length >= 2);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns undefined for an unknown trace and requireTrace names what to check', async () => {
    const source = new LangfuseTraceSource(clientFor(server));
    assert.equal(await source.getTrace('missing'), undefined);
    await assert.rejects(source.requireTrace('missing'), (err: unknown) => {
      assert.ok(err instanceof TraceGoneError);
      assert.equal(err.code, 'TRACE_GONE');
      assert.match(
        err.message,
        /^Trace missing is not in Langfuse at http:\/\/127\.0\.0\.1:\d+ \(deleted, or outside the project's retention window\)/,
      );
      return true;
    });
  });
});
