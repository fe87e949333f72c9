// The panels inside VS Code: Open Comparison on a real replay (fake LLM server), the webview's
// ready handshake, the messages a panel sends (diff editor, another replay, replay, open
// comparison), the trace detail from the Traces view, the batch summary, serializer restore, and
// the CSP of a panel whose trace holds markup. Waits are on events, never on timers.
// Each test opens the panels it needs and every panel is closed after it (afterEach), so any test
// passes alone (TRACE_REPLAY_TEST_GREP) and in any order; the two replays it reads are made in before().
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { PanelProbe } from '../../src/extension/panels/panel-host';
import type { Envelope } from '../../src/protocol';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, columnOf, traceRoot, whenRoots, whenShown } from './helpers';
import {
  CHAT_TRACE,
  importFixtures,
  NEWS_TRACE,
  nextEvent,
  replayTrace,
  setUpProviders,
  tearDownProviders,
  WEATHER_TRACE,
} from './replay-helpers';

/** Resolves with the first message the webview took delivery of that `predicate` accepts. */
function whenDelivered(probe: PanelProbe, predicate: (m: Envelope) => boolean): Promise<Envelope> {
  if (probe.lastPosted && predicate(probe.lastPosted)) return Promise.resolve(probe.lastPosted);
  return new Promise((resolve) => {
    const sub = probe.onDidPost((m) => {
      if (!predicate(m)) return;
      sub.dispose();
      resolve(m);
    });
  });
}

const method = (name: string) => (m: Envelope) => m.method === name;
type ShowComparison = Envelope<{
  comparison: { replayId: string; spans: { original: { spanId: string } | null; llm?: { output?: unknown } }[] };
  history: { jobId: string; status: string }[];
}>;
type ShowTrace = Envelope<{ traceId: string; history: { jobId: string; status: string }[]; selectSpanId?: string }>;
const historyHas = (jobId: string, status: string) => (m: Envelope) =>
  (m as ShowTrace).params.history?.some((h) => h.jobId === jobId && h.status === status) ?? false;

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs.map((t) => t.input))
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff);
}

let api: TraceReplayApi;

/** Disposing on the extension side is synchronous, so the next test finds no stale panel. */
async function closeAll(): Promise<void> {
  for (const probe of api.panels.open()) probe.panel.dispose();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function probeOf<T>(value: T | undefined, what: string): T {
  assert.ok(value, `${what} is not open`);
  return value;
}

async function completedReplay(options: Record<string, unknown>): Promise<ReplayJob> {
  const job = await api.replays.wait((await replayTrace(options)).id);
  assert.strictEqual(job.status, 'COMPLETED', job.error);
  return job;
}

/** Opens the comparison panel of `jobId` with Open Comparison; resolves once it shows the comparison. */
async function openComparison(jobId: string): Promise<PanelProbe> {
  assert.strictEqual(await vscode.commands.executeCommand<string>('traceReplay.openComparison', jobId), jobId);
  const probe = probeOf(api.panels.comparison(jobId), 'the comparison panel');
  await whenShown(probe, method('comparison/show'));
  return probe;
}

/** Opens the trace panel of `traceId` with Open Trace Details; resolves once it shows the trace. */
async function openTrace(traceId: string): Promise<PanelProbe> {
  assert.strictEqual(await vscode.commands.executeCommand<string>('traceReplay.openTraceDetail', { traceId }), traceId);
  const probe = probeOf(api.panels.trace(traceId), 'the trace panel');
  await whenShown(probe, method('trace/show'));
  return probe;
}

describe('Panels: comparison, trace detail, batch', () => {
  let fake: FakeLlmServer | undefined;
  let first: ReplayJob;
  let second: ReplayJob;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json', 'prompt-apps.otlp.json');
    // Two replays of one trace: the comparisons, the trace history and the batch read them.
    first = await completedReplay({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' });
    second = await completedReplay({ traceId: WEATHER_TRACE, model: 'openai:gpt-4o' });
    await closeAll();
  });
  after(async () => {
    await tearDownProviders(api, fake);
  });
  beforeEach(() => fake?.reset());
  afterEach(async () => {
    api.panels.presetReplay(undefined);
    await closeAll();
  });

  it('"Open Comparison" opens the comparison panel; the webview says ready and gets the comparison', async () => {
    const id = await vscode.commands.executeCommand<string>('traceReplay.openComparison', first.id);
    assert.strictEqual(id, first.id);
    const probe = probeOf(api.panels.comparison(first.id), 'the comparison panel');
    assert.strictEqual(probe.panel.viewType, 'traceReplay.comparison');
    assert.strictEqual(probe.panel.title, 'Replay: weather-agent');
    // Delivered only after the real webview's `webview/ready` (the host holds its state until then).
    const shown = (await whenDelivered(probe, method('comparison/show'))) as ShowComparison;
    assert.ok(probe.isReady, 'the webview announced itself');
    assert.strictEqual(shown.params.comparison.replayId, first.id);
    assert.ok(
      shown.params.history.some((h) => h.jobId === first.id && h.status === 'COMPLETED'),
      'the trace replay history is included',
    );
  });

  it('the same replay from a Replays view node reveals the same panel (one panel per replay)', async () => {
    const { panel } = await openComparison(first.id);
    const node = { type: 'replay', job: first };
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('traceReplay.openComparison', node, [node]),
      first.id,
    );
    assert.strictEqual(api.panels.comparison(first.id)?.panel, panel);
  });

  it('a running replay and a failed one without a replayed trace open no panel (a message says why)', async () => {
    let release!: () => void;
    fake!.enqueue({ hold: new Promise<void>((r) => (release = r)) });
    const started = nextEvent(api, (e) => e.type === 'span-started');
    const running = await replayTrace({ traceId: NEWS_TRACE });
    try {
      await started;
      assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', running.id), undefined);
      assert.strictEqual(api.panels.comparison(running.id), undefined);
    } finally {
      // The held request ends even when an assertion failed, so the replay does not outlive the test.
      release();
      await api.replays.wait(running.id);
    }

    // Queued past the commands' key check (which would queue nothing): the engine fails it on the missing key.
    const failed = await api.replays.wait((await api.replays.enqueue(CHAT_TRACE, { model: 'keyed:some-model' })).id);
    assert.strictEqual(failed.status, 'FAILED');
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', failed.id), undefined);
    assert.strictEqual(api.panels.comparison(failed.id), undefined);
  });

  it("comparison/openDiff opens VS Code's diff editor on the span's original and replayed output", async () => {
    const probe = await openComparison(first.id);
    const shown = (await whenShown(probe, method('comparison/show'))) as ShowComparison;
    const row = shown.params.comparison.spans.find((r) => r.llm?.output && r.original);
    assert.ok(row, 'an LLM span with an output diff');
    await probe.dispatch({
      method: 'comparison/openDiff',
      params: { replayId: first.id, spanId: row.original!.spanId, side: 'output' },
    });
    const tab = diffTabs().find((t) => t.original.scheme === 'trace-replay-diff');
    assert.ok(tab, 'a diff editor tab on the trace-replay-diff documents');
    assert.match(tab.original.path, /\/output\/original\./);
    assert.match(tab.modified.path, /\/output\/replay\./);
    const replayed = await vscode.workspace.openTextDocument(tab.modified);
    assert.ok(replayed.getText().length > 0, 'the replayed output text');
  });

  it('comparison/selectReplay switches the panel to another replay of the trace; the history updates live', async () => {
    const probe = await openComparison(first.id);
    // A replay made while the panel is open reaches its history.
    const another = await completedReplay({ traceId: WEATHER_TRACE, model: 'openai:gpt-4o' });
    await whenShown(probe, historyHas(another.id, 'COMPLETED'));
    await probe.dispatch({ method: 'comparison/selectReplay', params: { jobId: another.id } });
    const shown = (await whenShown(
      probe,
      (m) => m.method === 'comparison/show' && (m as ShowComparison).params.comparison.replayId === another.id,
    )) as ShowComparison;
    assert.strictEqual(shown.params.comparison.replayId, another.id);
    assert.strictEqual(api.panels.comparison(another.id), probe, 'the same panel now shows the other replay');
    assert.strictEqual(api.panels.comparison(first.id), undefined);
  });

  it('"Compare Two Replays" opens both comparisons side by side', async () => {
    const a = { type: 'replay', job: first };
    const b = { type: 'replay', job: second };
    const ids = await vscode.commands.executeCommand<string[]>('traceReplay.compareReplays', a, [a, b]);
    assert.deepStrictEqual(ids, [first.id, second.id]);
    const left = probeOf(api.panels.comparison(first.id), 'the first comparison').panel;
    const right = probeOf(api.panels.comparison(second.id), 'the second comparison').panel;
    assert.strictEqual(await columnOf(left), vscode.ViewColumn.One);
    assert.strictEqual(await columnOf(right), vscode.ViewColumn.Two);
  });

  it('a click on a trace in the Traces view opens its detail panel with the replay history; the row stays expandable', async () => {
    const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, WEATHER_TRACE));
    const item = api.tracesTree.getTreeItem(traceRoot(roots, WEATHER_TRACE)!);
    assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.strictEqual(item.command?.command, 'traceReplay.openTraceDetail');
    const id = await vscode.commands.executeCommand<string>(item.command.command, ...(item.command.arguments ?? []));
    assert.strictEqual(id, WEATHER_TRACE);
    const probe = probeOf(api.panels.trace(WEATHER_TRACE), 'the trace panel');
    assert.strictEqual(probe.panel.viewType, 'traceReplay.traceDetail');
    assert.strictEqual(probe.panel.title, 'Trace: weather-agent');
    const shown = (await whenShown(probe, method('trace/show'))) as ShowTrace;
    const history = shown.params.history.map((h) => h.jobId);
    assert.ok(history.includes(first.id) && history.includes(second.id), 'both replays of the trace are listed');
  });

  it('a click on a span opens the trace panel with that span selected', async () => {
    const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, WEATHER_TRACE));
    const [span] = await api.tracesTree.getChildren(traceRoot(roots, WEATHER_TRACE)!);
    const cmd = api.tracesTree.getTreeItem(span).command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const shown = (await whenShown(
      api.panels.trace(WEATHER_TRACE)!,
      (m) => m.method === 'trace/show' && !!(m as ShowTrace).params.selectSpanId,
    )) as ShowTrace;
    assert.strictEqual(shown.params.selectSpanId, span.type === 'span' ? span.span.id : '');
  });

  it('trace/replay from the trace panel runs Replay Trace for the trace; its history shows the new replay', async () => {
    const probe = await openTrace(WEATHER_TRACE);
    api.panels.presetReplay({ confirm: false, model: 'openai:gpt-4o-mini' });
    const queued = nextEvent(api, (e) => e.type === 'job-queued');
    await probe.dispatch({ method: 'trace/replay', params: { traceId: WEATHER_TRACE } });
    const { job } = await queued;
    assert.strictEqual(job.traceId, WEATHER_TRACE);
    assert.deepStrictEqual(job.overrides, { model: 'openai:gpt-4o-mini' });
    assert.strictEqual((await api.replays.wait(job.id)).status, 'COMPLETED');
    await whenShown(probe, historyHas(job.id, 'COMPLETED'));
  });

  it('trace/openComparison opens the comparison panel of that replay', async () => {
    const trace = await openTrace(WEATHER_TRACE);
    await trace.dispatch({ method: 'trace/openComparison', params: { jobId: first.id } });
    const probe = probeOf(api.panels.comparison(first.id), 'the comparison panel');
    await whenShown(probe, method('comparison/show'));
  });

  it('"Open Batch Summary" opens the batch panel with the aggregate of the replays', async () => {
    const ids = await vscode.commands.executeCommand<string[]>('traceReplay.openBatchSummary', [first.id, second.id]);
    assert.deepStrictEqual([...(ids ?? [])].sort(), [first.id, second.id].sort());
    const probe = probeOf(api.panels.batch([first.id, second.id]), 'the batch panel');
    assert.strictEqual(probe.panel.viewType, 'traceReplay.batch');
    const shown = (await whenShown(probe, method('batch/show'))) as Envelope<{ batch: { count: number } }>;
    assert.strictEqual(shown.params.batch.count, 2);
  });

  describe('restore after a reload (the registered serializers)', () => {
    const fresh = (viewType: string) =>
      vscode.window.createWebviewPanel(viewType, 'restoring', vscode.ViewColumn.One, {});

    it('a comparison panel restores from its saved replay id', async () => {
      const panel = fresh('traceReplay.comparison');
      const probe = await api.panels.restore('comparison', panel, { panel: 'comparison', jobId: first.id });
      assert.strictEqual(probe.panel, panel);
      assert.strictEqual(api.panels.comparison(first.id)?.panel, panel);
      const shown = (await whenShown(probe, method('comparison/show'))) as ShowComparison;
      assert.strictEqual(shown.params.comparison.replayId, first.id);
    });

    it('a trace panel and a batch panel restore from their saved ids', async () => {
      const trace = await api.panels.restore('trace', fresh('traceReplay.traceDetail'), {
        panel: 'trace',
        traceId: WEATHER_TRACE,
      });
      assert.strictEqual(((await whenShown(trace, method('trace/show'))) as ShowTrace).params.traceId, WEATHER_TRACE);
      const batch = await api.panels.restore('batch', fresh('traceReplay.batch'), {
        panel: 'batch',
        jobIds: [first.id, second.id],
      });
      await whenShown(batch, method('batch/show'));
    });

    it('a panel restored while one of the same id is open closes the restored duplicate (no empty tab)', async () => {
      await vscode.commands.executeCommand('traceReplay.openComparison', first.id);
      const open = probeOf(api.panels.comparison(first.id), 'the open comparison panel');
      const duplicate = fresh('traceReplay.comparison');
      const closed = new Promise<void>((resolve) => duplicate.onDidDispose(() => resolve()));
      const probe = await api.panels.restore('comparison', duplicate, { panel: 'comparison', jobId: first.id });
      await closed;
      assert.strictEqual(probe.panel, open.panel, 'the open panel is kept');
      assert.strictEqual(api.panels.comparison(first.id)?.panel, open.panel);
    });

    it('a replay or trace that is gone leaves a panel that says so', async () => {
      const gone = await api.panels.restore('comparison', fresh('traceReplay.comparison'), {
        panel: 'comparison',
        jobId: 'no-such-replay',
      });
      const notice = (await whenShown(gone, method('host/notice'))) as Envelope<{ text: string }>;
      assert.match(notice.params.text, /no-such-replay is no longer in the store/);
      const goneTrace = await api.panels.restore('trace', fresh('traceReplay.traceDetail'), {
        panel: 'trace',
        traceId: 'ffffffffffffffffffffffffffffffff',
      });
      assert.match(
        ((await whenShown(goneTrace, method('host/notice'))) as Envelope<{ text: string }>).params.text,
        /no longer in the store/,
      );
    });
  });

  it('deleting the replay of an open comparison turns the panel into a notice', async () => {
    const job = await completedReplay({ traceId: NEWS_TRACE });
    const probe = await openComparison(job.id);
    assert.strictEqual(await vscode.commands.executeCommand<number>('traceReplay.deleteReplay', job.id), 1);
    const notice = (await whenShown(probe, method('host/notice'))) as Envelope<{ text: string }>;
    assert.match(notice.params.text, /no longer in the history/);
  });

  it('an LLM output with markup reaches the webview as data; the panel page allows only its nonce script', async () => {
    const xss = '<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=2</script>';
    fake!.enqueue({ text: xss });
    const job = await api.replays.wait(
      (await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' })).id,
    );
    assert.strictEqual(job.status, 'COMPLETED', job.error);
    await vscode.commands.executeCommand('traceReplay.openComparison', job.id);
    const probe = api.panels.comparison(job.id)!;
    const shown = await whenShown(probe, method('comparison/show'));
    assert.ok(JSON.stringify(shown.params).includes('onerror='), 'the output is carried as string data');
    const html = probe.panel.webview.html;
    assert.ok(!html.includes('onerror'), 'no trace content in the HTML shell');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, `the CSP has a nonce script-src: ${csp}`);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /script-src 'nonce-[^']+';/, 'script-src is the nonce only');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.strictEqual(scripts.length, 1);
    assert.ok(
      scripts[0][1].includes(`nonce="${nonce}"`) && scripts[0][2].trim() === '',
      'one external script carrying the nonce, nothing inline',
    );
  });
});
