// "Replay from Here" in VS Code: the command on the LLM span row of the Traces view opens the Replay
// Trace wizard with the span preset (its title names the span, no mode step: it is chained, the
// summary says where it forks and which tool policy applies); the job it queues sends nothing before
// that span (the fake LLM server sees the chosen call first) and marks it as the fork point. The trace
// detail panel's button sends trace/replayFromSpan, which runs the same command.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { InputStep, PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { SummaryItem } from '../../src/extension/replay/replay-wizard';
import type { TracesTreeNode } from '../../src/extension/views/traces-tree';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, fixturePath, traceRoot, whenRoots } from './helpers';
import { nextEvent, setUpProviders, tearDownProviders } from './replay-helpers';

/** test/fixtures/otlp/traceloop-openai-chain.json: a poem, then its translation (two LLM calls). */
const CHAIN_TRACE = 'f8533e5b39a09a90ebe1d454338125c3';
const POEM_SPAN = '0a0f01a4239e2e34';
const TRANSLATE_SPAN = '2f8792652feaf47d';

type AnyPick = PickStep<vscode.QuickPickItem>;
type Asked = { pick: AnyPick } | { input: InputStep };

/** Keeps the recorded model and parameters, starts from the summary; records each step. */
function acceptAll(asked: Asked[]): QuickInputs {
  return {
    pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
      asked.push({ pick: s as unknown as AnyPick });
      return Promise.resolve(s.items.find((i) => (i as SummaryItem).start) ?? s.items[0]);
    },
    inputText(s: InputStep): Promise<StepResult<string>> {
      asked.push({ input: s });
      return Promise.resolve(s.value);
    },
  };
}

async function findNode(
  api: TraceReplayApi,
  nodes: TracesTreeNode[],
  spanId: string,
): Promise<TracesTreeNode | undefined> {
  for (const n of nodes) {
    if (n.type === 'span' && n.span.id === spanId) return n;
    const found = await findNode(api, await api.tracesTree.getChildren(n), spanId);
    if (found) return found;
  }
  return undefined;
}

describe('Replay from Here: the wizard with the span preset, a job that forks there', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await vscode.commands.executeCommand('traceReplay.importTraces', [
      vscode.Uri.file(fixturePath('../../fixtures/otlp/traceloop-openai-chain.json')),
    ]);
  });
  after(async () => {
    api.presetReplayInputs(undefined);
    api.panels.presetReplay(undefined);
    await tearDownProviders(api, fake);
  });

  it('from the LLM span row of the Traces view: the wizard names the span, the job sends from it on', async () => {
    fake!.reset();
    fake!.enqueue({ text: 'La mer murmure au rivage.' });
    const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, CHAIN_TRACE));
    const node = await findNode(api, [traceRoot(roots, CHAIN_TRACE)!], TRANSLATE_SPAN);
    assert.ok(node, 'the translate span is in the tree');
    assert.strictEqual(
      api.tracesTree.getTreeItem(node).contextValue,
      'span:llm',
      'the menu matches viewItem == span:llm',
    );

    const asked: Asked[] = [];
    api.presetReplayInputs(acceptAll(asked));
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayFromSpan', node);
    assert.ok(job, 'a job was queued');

    const titles = asked.map((a) => ('pick' in a ? a.pick.title : a.input.title));
    assert.ok(
      titles.every((t) => t?.includes('from span chat gpt-4o-mini')),
      `every step's title names the span: ${titles.join(' | ')}`,
    );
    assert.ok(
      !asked.some((a) => 'pick' in a && a.pick.items.some((i) => i.label === 'Independent')),
      'no mode step: a replay from a span is chained',
    );
    const summary = (asked.at(-1) as { pick: PickStep<SummaryItem> }).pick;
    const fact = (f: SummaryItem['fact']): string | undefined => summary.items.find((i) => i.fact === f)?.description;
    assert.match(fact('fork') ?? '', new RegExp(`${TRANSLATE_SPAN}\\); 1 earlier span keeps its recorded output`));
    assert.match(fact('mode') ?? '', /^Chained from the chosen span/);
    assert.match(fact('tools') ?? '', /^Recorded: /, 'the default of traceReplay.replay.tools');

    assert.strictEqual(job.overrides.fromSpanId, TRANSLATE_SPAN);
    assert.strictEqual(job.overrides.mode, 'chained');
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.strictEqual(fake!.requests.length, 1, 'the poem span, before the fork, was not sent');
    assert.match(JSON.stringify(fake!.requests[0].body.messages), /Translate to French/);
    assert.strictEqual(done.spans.find((s) => s.originalSpanId === POEM_SPAN)?.status, 'reused');
    const fork = done.spans.find((s) => s.originalSpanId === TRANSLATE_SPAN);
    assert.strictEqual(fork?.status, 'replayed');
    assert.strictEqual(fork.forkPoint, true);
  });

  it('Replay Trace: the summary Tool results row opens the policy pick (live listed, not pickable); strict is queued', async () => {
    fake!.reset();
    const asked: Asked[] = [];
    let summaries = 0;
    let liveInert: boolean | undefined;
    api.presetReplayInputs({
      pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
        asked.push({ pick: s as unknown as AnyPick });
        const items = s.items as unknown as (SummaryItem & { policy?: string })[];
        const pick = (i: SummaryItem | undefined): Promise<StepResult<I>> => Promise.resolve(i as unknown as I);
        if (items.some((i) => i.start)) return pick(summaries++ === 0 ? items.find((i) => i.tools) : items[0]);
        if (items.some((i) => i.policy !== undefined)) {
          liveInert = (s.inert as ((i: unknown) => boolean) | undefined)?.(items.find((i) => i.policy === 'live'));
          return pick(items.find((i) => i.policy === 'strict'));
        }
        return pick(items[0]);
      },
      inputText: (s: InputStep) => Promise.resolve(s.value),
    });
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', CHAIN_TRACE);
    assert.ok(job, 'a job was queued');
    assert.strictEqual(liveInert, true, 'live is listed but cannot be picked yet');
    const last = (asked.at(-1) as { pick: PickStep<SummaryItem> }).pick;
    assert.match(
      last.items.find((i) => i.fact === 'tools')?.description ?? '',
      /^Strict: /,
      'the summary shows the pick',
    );
    assert.strictEqual(job.overrides.toolPolicy, 'strict');
    assert.strictEqual(job.overrides.fromSpanId, undefined);
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.strictEqual(fake!.requests.length, 2);
  });

  it('the trace panel button (trace/replayFromSpan) runs it for that span, with the Tool results preset', async () => {
    fake!.reset();
    await vscode.commands.executeCommand('traceReplay.openTraceDetail', CHAIN_TRACE);
    const probe = api.panels.trace(CHAIN_TRACE);
    assert.ok(probe, 'the trace panel is open');
    api.panels.presetReplay({ confirm: false, toolPolicy: 'strict' });
    const queued = nextEvent(api, (e) => e.type === 'job-queued');
    await probe.dispatch({ method: 'trace/replayFromSpan', params: { traceId: CHAIN_TRACE, spanId: POEM_SPAN } });
    const { job } = await queued;
    assert.deepStrictEqual(job.overrides, { fromSpanId: POEM_SPAN, toolPolicy: 'strict' });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.strictEqual(fake!.requests.length, 2, 'from the first call on, both are sent');
    assert.strictEqual(done.spans.find((s) => s.originalSpanId === POEM_SPAN)?.forkPoint, true);
  });
});
