// The core pieces behind `--source langfuse` on replay: template specs, copying a Langfuse trace
// into the store (marker, linked prompt versions, id collisions), and what a failed write-back or
// a local job leaves behind.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { replayTemplateLoader } from '../../../src/core/replay/default-replay-services';
import { formatTemplateRef, TemplateSpecError } from '../../../src/core/prompts/template-ref';
import {
  platformScoresFor,
  readPlatformReplay,
  recordPlatformReplay,
  type SessionOpener,
} from '../../../src/core/replay/platform-replay';
import { linkedPromptRef } from '../../../src/core/replay/prepare-source-replay';
import { openReplayJobs } from '../../../src/core/replay/replay-history';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { fetchIntoStore, localTraceIdFor } from '../../../src/core/sources/fetch-into-store';
import { LangfuseRateLimitError, TraceGoneError } from '../../../src/core/sources/langfuse/langfuse-errors';
import { openPlatform, resolveTraceSource, type OpenedTraceSource } from '../../../src/core/sources/open-source';
import { PlatformConfigError } from '../../../src/core/sources/platform-errors';
import { parsePromptSpec } from '../../../src/core/sources/template-spec';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { FakeScore } from '../../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { langfuseEnv, PROMPTS, promptedTrace, T0 } from './langfuse-cli-helpers';

describe('Langfuse replays in core', () => {
  let langfuse: FakeLangfuseServer;
  let dir: string;
  let store: TraceStore;
  let source: OpenedTraceSource & { kind: 'platform' };
  let open: SessionOpener;

  before(async () => {
    langfuse = await startFakeLangfuse({
      observations: [...promptedTrace('lf-a', T0), ...promptedTrace('lf/b', T0 + 60_000)],
      prompts: PROMPTS,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-langfuse-core-'));
    store = await TraceStore.open(dir);
    const opened = await resolveTraceSource('langfuse', {
      store,
      env: langfuseEnv(langfuse),
      clientOptions: { sleep: async () => undefined },
    });
    assert.equal(opened.kind, 'platform');
    source = opened as OpenedTraceSource & { kind: 'platform' };
    open = (platform, connection) => openPlatform(platform, connection, { store, env: langfuseEnv(langfuse) });
  });
  after(async () => {
    assert.deepEqual(langfuse.violations, []);
    await store.close();
    await langfuse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('parses langfuse:<name>@<version>, #<label> and a bare name (production)', async () => {
    assert.deepEqual(parsePromptSpec('langfuse:support@3'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'support',
      version: '3',
    });
    assert.deepEqual(parsePromptSpec('langfuse:team/support#staging'), {
      kind: 'prompt',
      platform: 'langfuse',
      name: 'team/support',
      label: 'staging',
    });
    assert.deepEqual(parsePromptSpec('langfuse:support'), { kind: 'prompt', platform: 'langfuse', name: 'support' });
    for (const bad of ['langfuse:', 'langfuse:#staging', 'langfuse:support#', 'langfuse:support@x']) {
      assert.throws(() => parsePromptSpec(bad), TemplateSpecError, bad);
    }
    // A bare name reads the version labelled production (3), not the latest (4).
    const bare = await source.session.prompts!.get('weather-system');
    const production = await source.session.prompts!.get('weather-system', { label: 'production' });
    const latest = await source.session.prompts!.get('weather-system', { version: '4' });
    assert.deepEqual(bare, production);
    assert.notDeepEqual(bare, latest);
  });

  it('copies a Langfuse trace into the store with its origin and the linked prompt version', async () => {
    const fetched = await fetchIntoStore(source, store, 'lf-a');
    assert.equal(fetched.localId, 'lf-a');
    assert.equal(fetched.fetched, true);
    const stored = await store.getTrace('lf-a');
    assert.deepEqual(stored?.source, {
      kind: 'langfuse',
      connection: 'default',
      baseUrl: langfuse.baseUrl,
      traceId: 'lf-a',
      url: `${langfuse.baseUrl}/project/project-1/traces/lf-a`,
    });
    const linked = stored?.spans.find((s) => s.llm?.prompt?.name === 'weather-system');
    assert.equal(
      linked?.llm?.prompt?.template,
      'You are a weather bot for {{city}}.',
      'version 3, as the generation recorded',
    );

    const requests = langfuse.requests.length;
    const again = await fetchIntoStore(source, store, 'lf-a');
    assert.equal(again.fetched, false);
    assert.equal(langfuse.requests.length, requests, 'the copy in the store is used');
  });

  it('gives ids that cannot name a file, and ids taken by a recorded trace, their own local id', async () => {
    const slashed = await fetchIntoStore(source, store, 'lf/b');
    assert.equal(slashed.localId, localTraceIdFor('lf/b'));
    assert.match(slashed.localId, /^[0-9a-f]{32}$/);
    assert.equal((await store.getTrace(slashed.localId))?.source?.traceId, 'lf/b');

    const recorded = { ...(await store.getTrace('lf-a'))!, source: undefined, name: 'recorded here' };
    await store.putTrace(recorded);
    const copy = await fetchIntoStore(source, store, 'lf-a');
    assert.notEqual(copy.localId, 'lf-a');
    assert.equal((await store.getTrace('lf-a'))?.name, 'recorded here', 'the recorded trace is not overwritten');
    assert.equal((await store.getTrace(copy.localId))?.source?.traceId, 'lf-a');
  });

  it('says a trace Langfuse does not have is gone', async () => {
    await assert.rejects(fetchIntoStore(source, store, 'lf-missing'), TraceGoneError);
  });

  it('takes the prompt linked on the spans for --prompt-version, and refuses when there is none or several', async () => {
    const trace = (await store.getTrace('lf-a'))!;
    assert.equal(
      formatTemplateRef(linkedPromptRef([trace], 'langfuse', { version: '4' })),
      'langfuse:weather-system@4',
    );
    assert.equal(
      formatTemplateRef(linkedPromptRef([trace], 'langfuse', { label: 'staging' })),
      'langfuse:weather-system#staging',
    );
    const unlinked = structuredClone(trace);
    for (const s of unlinked.spans) if (s.llm) delete s.llm.prompt;
    assert.throws(
      () => linkedPromptRef([unlinked], 'langfuse', { version: '4' }),
      /No LLM span of the trace is linked to a prompt/,
    );
    const other = structuredClone(trace);
    for (const s of other.spans) if (s.llm?.prompt) s.llm.prompt.name = 'other-prompt';
    assert.throws(
      () => linkedPromptRef([trace, other], 'langfuse', { version: '4' }),
      /several prompts \(weather-system, other-prompt\)/,
    );
  });

  it('cannot load a langfuse: template without a connection', async () => {
    await assert.rejects(
      replayTemplateLoader({})({ kind: 'prompt', platform: 'langfuse', name: 'weather-system', version: '4' }),
      PlatformConfigError,
    );
  });

  it('records a write-back that Langfuse refused, and rethrows it', async () => {
    const { localId, trace: original } = await fetchIntoStore(source, store, 'lf-a');
    const replayTraceId = 'a'.repeat(32);
    await store.putTrace({
      ...original,
      id: replayTraceId,
      source: undefined,
      replayOf: { originalTraceId: localId, replayId: 'job-refused' },
    });
    const job = {
      id: 'job-refused',
      traceId: localId,
      replayTraceId,
      status: 'COMPLETED',
      overrides: {},
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
    } as ReplayJob;
    langfuse.rateLimitNext(3, '0');
    await assert.rejects(recordPlatformReplay(store, source.session, job, { writeBack: true }), LangfuseRateLimitError);
    const record = await readPlatformReplay(store, 'job-refused');
    assert.equal(record?.platform, 'langfuse');
    assert.equal(record?.originalTraceId, 'lf-a');
    assert.equal(record?.writeBack, undefined);
    assert.match(record?.writeBackError ?? '', /rate-limiting/);
  });

  it('reads a record 0.1 kept in langfuse-replays (writeBack.langfuseTraceId) as a Langfuse platform record, scores included', async () => {
    const legacyDir = path.join(store.dir, 'langfuse-replays');
    await mkdir(legacyDir, { recursive: true });
    const writeBack = {
      langfuseTraceId: 'c'.repeat(32),
      url: `${langfuse.baseUrl}/project/project-1/traces/${'c'.repeat(32)}`,
      spanCount: 4,
      writtenAt: '2026-03-01T12:00:00.000Z',
    };
    await writeFile(
      path.join(legacyDir, 'job-0-1.json'),
      JSON.stringify({
        jobId: 'job-0-1',
        connection: 'default',
        baseUrl: langfuse.baseUrl,
        originalTraceId: 'lf-a',
        writeBack,
      }),
    );
    const record = await readPlatformReplay(store, 'job-0-1');
    assert.deepEqual(record, {
      jobId: 'job-0-1',
      platform: 'langfuse',
      connection: 'default',
      baseUrl: langfuse.baseUrl,
      originalTraceId: 'lf-a',
      writeBack: { platformTraceId: 'c'.repeat(32), url: writeBack.url, spanCount: 4, writtenAt: writeBack.writtenAt },
    });
    const ts = '2026-03-01T12:00:00.000Z';
    const score = (id: string, traceId: string, value: number): FakeScore =>
      ({
        id,
        projectId: 'project-1',
        name: 'helpfulness',
        source: 'EVAL',
        dataType: 'NUMERIC',
        value,
        timestamp: ts,
        environment: 'default',
        createdAt: ts,
        updatedAt: ts,
        subject: { kind: 'trace', id: traceId },
      }) as FakeScore;
    langfuse.scores.push(score('s-legacy-original', 'lf-a', 0.5), score('s-legacy-replay', 'c'.repeat(32), 0.75));
    const scores = await platformScoresFor(store, 'job-0-1', open);
    assert.equal(scores?.platform, 'Langfuse');
    assert.deepEqual(
      scores?.original.map((s) => [s.value, s.target.traceId]),
      [[0.5, 'lf-a']],
    );
    assert.deepEqual(
      scores?.replay.map((s) => [s.value, s.target.traceId]),
      [[0.75, 'c'.repeat(32)]],
    );
  });

  it('has no platform scores for a job whose original trace is local', async () => {
    const local = { ...(await store.getTrace('lf-a'))!, id: 'b'.repeat(32), source: undefined };
    await store.putTrace(local);
    const jobs = await openReplayJobs(store);
    await jobs.put('job-local', {
      id: 'job-local',
      traceId: local.id,
      status: 'COMPLETED',
      overrides: {},
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
    });
    assert.equal(await platformScoresFor(store, 'job-local', open), undefined);
    assert.equal(await platformScoresFor(store, 'no-such-job', open), undefined);
  });
});
