// Langfuse's own scores in the comparison panel of a replay of a Langfuse trace: the scores
// Langfuse holds for the original and for the written-back replay, read when the panel opens and on
// its Refresh only (no request otherwise), next to ours; 429, 401 and missing keys as one line in
// the panel, which keeps showing the comparison (and the scores of the last good read).
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { PanelProbe } from '../../src/extension/panels/panel-host';
import {
  envelope,
  RefreshPlatformScoresMessage,
  ShowComparisonMessage,
  isMessage,
  type ComparisonShowParams,
  type Envelope,
} from '../../src/protocol';
import type { FakeScore } from '../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../support/fake-langfuse/fake-langfuse-server';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi } from './helpers';
import { closeFakes, connectFake, disconnectAll, promptedTrace, T0 } from './langfuse-helpers';
import { importFixtures, replayTrace, setUpProviders, tearDownProviders, WEATHER_TRACE } from './replay-helpers';

const CONNECTION = 'itest-scores';
const SOURCE = `langfuse:${CONNECTION}`;
const TS = '2026-03-01T11:00:00.000Z';

function score(
  id: string,
  name: string,
  value: number | string,
  subject: FakeScore['subject'],
  source: FakeScore['source'] = 'EVAL',
): FakeScore {
  const dataType = typeof value === 'number' ? 'NUMERIC' : 'CATEGORICAL';
  return {
    id,
    projectId: 'project-1',
    name,
    source,
    dataType,
    value,
    timestamp: TS,
    environment: 'default',
    createdAt: TS,
    updatedAt: TS,
    subject,
  };
}

function shown(probe: PanelProbe): ComparisonShowParams | undefined {
  const m = probe.content;
  return isMessage(ShowComparisonMessage, m) ? m.params : undefined;
}

/** The panel's comparison once `predicate` accepts it (now or after a change of content). */
function whenShown(probe: PanelProbe, predicate: (p: ComparisonShowParams) => boolean): Promise<ComparisonShowParams> {
  const now = shown(probe);
  if (now && predicate(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const sub = probe.onDidChangeContent((m: Envelope) => {
      if (!isMessage(ShowComparisonMessage, m) || !predicate(m.params)) return;
      sub.dispose();
      resolve(m.params);
    });
  });
}

const state = (s: string) => (p: ComparisonShowParams) => p.platform?.state === s;

describe('Langfuse scores in the comparison panel', () => {
  let api: TraceReplayApi;
  let langfuse: FakeLangfuseServer;
  let llm: FakeLlmServer | undefined;
  let job: ReplayJob;
  let writtenBack: string;
  let probe: PanelProbe;

  const scoreReads = (): number => langfuse.requests.filter((r) => r.path === '/api/public/v3/scores').length;
  const refresh = (): Promise<void> => probe.dispatch(envelope(RefreshPlatformScoresMessage, { replayId: job.id }));

  before(async () => {
    api = await activatedApi();
    langfuse = await startFakeLangfuse({
      observations: promptedTrace('sc-trace-1', T0),
      scores: [score('sc-1', 'helpfulness', 0.6, { kind: 'trace', id: 'sc-trace-1' })],
    });
    llm = await setUpProviders(api);
    await connectFake(CONNECTION, langfuse);
    job = await replayTrace({ traceId: 'sc-trace-1', sourceId: SOURCE, model: 'openai:gpt-4.1-mini' });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    const record = await api.platformReplays.recorded(job.id);
    assert.ok(record?.writeBack, `written back (${record?.writeBackError ?? 'no error recorded'})`);
    writtenBack = record.writeBack.platformTraceId;
    // Langfuse's evaluator scored the written-back replay after ingestion.
    langfuse.scores.push(score('sc-2', 'helpfulness', 0.9, { kind: 'trace', id: writtenBack }));
  });

  after(async () => {
    for (const p of api.panels.open()) p.panel.dispose();
    await disconnectAll(api, [CONNECTION]);
    await tearDownProviders(api, llm);
    await closeFakes(langfuse);
  });

  it('opening the panel reads the scores of the original and of the written-back replay', async () => {
    const before = scoreReads();
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', job.id), job.id);
    const p = api.panels.comparison(job.id);
    assert.ok(p, 'the comparison panel is open');
    probe = p;
    const read = await whenShown(probe, state('read'));
    assert.strictEqual(read.platform?.platform, `Langfuse ${CONNECTION} (${new URL(langfuse.baseUrl).host})`);
    assert.ok(read.platform?.readAt, 'says when it read them');
    assert.deepStrictEqual(
      read.comparison.platformScores.map((s) => [s.name, s.value, s.source, s.target.traceId]),
      [
        ['helpfulness', 0.6, 'langfuse:eval', 'sc-trace-1'],
        ['helpfulness', 0.9, 'langfuse:eval', writtenBack],
      ],
    );
    assert.strictEqual(writtenBack, read.comparison.replayTraceId, 'the replay side is told by its trace id');
    assert.strictEqual(scoreReads() - before, 2, 'one request per trace');
  });

  it('asks Langfuse again only on Refresh: not when the panel is revealed or updated', async () => {
    const before = scoreReads();
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', job.id), job.id);
    await whenShown(probe, state('read'));
    assert.strictEqual(scoreReads(), before, 'revealing the open panel reads nothing');

    langfuse.scores.push(
      score(
        'sc-3',
        'tone',
        'friendly',
        { kind: 'observation', id: 'sc-trace-1-gen1', traceId: 'sc-trace-1' },
        'ANNOTATION',
      ),
    );
    await refresh();
    const read = await whenShown(
      probe,
      (p) => p.platform?.state === 'read' && p.comparison.platformScores.length === 3,
    );
    assert.deepStrictEqual(read.comparison.platformScores.find((s) => s.name === 'tone')?.target, {
      traceId: 'sc-trace-1',
      spanId: 'sc-trace-1-gen1',
    });
    assert.strictEqual(scoreReads() - before, 2);
  });

  it('a rate limit is one line in the panel, keeps the last scores and is not retried on its own', async () => {
    langfuse.rateLimitNext(1, '120');
    const before = scoreReads();
    await refresh();
    const failed = await whenShown(probe, state('failed'));
    assert.match(
      failed.platform?.error ?? '',
      /^Langfuse at .* is rate-limiting this project \(retry after 120 s\); wait a moment and try again/,
    );
    assert.strictEqual(failed.comparison.platformScores.length, 3, 'the scores of the last good read stay');
    assert.ok(failed.comparison.spans.length > 0, 'the comparison itself is shown');
    assert.strictEqual(scoreReads() - before, 1, 'no retry after a long Retry-After');
  });

  it('wrong keys (401) and missing keys are one line that says what to check', async () => {
    await api.setApiKey(`langfuse.${CONNECTION}.secretKey`, 'sk-lf-wrong');
    await refresh();
    const rejected = await whenShown(
      probe,
      (p) => p.platform?.state === 'failed' && /rejected the keys/.test(p.platform.error ?? ''),
    );
    assert.strictEqual(
      rejected.platform?.error,
      `Langfuse rejected the keys for ${langfuse.baseUrl}: check the public and secret key (project settings -> API keys).`,
    );

    await api.setApiKey(`langfuse.${CONNECTION}.secretKey`, undefined);
    await refresh();
    const missing = await whenShown(
      probe,
      (p) => p.platform?.state === 'failed' && /No secret key/.test(p.platform.error ?? ''),
    );
    assert.match(
      missing.platform?.error ?? '',
      /^No secret key is stored for the Langfuse connection "itest-scores"; run "Trace Replay: Connect Langfuse\.\.\."/,
    );

    await api.setApiKey(`langfuse.${CONNECTION}.secretKey`, langfuse.secretKey);
    await refresh();
    await whenShown(probe, state('read'));
  });

  it('an unreachable server is one line that names the URL to check', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update(
      'langfuse.connections',
      [{ name: CONNECTION, baseUrl: deadUrl }],
      vscode.ConfigurationTarget.Global,
    );
    try {
      await refresh();
      const failed = await whenShown(
        probe,
        (p) => p.platform?.state === 'failed' && (p.platform.error ?? '').includes(deadUrl),
      );
      assert.match(failed.platform?.error ?? '', /^No Langfuse API answered at .*; check the base URL/);
    } finally {
      await config.update(
        'langfuse.connections',
        [{ name: CONNECTION, baseUrl: langfuse.baseUrl }],
        vscode.ConfigurationTarget.Global,
      );
    }
    await refresh();
    await whenShown(probe, state('read'));
  });

  it('a panel restored after a reload shows what was read without asking again', async () => {
    probe.panel.dispose();
    const before = scoreReads();
    const panel = vscode.window.createWebviewPanel('traceReplay.comparison', 'restored', vscode.ViewColumn.One, {});
    const restored = await api.panels.restore('comparison', panel, { panel: 'comparison', jobId: job.id });
    const read = await whenShown(restored, state('read'));
    assert.strictEqual(read.comparison.platformScores.length, 3);
    assert.strictEqual(scoreReads(), before);
    restored.panel.dispose();
  });

  it('a replay of a local trace has no Langfuse scores and asks Langfuse nothing', async () => {
    await vscode.commands.executeCommand('traceReplay.switchTraceSource', 'local');
    await importFixtures('weather-agent.otlp.json');
    const local = await api.replays.wait(
      (await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' })).id,
    );
    assert.strictEqual(local.status, 'COMPLETED', local.error);
    const requests = langfuse.requests.length;
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', local.id), local.id);
    const p = api.panels.comparison(local.id);
    assert.ok(p);
    const params = await whenShown(p, () => true);
    assert.strictEqual(params.platform, undefined);
    assert.deepStrictEqual(params.comparison.platformScores, []);
    assert.strictEqual(langfuse.requests.length, requests);
    p.panel.dispose();
  });
});
