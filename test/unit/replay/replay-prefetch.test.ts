// The queue reads the trace of a job that waits for a slot ahead of time; a change to that trace
// while the job waits must not be lost (the job replays the trace as it is when it starts).
import assert from 'node:assert/strict';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import { importFixture, ScriptedGateway, scriptedServices, tempStore, type TempStore } from './replay-test-helpers';

describe('replay queue: traces read ahead for waiting jobs', () => {
  let t: TempStore;
  let gateway: ScriptedGateway;
  let queue: ReplayQueue;

  beforeEach(async () => {
    t = await tempStore();
    gateway = new ScriptedGateway();
    queue = await ReplayQueue.open(scriptedServices(t.store, gateway), { concurrency: 1 });
  });
  afterEach(async () => {
    await queue.close();
    await t.dispose();
  });

  it('replays the trace as changed while the job waited, not the copy read ahead', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    let release!: () => void;
    gateway.hold = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((resolve) => queue.onEvent((e) => e.type === 'span-started' && resolve()));
    const first = await queue.enqueue(original.id);
    const waiting = await queue.enqueue(original.id);
    await started; // the first job holds the only slot; the second waits (its trace read ahead)

    const changed = structuredClone(original);
    const llm = changed.spans.find((s) => s.kind === 'llm')!.llm!;
    llm.messages = [{ role: 'user', parts: [{ type: 'text', text: 'changed while waiting' }] }];
    await t.store.putTrace(changed);
    release();

    assert.equal((await queue.wait(first.id)).status, 'COMPLETED');
    assert.equal((await queue.wait(waiting.id)).status, 'COMPLETED');
    assert.equal(gateway.executed.length, 2);
    assert.deepEqual(gateway.executed[1].call.messages, llm.messages);
    assert.notDeepEqual(gateway.executed[0].call.messages, llm.messages);
  });
});
