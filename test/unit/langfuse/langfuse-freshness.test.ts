// Langfuse lists that stay fresh and keys that fail loudly, against the fake server over real HTTP
// with an injected clock: a cached list page is served for listTtlSeconds, then read again (a trace
// added meanwhile appears); --refresh / TTL 0 always ask; a read trace stays cached; and before
// anything is served from the cache the key pair is checked, once per client.
import { strict as assert } from 'node:assert';
import { LangfuseClient } from '../../../src/core/sources/langfuse/langfuse-client';
import { MemoryLangfuseCache } from '../../../src/core/sources/langfuse/langfuse-cache';
import { langfuseConnection } from '../../../src/core/sources/langfuse/langfuse-config';
import { LangfuseAuthError, LangfuseUrlError } from '../../../src/core/sources/langfuse/langfuse-errors';
import {
  DEFAULT_LIST_TTL_SECONDS,
  LangfuseTraceSource,
  type LangfuseSourceOptions,
} from '../../../src/core/sources/langfuse/langfuse-source';
import { SourceListing } from '../../../src/extension/sources/source-listing';
import type { FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { agentTrace, observation } from '../../support/fake-langfuse/langfuse-fixtures';
import { clientFor, fake, T0 } from './langfuse-test-helpers';

const OBSERVATIONS = '/api/public/v2/observations';
const PROJECTS = '/api/public/projects';

describe('Langfuse freshness: list TTL and credential checks', () => {
  let server: FakeLangfuseServer;
  let nowMs: number;
  let cache: MemoryLangfuseCache;
  const now = (): Date => new Date(nowMs);
  const count = (path: string): number => server.requests.filter((r) => r.path === path).length;
  const source = (
    options: LangfuseSourceOptions = {},
    client: LangfuseClient = clientFor(server),
  ): LangfuseTraceSource => new LangfuseTraceSource(client, { cache, now, ...options });
  const ids = async (
    src: LangfuseTraceSource,
    options: Parameters<LangfuseTraceSource['listTraces']>[0] = {},
  ): Promise<string[]> => (await src.listTraces(options)).traces.map((t) => t.id);
  const addTrace = (id: string, minutes: number): void => {
    server.observations.push(...agentTrace(id, T0 + minutes * 60_000));
  };

  beforeEach(async () => {
    server = await fake();
    nowMs = T0 + 3_600_000;
    cache = new MemoryLangfuseCache();
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], 'fake answers match the OpenAPI document');
    await server.close();
  });

  it('serves a cached page within the TTL and reads it again after, so a new trace appears', async () => {
    assert.equal(DEFAULT_LIST_TTL_SECONDS, 60);
    const src = source();
    assert.deepEqual(await ids(src, { limit: 3 }), ['trace-4', 'trace-3', 'trace-2']);
    addTrace('trace-new', 10);
    const asked = count(OBSERVATIONS);
    nowMs += 59_000;
    assert.deepEqual(
      await ids(src, { limit: 3 }),
      ['trace-4', 'trace-3', 'trace-2'],
      'within the TTL: the cached page',
    );
    assert.equal(count(OBSERVATIONS), asked);
    nowMs += 1_000;
    assert.deepEqual(await ids(src, { limit: 3 }), ['trace-new', 'trace-4', 'trace-3'], 'after the TTL: read again');
    assert.ok(count(OBSERVATIONS) > asked);
    // The page read again is cached from now on.
    const reread = count(OBSERVATIONS);
    nowMs += 30_000;
    await src.listTraces({ limit: 3 });
    assert.equal(count(OBSERVATIONS), reread);
  });

  it('takes the TTL from the source option and from the call', async () => {
    const long = source({ listTtlSeconds: 3600 });
    await long.listTraces();
    addTrace('trace-new', 10);
    nowMs += 600_000;
    assert.ok(!(await ids(long)).includes('trace-new'), 'a 1 h TTL still serves the 10 min old page');
    assert.equal((await ids(long, { listTtlSeconds: 300 }))[0], 'trace-new', "the call's TTL wins");
    assert.throws(() => source({ listTtlSeconds: -1 }), RangeError);
  });

  it('asks again on refresh, and every time with TTL 0', async () => {
    const src = source();
    await src.listTraces();
    addTrace('trace-new', 10);
    assert.equal((await ids(src, { refresh: true }))[0], 'trace-new', 'refresh forces a read within the TTL');

    const always = source({ listTtlSeconds: 0 });
    const before = count(OBSERVATIONS);
    await always.listTraces();
    const one = count(OBSERVATIONS) - before;
    assert.ok(one >= 1);
    addTrace('trace-newer', 20);
    assert.equal((await ids(always))[0], 'trace-newer', 'TTL 0: the same instant, asked again');
    assert.equal(count(OBSERVATIONS) - before, 2 * one);
    assert.equal((await ids(src, { listTtlSeconds: 0 }))[0], 'trace-newer');
  });

  it('keeps a read trace cached past the list TTL until refreshed', async () => {
    const src = source({ listTtlSeconds: 0 });
    const first = (await src.getTrace('trace-1'))!;
    assert.equal(first.spans.length, 4);
    server.observations.push(
      observation({
        id: 'trace-1-late',
        traceId: 'trace-1',
        parentObservationId: 'trace-1-root',
        type: 'SPAN',
        startTime: new Date(T0 + 60_000 + 2950).toISOString(),
      }),
    );
    const asked = count(OBSERVATIONS);
    nowMs += 24 * 3_600_000;
    assert.deepEqual(await src.getTrace('trace-1'), first);
    assert.equal(count(OBSERVATIONS), asked, 'no read of the trace');
    assert.equal((await src.getTrace('trace-1', { refresh: true }))!.spans.length, 5);
  });

  it('fails with LangfuseAuthError on a wrong key even when the page and the trace are cached', async () => {
    const good = source();
    const page = await good.listTraces();
    await good.getTrace('trace-2');
    const wrong = source({}, clientFor(server, [], { publicKey: server.publicKey, secretKey: 'sk-lf-wrong' }));
    const asked = count(OBSERVATIONS);
    await assert.rejects(wrong.listTraces(), (err: unknown) => {
      assert.ok(err instanceof LangfuseAuthError);
      assert.equal(err.code, 'UNAUTHORIZED');
      assert.doesNotMatch(err.message, /sk-lf-wrong|sk-lf-test/);
      return true;
    });
    await assert.rejects(wrong.getTrace('trace-2'), LangfuseAuthError);
    await assert.rejects(wrong.requireTrace('trace-2'), LangfuseAuthError);
    assert.equal(count(OBSERVATIONS), asked, 'only the key check was sent');
    assert.equal(count(PROJECTS), 3, 'a failed check is not remembered: each cache hit asks again');
    // The right key still gets the cached page.
    assert.deepEqual(await good.listTraces(), page);
  });

  it('checks the key pair once per client, and not at all after a request already succeeded', async () => {
    const warm = source();
    await warm.listTraces();
    await warm.getTrace('trace-3');
    await warm.listTraces();
    assert.equal(count(PROJECTS), 0, 'the reads themselves proved the keys');

    const client = clientFor(server);
    const cold = source({}, client);
    const before = client.requestCount;
    await Promise.all([cold.listTraces(), cold.getTrace('trace-3')]);
    await cold.listTraces();
    await cold.getTrace('trace-3');
    assert.equal(count(PROJECTS), 1, 'one check for the client, shared by the reads at the same time');
    assert.equal(client.requestCount - before, 1, 'and nothing else was asked');

    // Another client (another command) checks again.
    await source().listTraces();
    assert.equal(count(PROJECTS), 2);
  });

  it('checks again after a 401: a key revoked mid-session no longer gets cached traces', async () => {
    const client = clientFor(server);
    const src = source({}, client);
    await src.listTraces();
    const trace = await src.getTrace('trace-0');
    server.rotateSecretKey('sk-lf-rotated');
    assert.deepEqual(await src.getTrace('trace-0'), trace, 'accepted earlier in this client: no check yet');
    nowMs += DEFAULT_LIST_TTL_SECONDS * 1000;
    await assert.rejects(src.listTraces(), LangfuseAuthError, 'the stale page is read again and refused');
    const checks = count(PROJECTS);
    await assert.rejects(src.getTrace('trace-0'), LangfuseAuthError, 'the 401 forgot the accepted key');
    assert.equal(count(PROJECTS), checks + 1);
  });

  it('shows the key error in the Traces view listing even when the page is cached', async () => {
    await source().listTraces({ limit: 2 });
    const wrong = new LangfuseTraceSource(
      clientFor(server, [], { publicKey: server.publicKey, secretKey: 'sk-lf-wrong' }),
      { cache, now, defaultPageSize: 2 },
    );
    const listing = new SourceListing('langfuse', async () => wrong, undefined);
    await listing.first();
    const state = listing.state();
    assert.ok(state.error instanceof LangfuseAuthError);
    assert.deepEqual(state.traces, []);
  });

  it('says so when Langfuse does not answer, instead of serving the cached page', async () => {
    const gone = await fake();
    const baseUrl = gone.baseUrl;
    const keys = { publicKey: gone.publicKey, secretKey: gone.secretKey };
    await new LangfuseTraceSource(clientFor(gone), { cache, now }).listTraces();
    await gone.close();
    const offline = new LangfuseTraceSource(
      new LangfuseClient(langfuseConnection({ baseUrl, ...keys }), { maxRetries: 0 }),
      { cache, now },
    );
    await assert.rejects(
      offline.listTraces(),
      (err: unknown) => err instanceof LangfuseUrlError && /network error/.test(err.message),
    );
  });
});
