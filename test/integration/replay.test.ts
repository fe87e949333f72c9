// Replays inside VS Code against the loopback fake LLM server: the command with preset answers,
// the Replays view (grouping, status icons, contextValues), cancel, missing key, re-run, delete,
// batches, resume, the status bar and Open Comparison.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-history';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { ShownToast } from '../../src/extension/common/notifications';
import type { TraceReplayApi } from '../../src/extension/extension';
import { jobIdsFromArgs, traceIdsFromArgs } from '../../src/extension/replay/replay-args';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, iconId, label, traceRoot, whenRoots } from './helpers';
import {
  CHAT_TRACE,
  EMAIL_TRACE,
  importFixtures,
  NEWS_TRACE,
  nextEvent,
  replayRows,
  replayTrace,
  setUpProviders,
  tearDownProviders,
  WEATHER_TRACE,
  whenReplayItem,
} from './replay-helpers';

describe('Replay Trace and the Replays view', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  let completed: ReplayJob;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json', 'prompt-apps.otlp.json');
  });
  after(() => tearDownProviders(api, fake));
  beforeEach(() => fake?.reset());

  it('replays a trace with preset answers; the job completes and shows under its trace, newest first', async () => {
    const job = await replayTrace({
      traceId: WEATHER_TRACE,
      model: 'openai:gpt-4.1-mini',
      parameters: { temperature: 0 },
    });
    assert.ok(['PENDING', 'RUNNING'].includes(job.status), job.status);
    completed = await api.replays.wait(job.id);
    assert.strictEqual(completed.status, 'COMPLETED', completed.error);
    assert.strictEqual(fake!.requests.length, 1);
    assert.strictEqual(fake!.requests[0].body.model, 'gpt-4.1-mini');
    assert.strictEqual(fake!.requests[0].body.temperature, 0);
    assert.strictEqual(fake!.requests[0].headers.authorization, 'REDACTED', 'the stored key was sent');
    // Scored in the job: the default evaluators on both sides (no evaluators.json in the workspace).
    assert.ok(completed.evaluation, 'the job carries its evaluation');
    assert.ok(completed.evaluation.original.some((s) => s.evaluatorType === 'similarity' && s.value === 1));
    assert.ok(completed.evaluation.replay.some((s) => s.evaluatorType === 'similarity'));

    const row = await whenReplayItem(api.replaysTree, job.id, 'replay:completed');
    assert.strictEqual(label(row.group.item), 'weather-agent');
    assert.strictEqual(row.group.item.contextValue, 'replayTrace');
    assert.strictEqual(row.group.item.id, `replays-trace/${WEATHER_TRACE}`);
    assert.strictEqual(label(row.item), 'openai:gpt-4.1-mini · temperature=0');
    assert.strictEqual(iconId(row.item), 'pass');
    assert.match(String(row.item.description), /\d+(\.\d+)? (ms|s)/, 'the duration is shown');
    assert.match(String(row.item.description), /cost [+−±]\$[0-9.]+ vs recorded/, 'the cost delta is shown');
    assert.deepStrictEqual(row.item.command && [row.item.command.command, row.item.command.arguments], [
      'traceReplay.openComparison',
      [job.id],
    ]);
    assert.strictEqual(api.replayStatusText(), undefined, 'the status bar item hides when nothing runs');
  });

  it('"Open Comparison" opens the comparison panel of the replay', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('traceReplay.openComparison', completed.id),
      completed.id,
    );
    const probe = api.panels.comparison(completed.id);
    assert.strictEqual(probe?.panel.viewType, 'traceReplay.comparison');
    probe.panel.dispose();
  });

  it('cancels a running replay: CANCELLED in the view; the status bar counted it while it ran', async () => {
    let release!: () => void;
    fake!.enqueue({ hold: new Promise<void>((r) => (release = r)) });
    const started = nextEvent(api, (e) => e.type === 'span-started');
    const job = await replayTrace({ traceId: NEWS_TRACE });
    await started;
    assert.strictEqual(api.replayStatusText(), 'Replays: 1 running');
    await whenReplayItem(api.replaysTree, job.id, 'replay:running');
    const cancelled = await vscode.commands.executeCommand<boolean>('traceReplay.cancelReplay', job.id);
    release();
    assert.strictEqual(cancelled, true);
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'CANCELLED');
    const row = await whenReplayItem(api.replaysTree, job.id, 'replay:cancelled');
    assert.strictEqual(iconId(row.item), 'circle-slash');
    assert.strictEqual(api.replayStatusText(), undefined);
  });

  it('a provider without a key: nothing is queued, the toast names the provider and offers "Set API Key..."', async () => {
    const shown: ShownToast[] = [];
    const sub = api.toasts.onDidShow((t) => shown.push(t));
    api.toasts.preset(() => undefined); // dismissed
    try {
      const before = (await api.replays.listJobs({ traceId: CHAT_TRACE })).length;
      const result = await vscode.commands.executeCommand('traceReplay.replayTrace', {
        traceId: CHAT_TRACE,
        model: 'keyed:some-model',
        confirm: false,
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual((await api.replays.listJobs({ traceId: CHAT_TRACE })).length, before, 'nothing was queued');
      assert.strictEqual(fake!.requests.length, 0, 'nothing was sent');
      assert.strictEqual(shown.length, 1);
      assert.strictEqual(shown[0].severity, 'error');
      assert.match(
        shown[0].message,
        /needs an API key for endpoint "keyed" to replay "free-chat", so nothing was queued/,
      );
      assert.match(shown[0].message, /KEYED_API_KEY/, 'names the environment fallback too');
      assert.deepStrictEqual(shown[0].buttons, ['Set API Key...', 'Choose Model...']);
    } finally {
      sub.dispose();
      api.toasts.preset(undefined);
    }
  });

  it('a model of no known provider: nothing is queued, the toast offers "Choose Model..."', async () => {
    const shown: ShownToast[] = [];
    const sub = api.toasts.onDidShow((t) => shown.push(t));
    api.toasts.preset(() => undefined);
    try {
      const before = (await api.replays.listJobs({ traceId: CHAT_TRACE })).length;
      assert.strictEqual(
        await vscode.commands.executeCommand('traceReplay.replayTrace', {
          traceId: CHAT_TRACE,
          model: 'nosuch:model-1',
          confirm: false,
        }),
        undefined,
      );
      assert.strictEqual((await api.replays.listJobs({ traceId: CHAT_TRACE })).length, before, 'nothing was queued');
      assert.deepStrictEqual(
        shown.map((t) => t.buttons),
        [['Choose Model...']],
      );
      assert.strictEqual(
        shown[0].message,
        'Trace Replay cannot replay "free-chat", so nothing was queued: No provider named "nosuch" is configured; choose a model.',
      );
    } finally {
      sub.dispose();
      api.toasts.preset(undefined);
    }
  });

  it('a job that reaches a provider without a key anyway (queued past the commands) fails naming "Set API Key"', async () => {
    const { id } = await api.replays.enqueue(CHAT_TRACE, { model: 'keyed:some-model' });
    const done = await api.replays.wait(id);
    assert.strictEqual(done.status, 'FAILED');
    assert.strictEqual(done.errorCode, 'MISSING_API_KEY');
    assert.match(done.error ?? '', /Trace Replay: Set API Key\.\.\./);
    assert.strictEqual(fake!.requests.length, 0, 'nothing was sent');
    const row = await whenReplayItem(api.replaysTree, id, 'replay:failed');
    assert.strictEqual(iconId(row.item), 'error');
    assert.ok(row.item.tooltip instanceof vscode.MarkdownString);
    assert.match(row.item.tooltip.value.replace(/&nbsp;/g, ' '), /Set API Key/, 'the tooltip gives the reason');
  });

  it('groups replays by trace, groups and jobs newest first', async () => {
    const rows = await replayRows(api.replaysTree);
    const groups = rows.map((r) => label(r.group.item));
    assert.deepStrictEqual(groups.slice(0, 3), ['free-chat', 'summarize-news', 'weather-agent']);
    for (const r of rows) {
      const times = r.jobs.map((j) => (j.node.type === 'replay' ? j.node.job.createdAt : ''));
      assert.deepStrictEqual(times, [...times].sort().reverse());
    }
  });

  it('"Re-run" queues the same overrides again', async () => {
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.rerunReplay', completed.id);
    assert.strictEqual(jobs.length, 1);
    assert.notStrictEqual(jobs[0].id, completed.id);
    assert.deepStrictEqual(jobs[0].overrides, completed.overrides);
    assert.strictEqual((await api.replays.wait(jobs[0].id)).status, 'COMPLETED');
  });

  it('"Replay Selected Traces" queues one job per trace with the same overrides', async () => {
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replaySelectedTraces', {
      traceIds: [NEWS_TRACE, EMAIL_TRACE],
      model: 'openai:gpt-4o',
      mode: 'chained',
      confirm: false,
    });
    assert.deepStrictEqual(
      jobs.map((j) => j.traceId),
      [NEWS_TRACE, EMAIL_TRACE],
    );
    for (const j of jobs) assert.deepStrictEqual(j.overrides, { model: 'openai:gpt-4o', mode: 'chained' });
    const done = await Promise.all(jobs.map((j) => api.replays.wait(j.id)));
    assert.deepStrictEqual(
      done.map((j) => j.status),
      ['COMPLETED', 'COMPLETED'],
    );
    assert.deepStrictEqual(
      fake!.requests.map((r) => r.body.model),
      ['gpt-4o', 'gpt-4o'],
    );
  });

  it('context-menu arguments: the multi-selection when it holds the clicked node, else the clicked node', async () => {
    const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, NEWS_TRACE) && !!traceRoot(r, EMAIL_TRACE));
    const a = traceRoot(roots, NEWS_TRACE)!;
    const b = traceRoot(roots, EMAIL_TRACE)!;
    assert.deepStrictEqual(traceIdsFromArgs(a, [a, b]), [NEWS_TRACE, EMAIL_TRACE]);
    assert.deepStrictEqual(traceIdsFromArgs(a, [b]), [NEWS_TRACE]);
    assert.deepStrictEqual(traceIdsFromArgs(a, undefined), [NEWS_TRACE]);
    const rows = await replayRows(api.replaysTree);
    const [x, y] = rows.flatMap((r) => r.jobs.map((j) => j.node));
    assert.deepStrictEqual(jobIdsFromArgs(x, [x, y]).length, 2);
    assert.deepStrictEqual(jobIdsFromArgs('some-id', undefined), ['some-id']);
  });

  it('"Show Replays" on a trace reveals its group in the Replays view', async () => {
    const roots = await api.tracesTree.getChildren();
    const node = traceRoot(roots, WEATHER_TRACE)!;
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('traceReplay.showReplaysOfTrace', node), true);
  });

  it('"Delete Replay" removes a finished replay and its replayed trace', async () => {
    assert.ok(completed.replayTraceId);
    const store = await api.store();
    assert.ok(await store.getTrace(completed.replayTraceId!), 'the replayed trace exists before');
    assert.strictEqual(await vscode.commands.executeCommand<number>('traceReplay.deleteReplay', completed.id), 1);
    assert.strictEqual(await api.replays.getJob(completed.id), undefined);
    assert.strictEqual(await store.getTrace(completed.replayTraceId!), undefined);
    const rows = await replayRows(api.replaysTree);
    assert.ok(!rows.some((r) => r.jobs.some((j) => j.item.id === `replay/${completed.id}`)));
  });

  it('resumes a job a previous session left RUNNING', async () => {
    const store = await api.store();
    const jobs = await store.collection<ReplayJob>(REPLAYS_COLLECTION);
    const id = 'resume-test-job';
    await jobs.put(id, {
      id,
      traceId: EMAIL_TRACE,
      status: 'RUNNING',
      overrides: {},
      createdAt: new Date().toISOString(),
      providerMs: 0,
      spans: [],
    });
    const resumed = await api.replays.resumeInterrupted();
    assert.deepStrictEqual(
      resumed.map((j) => j.id),
      [id],
    );
    const done = await api.replays.wait(id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.strictEqual(done.resumed, 1);
  });

  it('applies traceReplay.replay.maxConcurrent to the open queue at once', async () => {
    const changed = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration((e) => {
          if (!e.affectsConfiguration('traceReplay.replay.maxConcurrent')) return;
          sub.dispose();
          resolve();
        });
      });
    const config = vscode.workspace.getConfiguration('traceReplay');
    let event = changed();
    await config.update('replay.maxConcurrent', 1, vscode.ConfigurationTarget.Workspace);
    await event;
    assert.strictEqual((await api.replays.queue()).concurrency, 1);
    event = changed();
    await config.update('replay.maxConcurrent', undefined, vscode.ConfigurationTarget.Workspace);
    await event;
    assert.strictEqual((await api.replays.queue()).concurrency, 3);
  });
});
