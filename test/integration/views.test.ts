// The Traces view's preview panel, Compare Two Replays of different traces and Open in Diff Editor
// on a tool call (issue 12, items 9 and 10), on real replays against the fake LLM server. Waits
// are on events, never on timers.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { ShownToast } from '../../src/extension/common/notifications';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { Envelope } from '../../src/protocol';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, traceRoot, whenRoots, whenShown } from './helpers';
import {
  CHAT_TRACE,
  importFixtures,
  replayTrace,
  setUpProviders,
  tearDownProviders,
  WEATHER_TRACE,
} from './replay-helpers';

let api: TraceReplayApi;

async function closeAll(): Promise<void> {
  for (const probe of api.panels.open()) probe.panel.dispose();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** What a click on the trace's row in the Traces view runs. */
async function clickTrace(traceId: string): Promise<unknown> {
  const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, traceId));
  const cmd = api.tracesTree.getTreeItem(traceRoot(roots, traceId)!).command!;
  return vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
}

const traceTabs = (): vscode.Tab[] =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('traceReplay.traceDetail'));

/** The editor tabs once a tab labelled `label` is there (the tab model follows the panels a moment later). */
function whenTab(label: string): Promise<vscode.Tab[]> {
  const all = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  if (all().some((t) => t.label === label)) return Promise.resolve(all());
  return new Promise((resolve) => {
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!all().some((t) => t.label === label)) return;
      sub.dispose();
      resolve(all());
    });
  });
}

describe('Views: preview panel, Compare Two Replays, diff editor titles', () => {
  let fake: FakeLlmServer | undefined;
  let weather: ReplayJob;
  let chat: ReplayJob;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json', 'prompt-apps.otlp.json');
    // The first call of the weather agent answers with another tool call than the recorded one.
    fake.enqueue({ toolCalls: [{ id: 'call_f', name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } }] });
    weather = await api.replays.wait((await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' })).id);
    assert.strictEqual(weather.status, 'COMPLETED', weather.error);
    chat = await api.replays.wait((await replayTrace({ traceId: CHAT_TRACE, model: 'openai:gpt-4.1-mini' })).id);
    assert.strictEqual(chat.status, 'COMPLETED', chat.error);
    await closeAll();
  });
  after(async () => {
    await closeAll();
    await tearDownProviders(api, fake);
  });

  it('a click on another trace reuses the preview panel: one trace tab', async () => {
    await clickTrace(WEATHER_TRACE);
    const preview = api.panels.previewTrace();
    assert.ok(preview, 'the click opened the preview panel');
    assert.strictEqual(api.panels.trace(WEATHER_TRACE), preview);
    await clickTrace(CHAT_TRACE);
    assert.strictEqual(api.panels.previewTrace(), preview, 'the same panel');
    assert.strictEqual(api.panels.trace(CHAT_TRACE), preview, 'now showing the other trace');
    assert.strictEqual(api.panels.trace(WEATHER_TRACE), undefined);
    await whenShown(
      preview,
      (m) => m.method === 'trace/show' && (m as Envelope<{ traceId: string }>).params.traceId === CHAT_TRACE,
    );
    assert.strictEqual(api.panels.open().filter((p) => p.kind === 'trace').length, 1);
    await whenTab(preview.panel.title);
    assert.strictEqual(
      traceTabs().length,
      1,
      `one trace tab in the editor area: ${vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .map((t) => t.label)
        .join(', ')}`,
    );
  });

  it('the same row opened again (a double click) pins the panel; the next click opens a new preview', async () => {
    const pinned = api.panels.trace(CHAT_TRACE);
    await clickTrace(CHAT_TRACE);
    assert.strictEqual(api.panels.previewTrace(), undefined, 'no preview panel any more');
    assert.strictEqual(api.panels.trace(CHAT_TRACE), pinned, 'kept');
    await clickTrace(WEATHER_TRACE);
    const preview = api.panels.previewTrace();
    assert.ok(preview && preview !== pinned, 'a new preview panel');
    assert.strictEqual(api.panels.open().filter((p) => p.kind === 'trace').length, 2);
  });

  it('acting in the preview panel pins it; "Open Trace" from the context menu opens a pinned panel', async () => {
    const preview = api.panels.previewTrace();
    assert.ok(preview);
    await preview.dispatch({ method: 'trace/openComparison', params: { jobId: weather.id } });
    assert.strictEqual(api.panels.previewTrace(), undefined, 'the panel the user acted in is kept');
    await closeAll();
    const roots = await api.tracesTree.getChildren();
    const node = traceRoot(roots, WEATHER_TRACE)!;
    await vscode.commands.executeCommand('traceReplay.openTraceDetail', node, [node]);
    assert.ok(api.panels.trace(WEATHER_TRACE));
    assert.strictEqual(api.panels.previewTrace(), undefined, 'Open Trace pins');
  });

  it('Compare Two Replays of different traces opens nothing; the toast says why and what to select', async () => {
    await closeAll();
    const a = { type: 'replay', job: weather };
    const b = { type: 'replay', job: chat };
    const toast = new Promise<ShownToast>((resolve) => {
      const sub = api.toasts.onDidShow((t) => {
        sub.dispose();
        resolve(t);
      });
    });
    api.toasts.preset(() => undefined); // dismissed, as a person closing it
    try {
      assert.strictEqual(await vscode.commands.executeCommand('traceReplay.compareReplays', a, [a, b]), undefined);
      const shown = await toast;
      assert.strictEqual(shown.severity, 'warning');
      assert.match(shown.message, /^These replays are of different traces \("weather-agent" and "[^"]+"\)/);
      assert.match(shown.message, /select two replays under the same trace in the Replays view/);
    } finally {
      api.toasts.preset(undefined);
    }
    assert.strictEqual(api.panels.comparison(weather.id), undefined);
    assert.strictEqual(api.panels.comparison(chat.id), undefined);
  });

  it('Open in Diff Editor on an output diffs the tool call too; the tab title names the call', async () => {
    await vscode.commands.executeCommand('traceReplay.openComparison', weather.id);
    const probe = api.panels.comparison(weather.id);
    assert.ok(probe);
    type Shown = Envelope<{
      comparison: { spans: { original: { spanId: string; step?: number } | null; llm?: unknown }[] };
    }>;
    const shown = (await whenShown(probe, (m) => m.method === 'comparison/show')) as Shown;
    const first = shown.params.comparison.spans.find((r) => r.llm && r.original?.step === 1);
    assert.ok(first, 'the first LLM call, step 1');
    await probe.dispatch({
      method: 'comparison/openDiff',
      params: { replayId: weather.id, spanId: first.original!.spanId, side: 'output' },
    });
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.scheme === 'trace-replay-diff');
    assert.ok(tab, 'a diff editor tab');
    assert.match(tab.label, /^#1 gpt-4o-mini\S* · output: original ↔ replay$/);
    const input = tab.input as vscode.TabInputTextDiff;
    const original = JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText()) as unknown;
    const replay = JSON.parse((await vscode.workspace.openTextDocument(input.modified)).getText()) as unknown;
    type Output = { text: unknown; toolCalls: unknown; finishReason: unknown };
    assert.deepStrictEqual(
      (original as Output).toolCalls,
      [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      'the recorded tool call, arguments parsed',
    );
    assert.deepStrictEqual(
      (replay as Output).toolCalls,
      [{ name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } }],
      'the replayed tool call',
    );
    assert.deepStrictEqual(Object.keys(original as object), ['text', 'toolCalls', 'finishReason']);
    assert.strictEqual(typeof (replay as Output).finishReason, 'string');
  });
});
