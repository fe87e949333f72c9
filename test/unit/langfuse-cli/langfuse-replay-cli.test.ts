// The end-to-end flow through the real CLI: list Langfuse traces -> show one -> replay it
// with another version of its Langfuse prompt -> write the replay back to Langfuse -> compare.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { platformScoresFor } from '../../../src/core/replay/platform-replay';
import { openPlatform } from '../../../src/core/sources/open-source';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { FakeScore } from '../../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli } from '../cli/cli-helpers';
import { langfuseEnv, llmEnv, PROMPTS, promptedTrace, runLangfuseCli, T0, V4_RENDERED } from './langfuse-cli-helpers';

type Attr = { key: string; value: Record<string, unknown> };
type OtlpBody = { resourceSpans: { scopeSpans: { spans: { traceId: string; attributes: Attr[] }[] }[] }[] };

function otlpSpans(body: unknown): { traceId: string; attributes: Record<string, unknown> }[] {
  return (body as OtlpBody).resourceSpans
    .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
    .map((span) => ({
      traceId: span.traceId,
      attributes: Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]])),
    }));
}

function score(id: string, traceId: string, value: number): FakeScore {
  const ts = '2026-03-01T12:00:00.000Z';
  return {
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
  } as FakeScore;
}

describe('Langfuse source in the CLI: list -> replay with a prompt version -> write back -> compare', function () {
  this.timeout(120000);
  let langfuse: FakeLangfuseServer;
  let llm: FakeLlmServer;
  let dir: string;
  let store: string;
  let env: Record<string, string>;

  before(async () => {
    langfuse = await startFakeLangfuse({
      observations: [...promptedTrace('lf-trace-1', T0), ...promptedTrace('lf-trace-2', T0 + 60_000)],
      prompts: PROMPTS,
    });
    llm = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-langfuse-cli-'));
    store = path.join(dir, 'store');
    env = { ...langfuseEnv(langfuse), ...llmEnv(llm) };
  });
  after(async () => {
    assert.deepEqual(langfuse.violations, []);
    await langfuse.close();
    await llm.close();
    await rm(dir, { recursive: true, force: true });
  });

  const observationRequests = (): number =>
    langfuse.requests.filter((r) => r.path === '/api/public/v2/observations').length;

  it('lists Langfuse traces a page at a time, printing the next cursor; pages are cached in the store', async () => {
    const first = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--limit', '1', '--json', '--store', store],
      env,
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      (JSON.parse(first.stdout) as { id: string }[]).map((t) => t.id),
      ['lf-trace-2'],
    );
    const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
    assert.ok(cursor, `a next-page hint on stderr: ${first.stderr}`);

    const second = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--limit', '1', '--cursor', cursor, '--json', '--store', store],
      env,
    );
    assert.equal(second.code, 0, second.stderr);
    const [summary] = JSON.parse(second.stdout) as { id: string; llmSpanCount: number; models: string[] }[];
    assert.equal(summary.id, 'lf-trace-1');
    assert.equal(summary.llmSpanCount, 2);
    assert.doesNotMatch(second.stderr, /--cursor/, 'no hint on the last page');

    const before = observationRequests();
    const again = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--limit', '1', '--json', '--store', store],
      env,
    );
    assert.equal(again.stdout, first.stdout);
    assert.equal(observationRequests(), before, 'served from the store cache');
    const refreshed = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--limit', '1', '--refresh', '--store', store],
      env,
    );
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.ok(observationRequests() > before, '--refresh asks Langfuse again');
    assert.match(refreshed.stdout, /lf-trace-2/);
  });

  it('shows a Langfuse trace in the same JSON shape as a stored one', async () => {
    const run = await runLangfuseCli(['trace', 'lf-trace-1', '--source', 'langfuse', '--json', '--store', store], env);
    assert.equal(run.code, 0, run.stderr);
    const trace = JSON.parse(run.stdout) as Record<string, unknown> & {
      spans: { llm?: { requestModel?: string; prompt?: { name?: string; version?: string } } }[];
    };
    assert.equal(trace.id, 'lf-trace-1');
    const plan = trace.spans.find((s) => s.llm?.requestModel === 'gpt-4o-mini');
    assert.deepEqual(
      { name: plan?.llm?.prompt?.name, version: plan?.llm?.prompt?.version },
      { name: 'weather-system', version: '3' },
    );

    const local = path.join(dir, 'local-store');
    assert.equal(
      (
        await runCli([
          'import',
          path.join(ROOT, 'test/fixtures/otlp/openinference-openai-agent.json'),
          '--store',
          local,
        ])
      ).code,
      0,
    );
    const [stored] = JSON.parse((await runCli(['traces', '--store', local, '--json'])).stdout) as { id: string }[];
    const localTrace = JSON.parse((await runCli(['trace', stored.id, '--store', local, '--json'])).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(trace).sort(), Object.keys(localTrace).sort());
  });

  let jobId: string;
  let replayTraceId: string;

  it('replays it with --template langfuse:<name>@<version>, sends the new version, and writes the replay back', async () => {
    llm.reset();
    const run = await runLangfuseCli(
      [
        'replay',
        'lf-trace-1',
        '--source',
        'langfuse',
        '--template',
        'langfuse:weather-system@4',
        '--json',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as {
      id: string;
      status: string;
      traceId: string;
      replayTraceId: string;
      overrides: { templatePath?: string };
      spans: { status: string; warnings: string[] }[];
      langfuse: {
        originalTraceId: string;
        originalUrl: string;
        writeBack: { langfuseTraceId: string; url: string; spanCount: number };
      };
    };
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.traceId, 'lf-trace-1');
    assert.equal(job.overrides.templatePath, 'langfuse:weather-system@4', 'the job keeps the spec');
    jobId = job.id;
    replayTraceId = job.replayTraceId;

    // The generation linked to the prompt got version 4, rendered with the variables recovered
    // through version 3 (which Langfuse's link named); the other generation kept its messages.
    const chat = llm.requests.filter((r) => r.api === 'chat.completions');
    assert.equal(chat.length, 1);
    assert.equal(chat[0].body.messages[0].content, V4_RENDERED);
    const anthropic = llm.requests.filter((r) => r.api === 'anthropic.messages');
    assert.equal(anthropic.length, 1);
    assert.match(JSON.stringify(anthropic[0].body.system), /You are a weather bot\./);

    assert.equal(job.langfuse.originalTraceId, 'lf-trace-1');
    assert.equal(job.langfuse.originalUrl, `${langfuse.baseUrl}/project/project-1/traces/lf-trace-1`);
    assert.equal(job.langfuse.writeBack.langfuseTraceId, replayTraceId);
    assert.equal(job.langfuse.writeBack.url, `${langfuse.baseUrl}/project/project-1/traces/${replayTraceId}`);

    assert.equal(langfuse.otlpBodies.length, 1);
    const spans = otlpSpans(langfuse.otlpBodies[0]);
    assert.equal(job.langfuse.writeBack.spanCount, spans.length);
    assert.ok(spans.every((s) => s.traceId === replayTraceId));
    const root = spans.find((s) => s.attributes['langfuse.trace.metadata.replay_of'] !== undefined);
    assert.equal(root?.attributes['langfuse.trace.metadata.replay_of'], 'lf-trace-1');
    assert.equal(root?.attributes['langfuse.trace.metadata.replay_id'], jobId);
    assert.match(JSON.stringify(root?.attributes['langfuse.trace.tags']), /trace-replay/);
    const generation = spans.find((s) => s.attributes['langfuse.observation.prompt.name'] === 'weather-system');
    assert.equal(generation?.attributes['langfuse.observation.type'], 'generation');
    assert.equal(String(generation?.attributes['langfuse.observation.prompt.version']), '4');
    assert.match(String(generation?.attributes['langfuse.observation.input']), /concise weather bot for Paris/);
  });

  it('compares the replay with the Langfuse original, and finds the scores Langfuse attached to both', async () => {
    const text = await runCli(['compare', jobId, '--store', store]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^replayed\s/m);
    const json = await runCli(['compare', jobId, '--store', store, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const c = JSON.parse(json.stdout) as { replayId: string; spans: { status: string }[] };
    assert.equal(c.replayId, jobId);
    assert.equal(c.spans.filter((s) => s.status === 'replayed').length, 2);

    langfuse.scores.push(score('s-original', 'lf-trace-1', 0.6), score('s-replay', replayTraceId, 0.9));
    const opened = await TraceStore.open(store);
    try {
      const scores = await platformScoresFor(opened, jobId, (platform, connection) =>
        openPlatform(platform, connection, { store: opened, env: langfuseEnv(langfuse) }),
      );
      assert.equal(scores?.platform, 'Langfuse');
      assert.deepEqual(
        scores?.original.map((s) => [s.name, s.value, s.target.traceId]),
        [['helpfulness', 0.6, 'lf-trace-1']],
      );
      assert.deepEqual(
        scores?.replay.map((s) => [s.name, s.value, s.target.traceId]),
        [['helpfulness', 0.9, replayTraceId]],
      );
    } finally {
      await opened.close();
    }
    // `compare` reads them at the time of asking (Langfuse scores asynchronously) and shows them apart.
    const withScores = await runLangfuseCli(['compare', jobId, '--store', store, '--format', 'json'], env);
    assert.equal(withScores.code, 0, withScores.stderr);
    const platform = (
      JSON.parse(withScores.stdout) as {
        platformScores: { name: string; value: number; target: { traceId: string } }[];
      }
    ).platformScores;
    assert.deepEqual(
      platform.map((s) => [s.name, s.value, s.target.traceId]).sort(),
      [
        ['helpfulness', 0.6, 'lf-trace-1'],
        ['helpfulness', 0.9, replayTraceId],
      ].sort(),
    );
    const textScores = await runLangfuseCli(['compare', jobId, '--store', store], env);
    assert.match(textScores.stdout, /^platform scores \(original\): helpfulness=0\.6 \[langfuse:eval\]$/m);
    assert.match(textScores.stdout, /^platform scores \(replay\): helpfulness=0\.9 \[langfuse:eval\]$/m);
  });

  it('--prompt-version takes the prompt linked on the spans; --no-write-back sends nothing to Langfuse', async () => {
    llm.reset();
    const bodies = langfuse.otlpBodies.length;
    const run = await runLangfuseCli(
      [
        'replay',
        'lf-trace-2',
        '--source',
        'langfuse',
        '--prompt-version',
        '4',
        '--no-write-back',
        '--json',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as {
      status: string;
      overrides: { templatePath?: string };
      langfuse: { writeBack?: unknown };
    };
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.overrides.templatePath, 'langfuse:weather-system@4');
    assert.equal(job.langfuse.writeBack, undefined);
    assert.equal(langfuse.otlpBodies.length, bodies);
    assert.equal(llm.requests.find((r) => r.api === 'chat.completions')?.body.messages[0].content, V4_RENDERED);
  });

  it('prints the write-back in the text output, and a second replay reads the trace from the store', async () => {
    const before = observationRequests();
    const run = await runLangfuseCli(
      ['replay', 'lf-trace-1', '--source', 'langfuse', '--prompt-label', 'staging', '--store', store],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^COMPLETED\s+lf-trace-1 -> [0-9a-f]{32}/m);
    assert.match(
      run.stdout,
      /langfuse: replay written back as [0-9a-f]{32} http:\/\/127\.0\.0\.1:\d+\/project\/project-1\/traces\//,
    );
    assert.equal(observationRequests(), before, 'the trace was not read again');
  });

  it('applies a langfuse: template to a stored trace with --source local (no write-back)', async () => {
    llm.reset();
    const bodies = langfuse.otlpBodies.length;
    const run = await runLangfuseCli(
      ['replay', 'lf-trace-1', '--template', 'langfuse:weather-system#staging', '--json', '--store', store],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as { status: string; overrides: { templatePath?: string }; langfuse?: unknown };
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.overrides.templatePath, 'langfuse:weather-system#staging');
    assert.equal(job.langfuse, undefined);
    assert.equal(langfuse.otlpBodies.length, bodies);
    assert.equal(llm.requests.find((r) => r.api === 'chat.completions')?.body.messages[0].content, V4_RENDERED);
  });

  it('batch --source langfuse replays the listed Langfuse traces with a prompt version, writes them back and aggregates', async () => {
    llm.reset();
    const bodies = langfuse.otlpBodies.length;
    const run = await runLangfuseCli(
      ['batch', '--source', 'langfuse', '--prompt-version', '4', '--json', '--store', store],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const batch = JSON.parse(run.stdout) as { count: number };
    assert.equal(batch.count, 2, run.stdout);
    const chat = llm.requests.filter((r) => r.api === 'chat.completions');
    assert.equal(chat.length, 2);
    assert.ok(
      chat.every((r) => r.body.messages[0].content === V4_RENDERED),
      'both traces got version 4',
    );
    assert.equal(langfuse.otlpBodies.length, bodies + 2, 'both replays written back');
    const written = langfuse.otlpBodies
      .slice(bodies)
      .map(
        (b) =>
          otlpSpans(b).find((s) => s.attributes['langfuse.trace.metadata.replay_of'] !== undefined)?.attributes[
            'langfuse.trace.metadata.replay_of'
          ],
      );
    assert.deepEqual(written.sort(), ['lf-trace-1', 'lf-trace-2']);

    const none = await runLangfuseCli(
      ['batch', '--source', 'langfuse', '--filter', 'no-such-trace', '--store', store],
      env,
    );
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /No recorded traces in Langfuse \(127\.0\.0\.1:\d+\) match; list them with `trace-replay traces --source langfuse`/,
    );
  });
});
