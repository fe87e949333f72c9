// Langfuse in VS Code against the loopback fake Langfuse (its answers validated against Langfuse's
// OpenAPI document) and the fake LLM server: connect, switch the Traces view to the connection,
// expand a trace (copied into the store), replay it with a prompt version the wizard lists, write
// the replay back, and the one-sentence errors (401, 404, 429) — with no request the user did not ask for.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { NoticeNode, TraceNode, TracesTreeNode } from '../../src/extension/views/traces-tree';
import type { FakeObservation, FakePromptVersion } from '../support/fake-langfuse/fake-langfuse-data';
import { startFakeLangfuse, type FakeLangfuseServer } from '../support/fake-langfuse/fake-langfuse-server';
import { agentTrace } from '../support/fake-langfuse/langfuse-fixtures';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, describeSubtree, extension, label, whenRoots } from './helpers';
import { replayTrace, setUpProviders, tearDownProviders } from './replay-helpers';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const CONNECTION = 'itest';
const SOURCE = `langfuse:${CONNECTION}`;
const BAD_CONNECTION = 'itest-badkeys';

const PROMPTS: FakePromptVersion[] = [
  {
    name: 'weather-system',
    version: 3,
    type: 'text',
    prompt: 'You are a weather bot for {{city}}.',
    labels: ['production'],
  },
  {
    name: 'weather-system',
    version: 4,
    type: 'text',
    prompt: 'You are a concise weather bot for {{city}}. Answer in one sentence.',
    labels: ['staging'],
  },
];
const V4_RENDERED = 'You are a concise weather bot for Paris. Answer in one sentence.';

/** The fixture agent trace, its first generation rendered from weather-system version 3. */
function promptedTrace(traceId: string, baseMs: number): FakeObservation[] {
  return agentTrace(traceId, baseMs).map((o) =>
    o.id === `${traceId}-gen1` && typeof o.input === 'string'
      ? { ...o, input: o.input.replace('You are a weather bot.', 'You are a weather bot for Paris.') }
      : o,
  );
}

function traces(roots: TracesTreeNode[]): TraceNode[] {
  return roots.filter((n): n is TraceNode => n.type === 'trace');
}

function notices(nodes: TracesTreeNode[]): NoticeNode[] {
  return nodes.filter((n): n is NoticeNode => n.type === 'notice');
}

async function switchTo(sourceId: string): Promise<unknown> {
  return vscode.commands.executeCommand('traceReplay.switchTraceSource', sourceId);
}

describe('Langfuse as a trace source', () => {
  let api: TraceReplayApi;
  let langfuse: FakeLangfuseServer;
  let llm: FakeLlmServer | undefined;

  before(async () => {
    api = await activatedApi();
    langfuse = await startFakeLangfuse({
      observations: [...promptedTrace('lf-trace-a', T0), ...promptedTrace('lf-trace-b', T0 + 60_000)],
      prompts: PROMPTS,
    });
    llm = await setUpProviders(api);
  });

  after(async () => {
    await switchTo('local');
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('langfuse.connections', undefined, vscode.ConfigurationTarget.Global);
    await config.update('langfuse.connections', undefined, vscode.ConfigurationTarget.Workspace);
    for (const name of [CONNECTION, BAD_CONNECTION]) {
      await api.setApiKey(`langfuse.${name}.publicKey`, undefined);
      await api.setApiKey(`langfuse.${name}.secretKey`, undefined);
    }
    await tearDownProviders(api, llm);
    const violations = langfuse ? [...langfuse.violations] : [];
    await langfuse?.close();
    assert.deepStrictEqual(violations, [], 'the fake Langfuse answered outside its OpenAPI document');
  });

  it('links "Connect Langfuse..." from the empty Traces view', () => {
    const manifest = extension().packageJSON as {
      contributes: { viewsWelcome: { view: string; when?: string; contents: string }[] };
    };
    const idle = manifest.contributes.viewsWelcome.find(
      (w) =>
        w.view === 'traceReplay.traces' && w.when === '!traceReplay.tracesFiltered && !traceReplay.receiverRunning',
    );
    assert.match(idle?.contents ?? '', /\[Connect Platform\.\.\.\]\(command:traceReplay\.connectPlatform\)/);
  });

  it('Connect Langfuse saves the connection and lists its traces, with cost next to tokens', async () => {
    const sourceId = await vscode.commands.executeCommand<string>('traceReplay.connectLangfuse', {
      name: CONNECTION,
      baseUrl: langfuse.baseUrl,
      publicKey: langfuse.publicKey,
      secretKey: langfuse.secretKey,
    });
    assert.strictEqual(sourceId, SOURCE);
    assert.deepStrictEqual(vscode.workspace.getConfiguration('traceReplay').get('langfuse.connections'), [
      { name: CONNECTION, baseUrl: langfuse.baseUrl },
    ]);
    assert.strictEqual(api.sources.active().id, SOURCE);
    assert.strictEqual(api.tracesTree.source.label, `Langfuse ${CONNECTION} (${new URL(langfuse.baseUrl).host})`);

    const roots = await whenRoots(api.tracesTree, (r) => traces(r).length === 2);
    assert.deepStrictEqual(
      traces(roots).map((n) => n.summary.id),
      ['lf-trace-b', 'lf-trace-a'],
      'newest first',
    );
    const item = api.tracesTree.getTreeItem(traces(roots)[1]);
    assert.strictEqual(label(item), 'weather-agent');
    assert.strictEqual(item.id, `trace/${SOURCE}/lf-trace-a`);
    // 0.00015 + 0.0002 USD from the generations' costDetails.
    assert.match(String(item.description), /gpt-4o-mini, claude-haiku-4-5 · \d+ tok · \$0\.00035$/);
    assert.deepStrictEqual(item.command?.arguments, [{ traceId: 'lf-trace-a', sourceId: SOURCE }, { preview: true }]);
    assert.ok(!roots.some((n) => n.type === 'loadMore'), 'one page holds both traces');
  });

  it('asks Langfuse again only on a user action: switching back and Refresh', async () => {
    const before = langfuse.requests.length;
    await api.tracesTree.getChildren();
    await api.tracesTree.getChildren();
    assert.strictEqual(langfuse.requests.length, before, 'showing the list again costs no request');

    assert.strictEqual(await switchTo('local'), 'local');
    const local = await api.tracesTree.getChildren();
    assert.ok(!local.some((n) => n.type === 'trace' && n.sourceId), 'the local store is listed');
    assert.strictEqual(langfuse.requests.length, before);

    assert.strictEqual(await switchTo(SOURCE), SOURCE);
    await whenRoots(api.tracesTree, (r) => traces(r).length === 2);
    const afterSwitch = langfuse.requests.length;
    assert.ok(afterSwitch > before, 'a switch reads the list afresh');
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    await whenRoots(api.tracesTree, (r) => traces(r).length === 2);
    assert.ok(langfuse.requests.length > afterSwitch, 'Refresh reads it again');
  });

  it('expanding a Langfuse trace copies it into the store and shows its span tree', async () => {
    const [, traceA] = traces(await api.tracesTree.getChildren());
    const rows = await describeSubtree(api.tracesTree, traceA);
    assert.deepStrictEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['agent', 'robot'],
        ['  #1 gpt-4o-mini', 'sparkle'],
        ['  get_weather', 'tools'],
        ['  #2 claude-haiku-4-5', 'sparkle'],
      ],
    );
    assert.match(rows[1][2], /^80→12 tok · .* · plan$/, "tokens first, the span's own name last");
    const copy = await (await api.store()).getTrace('lf-trace-a');
    assert.strictEqual(copy?.source?.kind, 'langfuse');
    assert.strictEqual(copy?.source?.connection, CONNECTION);

    const requests = langfuse.requests.length;
    const opened = await vscode.commands.executeCommand<string>('traceReplay.openTraceDetail', {
      traceId: 'lf-trace-a',
      sourceId: SOURCE,
    });
    assert.strictEqual(opened, 'lf-trace-a', 'the detail panel shows the store copy');
    assert.strictEqual(langfuse.requests.length, requests, 'the copy is not read again');
    api.panels.trace('lf-trace-a')?.panel.dispose();
  });

  it('replays a Langfuse trace with a prompt version the wizard lists, and writes the replay back', async () => {
    const store = await api.store();
    const trace = await store.getTrace('lf-trace-a');
    assert.ok(trace);
    const choices = await api.sources.promptChoices([trace]);
    assert.deepStrictEqual(
      choices?.map((c) => [c.spec, c.description]),
      [
        ['langfuse:weather-system#production', 'label'],
        ['langfuse:weather-system#staging', 'label'],
        ['langfuse:weather-system@4', 'newest'],
        ['langfuse:weather-system@3', 'recorded'],
      ],
    );
    const v4 = choices!.find((c) => c.spec === 'langfuse:weather-system@4')!;
    const planSpan = trace.spans.find((s) => s.name === 'plan')!;
    assert.deepStrictEqual(v4.spanIds, [planSpan.id]);

    const job = await replayTrace({
      traceId: 'lf-trace-a',
      sourceId: SOURCE,
      model: 'openai:gpt-4.1-mini',
      templatePath: v4.spec,
      templateSpanIds: v4.spanIds,
    });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    const prompted = llm!.requests
      .filter((r) => r.api === 'chat.completions')
      .map((r) => (r.body.messages as { content?: unknown }[])[0]?.content);
    assert.ok(
      prompted.includes(V4_RENDERED),
      `version 4 was sent, rendered with the recorded city: ${JSON.stringify(prompted)}`,
    );

    const record = await api.platformReplays.recorded(job.id);
    assert.strictEqual(record?.originalTraceId, 'lf-trace-a');
    assert.ok(record?.writeBack, `written back (${record?.writeBackError ?? 'no error recorded'})`);
    assert.strictEqual(record.writeBack.platformTraceId, done.replayTraceId);
    assert.strictEqual(langfuse.otlpBodies.length, 1, 'one OTLP export to Langfuse');
  });

  it('refuses a prompt version Langfuse does not have before any LLM call', async () => {
    const sent = llm!.requests.length;
    const job = await vscode.commands.executeCommand('traceReplay.replayTrace', {
      traceId: 'lf-trace-a',
      sourceId: SOURCE,
      templatePath: 'langfuse:weather-system@99',
      confirm: false,
    });
    assert.strictEqual(job, undefined);
    assert.strictEqual(llm!.requests.length, sent);
  });

  it('a trace Langfuse no longer has shows one sentence under it (404)', async () => {
    for (let i = langfuse.observations.length - 1; i >= 0; i--)
      if (langfuse.observations[i].traceId === 'lf-trace-b') langfuse.observations.splice(i, 1);
    const [traceB] = traces(await api.tracesTree.getChildren());
    assert.strictEqual(traceB.summary.id, 'lf-trace-b', 'still listed from the page read before');
    const children = await api.tracesTree.getChildren(traceB);
    const [notice] = notices(children);
    assert.match(
      notice?.message ?? '',
      /^Trace lf-trace-b is not in Langfuse at .*; check the trace id and the project\.$/,
    );
    assert.strictEqual(api.tracesTree.getTreeItem(notice).command?.command, 'traceReplay.refreshTraces');
  });

  it('a rate limit shows one sentence instead of waiting (429 with a long Retry-After)', async () => {
    langfuse.rateLimitNext(1, '120');
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    assert.match(
      notices(roots)[0].message,
      /rate-limiting this project \(retry after 120 s\); wait a moment and try again/,
    );
    const requests = langfuse.requests.length;
    await api.tracesTree.getChildren();
    assert.strictEqual(langfuse.requests.length, requests, 'no retry on its own');
  });

  it('wrong keys (401) show one sentence naming the keys, with Connect Langfuse as the fix, and no retry', async () => {
    const sourceId = await vscode.commands.executeCommand<string>('traceReplay.connectLangfuse', {
      name: BAD_CONNECTION,
      baseUrl: langfuse.baseUrl,
      publicKey: langfuse.publicKey,
      secretKey: 'sk-lf-wrong',
    });
    assert.strictEqual(sourceId, `langfuse:${BAD_CONNECTION}`);
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    assert.strictEqual(traces(roots).length, 0);
    const [notice] = notices(roots);
    assert.strictEqual(
      notice.message,
      `Langfuse rejected the keys for ${langfuse.baseUrl}: check the public and secret key (project settings -> API keys).`,
    );
    const item = api.tracesTree.getTreeItem(notice);
    assert.strictEqual(item.contextValue, 'sourceError');
    assert.deepStrictEqual(
      [item.command?.command, item.command?.arguments],
      ['traceReplay.connectPlatform', [{ platform: 'langfuse', name: BAD_CONNECTION }]],
    );
    const requests = langfuse.requests.length;
    await api.tracesTree.getChildren();
    await api.tracesTree.getChildren();
    assert.strictEqual(langfuse.requests.length, requests, 'a failed read is not repeated until the user acts');
  });

  it('an unknown connection is refused and the view stays where it was', async () => {
    const before = api.sources.active().id;
    assert.strictEqual(await switchTo('langfuse:no-such-connection'), undefined);
    assert.strictEqual(api.sources.active().id, before);
  });
});
