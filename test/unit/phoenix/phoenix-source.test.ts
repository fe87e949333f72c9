// A Phoenix project as a trace source, over real HTTP against the fake Phoenix (answers validated
// against Phoenix's OpenAPI document): list paging and summaries, the list TTL and refresh, the
// store cache, and every recorded OpenInference fixture read back from Phoenix normalizing to the
// same LLM calls as the same spans imported locally over OTLP.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeTrace } from '../../../src/core/normalize/assemble-trace';
import { MemoryPhoenixCache } from '../../../src/core/sources/phoenix/phoenix-cache';
import { PhoenixClient } from '../../../src/core/sources/phoenix/phoenix-client';
import { PhoenixAuthError, PhoenixTraceGoneError } from '../../../src/core/sources/phoenix/phoenix-errors';
import { PhoenixTraceSource } from '../../../src/core/sources/phoenix/phoenix-source';
import { TraceStore } from '../../../src/core/store/trace-store';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { importFixtureLocally, JS_FIXTURES, llmCallsOf, openPhoenix, PYTHON_FIXTURES } from './phoenix-test-helpers';

const SINGLE = join(PYTHON_FIXTURES, 'openinference-openai-single.json');
const CHAIN = join(PYTHON_FIXTURES, 'openinference-anthropic-chain.json');
const AGENT = join(JS_FIXTURES, 'openinference-openai-agent.json');

function clientFor(server: FakePhoenixServer, apiKey = server.apiKey): PhoenixClient {
  return new PhoenixClient({
    name: 'default',
    baseUrl: server.baseUrl,
    project: 'default',
    ...(apiKey ? { apiKey } : {}),
  });
}

/** Ingests fixtures oldest first, as traces arrive. (Phoenix's own cursor is a row id while the
 *  order is the start time, so the source pages by start time itself; traces arriving out of time
 *  order are listed once each: test/unit/phoenix-cli/phoenix-replay-cli.test.ts.) */
function ingestInTimeOrder(server: FakePhoenixServer, paths: string[]): void {
  for (const o of newestFirst(paths).reverse()) server.ingestOtlpFile(o.path);
}

/** The fixtures' traces, newest first (Phoenix's order). */
function newestFirst(paths: string[]): { id: string; path: string; start: number }[] {
  return paths
    .map((path) => {
      const t = importFixtureLocally(path);
      return { id: t.id, path, start: t.startTime };
    })
    .sort((a, b) => b.start - a.start);
}

describe('Phoenix trace source', () => {
  let server: FakePhoenixServer;
  beforeEach(async () => {
    server = await startFakePhoenix();
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], "requests and answers match Phoenix's OpenAPI document");
    await server.close();
  });

  it("lists a project's traces newest first with cursor paging, summaries as a local import gives, two requests per page", async () => {
    ingestInTimeOrder(server, [SINGLE, CHAIN, AGENT]);
    const order = newestFirst([SINGLE, CHAIN, AGENT]);
    const session = await openPhoenix(server);
    assert.equal(session.sourceId, 'phoenix');
    assert.match(session.label, /^Arize Phoenix \(127\.0\.0\.1:\d+ \/ default\)$/);
    const first = await session.traces.listTraces({ limit: 2 });
    assert.deepEqual(
      first.traces.map((t) => t.id),
      order.slice(0, 2).map((o) => o.id),
    );
    assert.ok(first.nextCursor);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/v1/projects/default/traces', '/v1/projects/default/spans'],
    );
    const [traces, spans] = server.requests;
    assert.equal(traces.query.get('include_spans'), 'true');
    assert.equal(traces.query.get('order'), 'desc');
    assert.equal(traces.query.get('limit'), '2');
    assert.deepEqual(
      spans.query.getAll('trace_id'),
      order.slice(0, 2).map((o) => o.id),
    );
    assert.deepEqual(spans.query.getAll('span_kind'), ['LLM']);

    const second = await session.traces.listTraces({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.traces.map((t) => t.id),
      [order[2].id],
    );
    assert.equal(second.nextCursor, undefined);

    for (const s of [...first.traces, ...second.traces]) {
      const local = summarizeTrace(importFixtureLocally(order.find((o) => o.id === s.id)!.path), 0);
      assert.equal(s.name, local.name);
      assert.equal(s.spanCount, local.spanCount);
      assert.equal(s.llmSpanCount, local.llmSpanCount);
      assert.deepEqual(s.models, local.models);
      assert.equal(s.inputTokens, local.inputTokens);
      assert.equal(s.outputTokens, local.outputTokens);
      assert.equal(Math.round(s.startTime), Math.round(local.startTime));
    }
  });

  it('filters by time range through the API and by name/model on the page', async () => {
    ingestInTimeOrder(server, [SINGLE, CHAIN, AGENT]);
    const order = newestFirst([SINGLE, CHAIN, AGENT]);
    const session = await openPhoenix(server);
    const page = await session.traces.listTraces({ filter: { since: order[1].start, until: order[0].start } });
    assert.deepEqual(
      page.traces.map((t) => t.id),
      [order[1].id],
    );
    assert.equal(server.requests[0].query.get('start_time'), new Date(order[1].start).toISOString());
    const chain = summarizeTrace(importFixtureLocally(CHAIN), 0);
    const model = await session.traces.listTraces({ filter: { model: chain.models[0] } });
    assert.deepEqual(
      model.traces.map((t) => t.id),
      [chain.id],
    );
    const named = await session.traces.listTraces({ filter: { text: chain.models[0].slice(0, 6) } });
    assert.deepEqual(
      named.traces.map((t) => t.id),
      [chain.id],
    );
  });

  it('serves a list page for the TTL, then asks again; refresh and refreshList force', async () => {
    server.ingestOtlpFile(SINGLE);
    let now = new Date('2026-01-01T00:00:00Z');
    const source = new PhoenixTraceSource(clientFor(server), { listTtlSeconds: 60, now: () => now });
    assert.equal((await source.listTraces()).traces.length, 1);
    server.ingestOtlpFile(CHAIN);
    let n = server.requests.length;
    assert.equal((await source.listTraces()).traces.length, 1, 'within the TTL: the cached page');
    // The first cache hit checks the key and project once; nothing else is asked.
    assert.deepEqual(
      server.requests.slice(n).map((r) => r.path),
      ['/v1/projects/default'],
    );
    n = server.requests.length;
    assert.equal((await source.listTraces()).traces.length, 1);
    assert.equal(server.requests.length, n, 'checked once per client');
    now = new Date(now.getTime() + 61_000);
    assert.equal((await source.listTraces()).traces.length, 2, 'after the TTL: asked again');
    server.ingestOtlpFile(AGENT);
    assert.equal((await source.listTraces({ refresh: true })).traces.length, 3);
    await source.refreshList();
    n = server.requests.length;
    await source.listTraces();
    assert.ok(server.requests.length > n, 'refreshList forgets the cached pages');

    const always = new PhoenixTraceSource(clientFor(server), { listTtlSeconds: 0, now: () => now });
    await always.listTraces();
    n = server.requests.length;
    await always.listTraces();
    assert.equal(server.requests.length, n + 2, 'TTL 0 always asks');

    // A call's own TTL (the CLI's --list-ttl) wins over the source's.
    n = server.requests.length;
    await source.listTraces();
    assert.equal(server.requests.length, n, 'the source TTL serves the cached page');
    await source.listTraces({ listTtlSeconds: 0 });
    assert.equal(server.requests.length, n + 2, '--list-ttl 0 asks at once');
  });

  it('keeps read traces and list pages in the store cache; a second session is served from it after one credentials check', async () => {
    server.ingestOtlpFile(CHAIN);
    const id = newestFirst([CHAIN])[0].id;
    const dir = await mkdtemp(join(tmpdir(), 'px-cache-'));
    const store = await TraceStore.open(dir);
    try {
      const session = await openPhoenix(server, { store });
      const first = await session.traces.getTrace(id);
      assert.ok(first);
      const page = await session.traces.listTraces();
      const n = server.requests.length;
      const again = await openPhoenix(server, { store });
      assert.deepEqual(await again.traces.getTrace(id), first);
      assert.deepEqual(await again.traces.listTraces(), page);
      assert.deepEqual(
        server.requests.slice(n).map((r) => r.path),
        ['/v1/projects/default'],
        'only the credentials check',
      );
      await again.traces.getTrace(id, { refresh: true });
      assert.equal(server.requests.at(-1)?.path, '/v1/projects/default/spans');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never serves a cached page or trace past a wrong key', async () => {
    const keyed = await startFakePhoenix({ apiKey: 'right-key' });
    try {
      keyed.ingestOtlpFile(SINGLE);
      const id = newestFirst([SINGLE])[0].id;
      const cache = new MemoryPhoenixCache();
      const good = new PhoenixTraceSource(clientFor(keyed, 'right-key'), { cache });
      await good.listTraces();
      await good.getTrace(id);
      const wrong = new PhoenixTraceSource(clientFor(keyed, 'wrong-key'), { cache });
      await assert.rejects(
        wrong.listTraces(),
        (e: unknown) => e instanceof PhoenixAuthError && e.code === 'UNAUTHORIZED' && !e.message.includes('wrong-key'),
      );
      await assert.rejects(wrong.getTrace(id), PhoenixAuthError);
      assert.deepEqual(keyed.violations, []);
    } finally {
      await keyed.close();
    }
  });

  it('says a trace is gone when Phoenix has no span of it', async () => {
    const session = await openPhoenix(server);
    assert.equal(await session.traces.getTrace('0123456789abcdef0123456789abcdef'), undefined);
    await assert.rejects(
      session.traces.requireTrace('0123456789abcdef0123456789abcdef'),
      (e: unknown) =>
        e instanceof PhoenixTraceGoneError &&
        e.code === 'TRACE_GONE' &&
        /not in the Phoenix project "default"/.test(e.message),
    );
  });

  describe('reads every recorded OpenInference fixture back to the LLM calls of a local OTLP import', () => {
    const files = [
      ...readdirSync(PYTHON_FIXTURES)
        .filter((f) => f.startsWith('openinference-'))
        .map((f) => join(PYTHON_FIXTURES, f)),
      ...readdirSync(JS_FIXTURES)
        .filter((f) => f.startsWith('openinference-'))
        .map((f) => join(JS_FIXTURES, f)),
    ];
    for (const path of files) {
      it(path.split('/fixtures/')[1], async () => {
        const local = importFixtureLocally(path);
        server.ingestOtlpFile(path);
        const session = await openPhoenix(server);
        const remote = await session.traces.requireTrace(local.id);
        assert.ok(Object.keys(llmCallsOf(local)).length > 0);
        assert.deepEqual(llmCallsOf(remote), llmCallsOf(local));
        assert.deepEqual(
          remote.spans.map((s) => [s.id, s.parentId, s.name, s.kind]),
          local.spans.map((s) => [s.id, s.parentId, s.name, s.kind]),
        );
        assert.deepEqual(
          remote.spans.map((s) => s.warnings),
          local.spans.map((s) => s.warnings),
        );
      });
    }
  });
});
