// Arize Phoenix in VS Code against the loopback fake Phoenix (its answers validated against
// Phoenix's OpenAPI document; authentication on) holding every recorded OpenInference trace, and
// the fake LLM server: Connect Arize Phoenix saves the connection (key in SecretStorage) and lists
// the project's traces page by page; expanding a trace copies it into the store; the Replay Trace
// wizard offers the Phoenix prompt versions the trace's span is linked to, the replay sends the
// version's text, is written back with our scores as annotations, and its comparison panel shows
// Phoenix's annotations of both traces; errors are one sentence in the tree with the fix and are
// not retried on their own (401, unknown project, nothing listening, 429 with a long Retry-After).
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { ModelItem, SummaryItem } from '../../src/extension/replay/replay-wizard';
import type { NoticeNode, TraceNode, TracesTreeNode } from '../../src/extension/views/traces-tree';
import type { PanelProbe } from '../../src/extension/panels/panel-host';
import { isMessage, ShowComparisonMessage, type ComparisonShowParams, type Envelope } from '../../src/protocol';
import {
  startFakePhoenix,
  type FakePhoenixPrompts,
  type FakePhoenixServer,
} from '../support/fake-phoenix/fake-phoenix-server';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, describeSubtree, label, whenRoots } from './helpers';
import {
  closePhoenix,
  disconnectPhoenix,
  ingestInTimeOrder,
  LINKED_LLM_SPAN,
  LINKED_TRACE,
  linkedTraceBody,
  openInferenceFixtures,
  promptVersionId,
} from './phoenix-helpers';
import { setUpProviders, tearDownProviders } from './replay-helpers';

const CONNECTION = 'itest-phoenix';
const SOURCE = `phoenix:${CONNECTION}`;
const WRONG_KEY = 'itest-phoenix-wrongkey';
const NO_PROJECT = 'itest-phoenix-noproject';
const DOWN = 'itest-phoenix-down';
const API_KEY = 'px-itest-system-key';

const V1 = promptVersionId(1);
const V2 = promptVersionId(2);
const openai = { model_provider: 'OPENAI', model_name: 'gpt-4o-mini' } as const;
const PROMPTS: FakePhoenixPrompts = {
  'concise-assistant': [
    {
      ...openai,
      template_format: 'MUSTACHE',
      tags: ['production'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a {{tone}} assistant.' }] },
    },
    {
      ...openai,
      template_format: 'MUSTACHE',
      tags: ['staging'],
      description: 'one line',
      template: {
        type: 'chat',
        messages: [{ role: 'system', content: 'You are a {{tone}} assistant. Answer in one line.' }],
      },
    },
  ],
};
const V2_RENDERED = 'You are a concise assistant. Answer in one line.';

function traces(roots: TracesTreeNode[]): TraceNode[] {
  return roots.filter((n): n is TraceNode => n.type === 'trace');
}

function notices(nodes: TracesTreeNode[]): NoticeNode[] {
  return nodes.filter((n): n is NoticeNode => n.type === 'notice');
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

async function connect(options: Record<string, unknown>): Promise<string | undefined> {
  return vscode.commands.executeCommand<string | undefined>('traceReplay.connectPhoenix', options);
}

/** A port nothing listens on (a server opened and closed). */
async function closedPortUrl(): Promise<string> {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return url;
}

describe('Arize Phoenix as a trace source', () => {
  let api: TraceReplayApi;
  let phoenix: FakePhoenixServer;
  let llm: FakeLlmServer | undefined;
  /** The recorded traces' ids, newest first (the linked trace before them). */
  let listed: string[];
  let job: ReplayJob;
  let writtenBack: string;
  /** How many scores the default evaluators gave the replay (written as annotations). */
  let replayScores: number;

  before(async () => {
    api = await activatedApi();
    phoenix = await startFakePhoenix({
      apiKey: API_KEY,
      prompts: PROMPTS,
      // A reviewer's annotation of the original trace in Phoenix's UI.
      traceAnnotations: [
        {
          trace_id: LINKED_TRACE,
          name: 'helpful',
          annotator_kind: 'HUMAN',
          result: { label: 'yes', explanation: 'clear and short' },
        },
      ],
    });
    listed = ingestInTimeOrder(phoenix, openInferenceFixtures());
    assert.strictEqual(phoenix.ingest(linkedTraceBody('You are a {{tone}} assistant.', V1, { tone: 'concise' })), 2);
    listed.unshift(LINKED_TRACE);
    llm = await setUpProviders(api);
  });

  after(async () => {
    api.presetReplayInputs(undefined);
    for (const p of api.panels.open()) p.panel.dispose();
    await disconnectPhoenix(api, [CONNECTION, WRONG_KEY, NO_PROJECT, DOWN]);
    await tearDownProviders(api, llm);
    await closePhoenix(phoenix);
  });

  it("Connect Arize Phoenix with name, URL, project and key saves the connection (key in SecretStorage) and lists the project's traces", async () => {
    assert.ok(listed.length > 20, `more traces than one page: ${listed.length}`);
    const sourceId = await connect({ name: CONNECTION, baseUrl: phoenix.baseUrl, project: 'default', apiKey: API_KEY });
    assert.strictEqual(sourceId, SOURCE);
    const saved = vscode.workspace.getConfiguration('traceReplay').get('phoenix.connections');
    assert.deepStrictEqual(saved, [{ name: CONNECTION, baseUrl: phoenix.baseUrl, project: 'default' }]);
    assert.ok(
      !JSON.stringify(vscode.workspace.getConfiguration('traceReplay')).includes(API_KEY),
      'the key is not in the settings',
    );
    assert.strictEqual(api.sources.active().id, SOURCE);
    const sourceLabel = `Arize Phoenix ${CONNECTION} (${new URL(phoenix.baseUrl).host} / default)`;
    assert.strictEqual(api.tracesTree.source.label, sourceLabel);

    const roots = await whenRoots(api.tracesTree, (r) => traces(r).length > 0 || notices(r).length > 0);
    assert.deepStrictEqual(
      notices(roots).map((n) => n.message),
      [],
    );
    assert.deepStrictEqual(
      traces(roots).map((n) => n.summary.id),
      listed.slice(0, 20),
      'the first page, newest first',
    );
    const item = api.tracesTree.getTreeItem(traces(roots)[0]);
    assert.strictEqual(label(item), 'workflow');
    assert.strictEqual(item.id, `trace/${SOURCE}/${LINKED_TRACE}`);
    assert.match(String(item.description), /^gpt-4o-mini-2024-07-18 · 30 tok( · \$[\d.]+)?$/);
    assert.deepStrictEqual(item.command?.arguments, [{ traceId: LINKED_TRACE, sourceId: SOURCE }, { preview: true }]);
    const models = new Set(traces(roots).flatMap((n) => n.summary.models));
    for (const m of ['gpt-4o-mini-2024-07-18', 'claude-haiku-4-5-20251001', 'gemini-2.5-flash'])
      assert.ok(models.has(m), `${m} among ${[...models].join(', ')}`);
    assert.ok(
      roots.some((n) => n.type === 'loadMore'),
      'a "Load more" row',
    );
    // Every request carried the key from SecretStorage (the fake answers 401 otherwise).
    assert.ok(phoenix.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`));
  });

  it('Switch Trace Source offers the connection; showing the list again or switching back costs no request until Refresh', async () => {
    const offered = await api.sources.connections.list();
    assert.deepStrictEqual(
      offered.filter((c) => c.sourceId.startsWith('phoenix')).map((c) => [c.sourceId, c.label, c.settings.baseUrl]),
      [[SOURCE, `Arize Phoenix ${CONNECTION} (${new URL(phoenix.baseUrl).host} / default)`, phoenix.baseUrl]],
    );
    const before = phoenix.requests.length;
    await api.tracesTree.getChildren();
    assert.strictEqual(phoenix.requests.length, before, 'showing the list again costs no request');
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.switchTraceSource', 'local'), 'local');
    assert.strictEqual(phoenix.requests.length, before);
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.switchTraceSource', SOURCE), SOURCE);
    await whenRoots(api.tracesTree, (r) => traces(r).length === 20);
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    await whenRoots(api.tracesTree, (r) => traces(r).length === 20);
    assert.ok(phoenix.requests.length > before, 'a switch and Refresh read the list again');
  });

  it('Load more reads the next page', async () => {
    const roots = await api.tracesTree.getChildren();
    const more = roots.find((n) => n.type === 'loadMore');
    assert.ok(more);
    assert.strictEqual(api.tracesTree.getTreeItem(more).command?.command, 'traceReplay.loadMoreTraces');
    const pageReads = (): number => phoenix.requests.filter((r) => r.path === '/v1/projects/default/traces').length;
    const before = pageReads();
    await vscode.commands.executeCommand('traceReplay.loadMoreTraces');
    const all = await whenRoots(api.tracesTree, (r) => traces(r).length === listed.length);
    assert.deepStrictEqual(
      traces(all).map((n) => n.summary.id),
      listed,
      'each trace once, newest first',
    );
    assert.ok(!all.some((n) => n.type === 'loadMore'), 'no "Load more" once every trace is shown');
    assert.strictEqual(pageReads() - before, 1, 'one page read');
  });

  it('expanding a Phoenix trace copies it into the store and shows its span tree; the detail panel opens the copy', async () => {
    const node = traces(await api.tracesTree.getChildren()).find((n) => n.summary.id === LINKED_TRACE);
    assert.ok(node);
    const rows = await describeSubtree(api.tracesTree, node);
    assert.deepStrictEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['workflow', 'link'],
        ['  #1 gpt-4o-mini-2024-07-18', 'sparkle'],
      ],
    );
    assert.match(rows[1][2], /^21→9 tok · .* · OpenAI Chat Completions$/);
    const { localId, fetched } = await api.sources.fetchTrace(SOURCE, LINKED_TRACE);
    assert.strictEqual(fetched, false, 'already in the store');
    const copy = await (await api.store()).getTrace(localId);
    assert.strictEqual(copy?.source?.kind, 'phoenix');
    assert.strictEqual(copy?.source?.connection, CONNECTION);
    assert.strictEqual(copy?.source?.traceId, LINKED_TRACE);

    const requests = phoenix.requests.length;
    const opened = await vscode.commands.executeCommand<string>('traceReplay.openTraceDetail', {
      traceId: LINKED_TRACE,
      sourceId: SOURCE,
    });
    assert.strictEqual(opened, localId, 'the detail panel shows the store copy');
    assert.strictEqual(phoenix.requests.length, requests, 'the copy is not read again');
    api.panels.trace(localId)?.panel.dispose();
  });

  it("the Replay Trace wizard offers the linked Phoenix prompt's tags and versions; the replay sends the picked version and is written back with our scores", async () => {
    const { localId } = await api.sources.fetchTrace(SOURCE, LINKED_TRACE);
    const trace = await (await api.store()).getTrace(localId);
    assert.ok(trace);
    const choices = await api.sources.promptChoices([trace]);
    // Phoenix's version ids are opaque: the rows number the versions (oldest 1) and name the id.
    assert.deepStrictEqual(
      choices?.map((c) => [c.spec, c.label, c.description]),
      [
        ['phoenix:concise-assistant#production', 'concise-assistant #production', 'tag'],
        ['phoenix:concise-assistant#staging', 'concise-assistant #staging', 'tag'],
        [`phoenix:concise-assistant@${V2}`, 'concise-assistant v2', `newest, one line, id ${V2}`],
        [`phoenix:concise-assistant@${V1}`, 'concise-assistant v1', `recorded, id ${V1}`],
      ],
    );
    assert.ok(choices.every((c) => c.spanIds.length === 1 && c.spanIds[0] === LINKED_LLM_SPAN));

    // The wizard, answered as a user would: a model, the newest Phoenix version, the rest as offered.
    const offered: string[] = [];
    const asked: string[] = [];
    let summary: PickStep<SummaryItem> | undefined;
    const inputs: QuickInputs = {
      pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
        const items = s.items as readonly vscode.QuickPickItem[];
        asked.push(`${s.step ?? '-'}: ${s.placeholder ?? s.title}`);
        if (s.step === 1) {
          const model = s as unknown as PickStep<ModelItem>;
          return Promise.resolve(
            (model.items.find((i) => i.spec === 'openai:gpt-4.1-mini') ??
              model.typedItem?.('openai:gpt-4.1-mini')) as unknown as StepResult<I>,
          );
        }
        const version = items.find((i) => (i as { prompt?: { spec: string } }).prompt !== undefined);
        if (version) {
          offered.push(
            ...items.map((i) => (i as { prompt?: { spec: string } }).prompt?.spec).filter((x): x is string => !!x),
          );
          return Promise.resolve(
            items.find(
              (i) => (i as { prompt?: { spec: string } }).prompt?.spec === `phoenix:concise-assistant@${V2}`,
            ) as StepResult<I>,
          );
        }
        const start = items.find((i) => (i as SummaryItem).start);
        if (start) summary = s as unknown as PickStep<SummaryItem>;
        return Promise.resolve((start ?? items[0]) as StepResult<I>); // mode: Independent; summary: Start replay
      },
      inputText: (s) => {
        asked.push(`${s.step ?? '-'}: ${s.prompt}`);
        return Promise.resolve(s.value); // parameters as recorded
      },
    };
    api.presetReplayInputs(inputs);
    const toasts: string[] = [];
    const sub = api.toasts.onDidShow((t) => toasts.push(t.message));
    const sent = llm!.requests.length;
    try {
      const queued = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', {
        traceId: LINKED_TRACE,
        sourceId: SOURCE,
      });
      assert.ok(queued, `a job was queued (asked: ${asked.join(' | ')}; toasts: ${toasts.join(' | ')})`);
      job = queued;
    } finally {
      sub.dispose();
      api.presetReplayInputs(undefined);
    }
    assert.deepStrictEqual(
      offered,
      choices.map((c) => c.spec),
      'the wizard lists what promptChoices gives',
    );
    assert.strictEqual(
      summary?.items.find((i) => i.fact === 'template')?.description,
      `phoenix:concise-assistant@${V2}`,
    );
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    const prompted = llm!.requests
      .slice(sent)
      .filter((r) => r.api === 'chat.completions')
      .map((r) => (r.body.messages as { content?: unknown }[])[0]?.content);
    assert.deepStrictEqual(prompted, [V2_RENDERED], 'the new version, rendered with the recorded tone');

    const record = await api.platformReplays.recorded(job.id);
    assert.strictEqual(record?.platform, 'phoenix');
    assert.strictEqual(record?.originalTraceId, LINKED_TRACE);
    assert.ok(record?.writeBack, `written back (${record?.writeBackError ?? 'no error recorded'})`);
    writtenBack = record.writeBack.platformTraceId;
    assert.match(record.writeBack.url ?? '', new RegExp(`^${phoenix.baseUrl}/projects/[^/]+/traces/${writtenBack}$`));
    assert.strictEqual(phoenix.otlpBodies.length, 1, 'one OTLP export to Phoenix');
    assert.strictEqual(phoenix.otlpBodies[0].contentType, 'application/x-protobuf');
    assert.ok(
      phoenix.store.traces.some((t) => t.traceId === writtenBack),
      'Phoenix stored the replay',
    );
    assert.ok(done.evaluation?.replay.length, 'the default evaluators scored the replay');
    replayScores = done.evaluation.replay.length;
    const ours = [...phoenix.spanAnnotations, ...phoenix.traceAnnotations].filter(
      (a) => a.identifier === 'trace-replay',
    );
    assert.strictEqual(record.scoresWritten, done.evaluation.replay.length, record.scoresError);
    assert.strictEqual(ours.length, record.scoresWritten, 'our scores as annotations');
    assert.ok(ours.every((a) => a.annotator_kind === 'CODE' || a.annotator_kind === 'LLM'));
  });

  it("the comparison panel shows Phoenix's annotations of the original and of the written-back replay", async () => {
    // Phoenix's own evaluator annotates the written-back replay, through its REST API.
    const res = await fetch(`${phoenix.baseUrl}/v1/trace_annotations?sync=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: [
          {
            trace_id: writtenBack,
            name: 'correctness',
            annotator_kind: 'LLM',
            result: { score: 0.9, label: 'correct' },
          },
        ],
      }),
    });
    assert.strictEqual(res.status, 200, await res.text());
    const reads = (): number =>
      phoenix.requests.filter((r) => r.path.endsWith('_annotations') && r.method === 'GET').length;
    const before = reads();
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.openComparison', job.id), job.id);
    const probe = api.panels.comparison(job.id);
    assert.ok(probe, 'the comparison panel is open');
    const read = await whenShown(probe, (p) => p.platform?.state === 'read');
    assert.strictEqual(
      read.platform?.platform,
      `Arize Phoenix ${CONNECTION} (${new URL(phoenix.baseUrl).host} / default)`,
    );
    const scores = read.comparison.platformScores;
    const helpful = scores.find((s) => s.name === 'helpful');
    assert.deepStrictEqual(helpful && [helpful.value, helpful.source, helpful.target, helpful.comment], [
      'yes',
      'phoenix:human',
      { traceId: LINKED_TRACE },
      'clear and short',
    ]);
    const correctness = scores.find((s) => s.name === 'correctness');
    assert.deepStrictEqual(correctness && [correctness.value, correctness.source, correctness.target], [
      0.9,
      'phoenix:llm',
      { traceId: writtenBack },
    ]);
    assert.strictEqual(writtenBack, read.comparison.replayTraceId, 'the replay side is told by its trace id');
    const ours = scores.filter((s) => s.target.traceId === writtenBack && s.name !== 'correctness');
    assert.strictEqual(ours.length, replayScores, 'our scores, read back as Phoenix annotations');
    assert.ok(reads() > before, 'read when the panel opened');
    probe.panel.dispose();
  });

  it('refuses a prompt version Phoenix does not have before any LLM call', async () => {
    const sent = llm!.requests.length;
    const toasts: string[] = [];
    const sub = api.toasts.onDidShow((t) => toasts.push(t.message));
    let queued: unknown;
    try {
      queued = await vscode.commands.executeCommand('traceReplay.replayTrace', {
        traceId: LINKED_TRACE,
        sourceId: SOURCE,
        model: 'openai:gpt-4.1-mini',
        templatePath: 'phoenix:concise-assistant#no-such-tag',
        confirm: false,
      });
    } finally {
      sub.dispose();
    }
    assert.strictEqual(queued, undefined);
    assert.strictEqual(llm!.requests.length, sent);
    assert.deepStrictEqual(toasts, [
      `Trace Replay could not start the replay: Prompt "concise-assistant" (tag no-such-tag) is not in Phoenix at ${phoenix.baseUrl}; check the prompt name and its version ids or tags.`,
    ]);
  });

  it('a trace Phoenix no longer has shows one sentence under it, with Refresh', async () => {
    const goneId = listed[1];
    const gone = phoenix.store.traces.findIndex((t) => t.traceId === goneId);
    assert.ok(gone >= 0);
    const rowid = phoenix.store.traces[gone].rowid;
    phoenix.store.traces.splice(gone, 1);
    for (let i = phoenix.store.spans.length - 1; i >= 0; i--)
      if (phoenix.store.spans[i].traceRowid === rowid) phoenix.store.spans.splice(i, 1);
    const node = traces(await api.tracesTree.getChildren()).find((n) => n.summary.id === goneId);
    assert.ok(node, 'still listed from the page read before');
    const [notice] = notices(await api.tracesTree.getChildren(node));
    assert.strictEqual(
      notice?.message,
      `Trace ${goneId} is not in the Phoenix project "default" at ${phoenix.baseUrl} (deleted, or in another project); check the trace id and the project.`,
    );
    assert.strictEqual(api.tracesTree.getTreeItem(notice).command?.command, 'traceReplay.refreshTraces');
    listed.splice(1, 1);
  });

  it('a rate limit shows one sentence with Refresh instead of waiting (429 with a long Retry-After), and is not retried on its own', async () => {
    phoenix.rateLimitNext(1, '120');
    const before = phoenix.requests.length;
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    const [notice] = notices(roots);
    assert.strictEqual(
      notice.message,
      `Phoenix at ${phoenix.baseUrl} is rate-limiting requests (retry after 120 s); wait a moment and try again.`,
    );
    assert.strictEqual(api.tracesTree.getTreeItem(notice).command?.command, 'traceReplay.refreshTraces');
    assert.strictEqual(phoenix.requests.length - before, 1, 'one request, no retry after a long Retry-After');
    await api.tracesTree.getChildren();
    await api.tracesTree.getChildren();
    assert.strictEqual(phoenix.requests.length - before, 1, 'not asked again until the user acts');
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    await whenRoots(api.tracesTree, (r) => traces(r).length === 20 && notices(r).length === 0);
  });

  it('a wrong key (401) shows one sentence with Connect Arize Phoenix as the fix, and no retry', async () => {
    assert.strictEqual(
      await connect({ name: WRONG_KEY, baseUrl: phoenix.baseUrl, project: 'default', apiKey: 'px-wrong' }),
      `phoenix:${WRONG_KEY}`,
    );
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    assert.strictEqual(traces(roots).length, 0);
    const [notice] = notices(roots);
    assert.strictEqual(
      notice.message,
      `Phoenix at ${phoenix.baseUrl} rejected the API key; check the Phoenix API key (a system or user key from Settings -> API keys).`,
    );
    assert.ok(!notice.message.includes('px-wrong'), 'the key is never shown');
    const item = api.tracesTree.getTreeItem(notice);
    assert.strictEqual(item.contextValue, 'sourceError');
    assert.deepStrictEqual(
      [item.command?.command, item.command?.arguments],
      ['traceReplay.connectPlatform', [{ platform: 'phoenix', name: WRONG_KEY }]],
    );
    const requests = phoenix.requests.length;
    await api.tracesTree.getChildren();
    await api.tracesTree.getChildren();
    assert.strictEqual(phoenix.requests.length, requests, 'a failed read is not repeated until the user acts');

    // Without a stored key, Phoenix (authentication on) says one is needed: the key lived in SecretStorage.
    await api.setApiKey(`phoenix.${WRONG_KEY}.apiKey`, undefined);
    const missing = await whenRoots(api.tracesTree, (r) =>
      notices(r).some((n) => /requires authentication/.test(n.message)),
    );
    assert.strictEqual(
      notices(missing)[0].message,
      `Phoenix at ${phoenix.baseUrl} requires authentication; set the Phoenix API key (Settings -> API keys).`,
    );
  });

  it('an unknown project shows one sentence naming the projects there, with Connect Arize Phoenix as the fix', async () => {
    assert.strictEqual(
      await connect({ name: NO_PROJECT, baseUrl: phoenix.baseUrl, project: 'no-such-project', apiKey: API_KEY }),
      `phoenix:${NO_PROJECT}`,
    );
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    const [notice] = notices(roots);
    assert.strictEqual(
      notice.message,
      `Project "no-such-project" is not on Phoenix at ${phoenix.baseUrl} (projects there: default); check the project name.`,
    );
    const item = api.tracesTree.getTreeItem(notice);
    assert.deepStrictEqual(
      [item.command?.command, item.command?.arguments],
      ['traceReplay.connectPlatform', [{ platform: 'phoenix', name: NO_PROJECT }]],
    );
    const requests = phoenix.requests.length;
    await api.tracesTree.getChildren();
    assert.strictEqual(phoenix.requests.length, requests, 'no retry on its own');
  });

  it('a server that does not answer shows one sentence naming the URL, with Connect Arize Phoenix as the fix', async () => {
    const deadUrl = await closedPortUrl();
    assert.strictEqual(
      await connect({ name: DOWN, baseUrl: deadUrl, project: 'default', apiKey: '' }),
      `phoenix:${DOWN}`,
    );
    const roots = await whenRoots(api.tracesTree, (r) => notices(r).length > 0);
    const [notice] = notices(roots);
    assert.match(
      notice.message,
      new RegExp(
        `^No Phoenix API answered at ${deadUrl.replace(/[.]/g, '\\.')}\\S* \\(.+\\); check the Phoenix base URL \\(e\\.g\\. http://localhost:6006 or your Phoenix server's address\\) and that Phoenix is running\\.$`,
      ),
    );
    const item = api.tracesTree.getTreeItem(notice);
    assert.deepStrictEqual(
      [item.command?.command, item.command?.arguments],
      ['traceReplay.connectPlatform', [{ platform: 'phoenix', name: DOWN }]],
    );
  });
});
