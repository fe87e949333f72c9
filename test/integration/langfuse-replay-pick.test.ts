// "Replay Trace" from the Command Palette (no trace given) asks for a trace of the source the
// Traces view shows: with a Langfuse connection active, the connection's first page (served from
// the cache the view filled, no second list request); the picked trace is copied into the store and
// replayed like a row of the view. With the local store active, the store's traces as before.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { TracePickItem } from '../../src/extension/sources/trace-pick-items';
import { startFakeLangfuse, type FakeLangfuseServer } from '../support/fake-langfuse/fake-langfuse-server';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, whenRoots } from './helpers';
import { closeFakes, connectFake, disconnectAll, promptedTrace, T0 } from './langfuse-helpers';
import { setUpProviders, tearDownProviders } from './replay-helpers';

const CONNECTION = 'itest-pick';
const SOURCE = `langfuse:${CONNECTION}`;

describe("Replay Trace without a trace offers the active source's traces", () => {
  let api: TraceReplayApi;
  let langfuse: FakeLangfuseServer;
  let llm: FakeLlmServer | undefined;
  let offered: TracePickItem[][] = [];

  /** Answers the trace question with the row of `traceId` (undefined: dismissed). */
  function pickRow(traceId: string | undefined): void {
    api.presetTracePick(async (items) => {
      offered.push(items);
      return items.find((i) => i.ref.id === traceId);
    });
  }

  before(async () => {
    api = await activatedApi();
    langfuse = await startFakeLangfuse({
      observations: [...promptedTrace('rp-trace-1', T0), ...promptedTrace('rp-trace-2', T0 + 60_000)],
    });
    llm = await setUpProviders(api);
  });
  beforeEach(() => (offered = []));

  after(async () => {
    api.presetTracePick(undefined);
    await disconnectAll(api, [CONNECTION]);
    await tearDownProviders(api, llm);
    await closeFakes(langfuse);
  });

  it('lists the Langfuse page the view read, copies the picked trace into the store and replays it', async () => {
    await connectFake(CONNECTION, langfuse);
    await whenRoots(api.tracesTree, (r) => r.filter((n) => n.type === 'trace').length === 2);
    const listReads = (): number => langfuse.requests.filter((r) => r.query.get('isRootObservation') === 'true').length;
    const reads = listReads();
    pickRow('rp-trace-1');

    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', {
      confirm: false,
      model: 'openai:gpt-4.1-mini',
    });

    assert.deepStrictEqual(
      offered[0]?.map((i) => i.ref),
      [
        { id: 'rp-trace-2', sourceId: SOURCE },
        { id: 'rp-trace-1', sourceId: SOURCE },
      ],
      'newest first, from the connection',
    );
    assert.match(offered[0][0].description ?? '', /gpt-4o-mini, claude-haiku-4-5 · \$0\.00035$/);
    assert.strictEqual(listReads(), reads, 'the page the view listed is served from the cache');
    assert.ok(job, 'a job was queued');
    assert.strictEqual(job.traceId, 'rp-trace-1');
    const copy = await (await api.store()).getTrace('rp-trace-1');
    assert.strictEqual(copy?.source?.connection, CONNECTION, 'copied into the store before the replay');
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
  });

  it('dismissing the question queues nothing', async () => {
    pickRow(undefined);
    const jobs = (await api.replays.listJobs()).length;
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.replayTrace', { confirm: false }), undefined);
    assert.strictEqual(offered.length, 1);
    assert.strictEqual((await api.replays.listJobs()).length, jobs);
  });

  it("with the local store active, offers the store's recorded traces", async () => {
    await vscode.commands.executeCommand('traceReplay.switchTraceSource', 'local');
    pickRow(undefined);
    await vscode.commands.executeCommand('traceReplay.replayTrace', { confirm: false });
    assert.strictEqual(offered.length, 1);
    assert.ok(offered[0].length > 0, 'the store holds recorded traces by now');
    assert.ok(
      offered[0].every((i) => i.ref.sourceId === undefined),
      'store ids, no source',
    );
  });
});
