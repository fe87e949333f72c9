// A Redis outage longer than BullMQ's job lock while a replay runs on a worker (in this process, with a
// real Debian redis-server and the fake LLM server): the lock expires while Redis is away, so the
// worker's completion (or lock renewal) is refused when Redis returns and BullMQ's stalled-job check
// hands the job out again. What must hold: the job ends once in the submitter's store with one
// replayed trace; a job that finished during the outage sends nothing again, one still running sends
// again only the spans not finished (its first worker stops); no job is left in the queue. The lock is
// shortened through the worker's lockDurationMs option (30 s by default) so the tests run in seconds.
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import type { ProviderConfigs } from '../../src/core/llm/llm-types';
import { bullmqConnection, parseRedisUrl } from '../../src/core/queue/redis-connection';
import { RemoteReplayQueue } from '../../src/core/queue/remote-replay-queue';
import { ReplayWorker } from '../../src/core/queue/replay-worker';
import { replayTraceIdFor } from '../../src/core/replay/replay-ids';
import { REPLAYS_COLLECTION } from '../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { importFixture, tempStore, type TempStore } from '../unit/replay/replay-test-helpers';

/** A promise and its resolve. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const LOCK_MS = 1000;
const STALLED_CHECK_MS = 300;

describe('a Redis outage longer than the job lock', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let t: TempStore;
  let fake: FakeLlmServer;
  let queueName: string;
  let submitter: RemoteReplayQueue | undefined;
  const workers: ReplayWorker[] = [];
  let n = 0;

  before(async () => {
    // Persistent (append-only file, as a production Redis under BullMQ): the queue survives the restart.
    redis = await startRedis({ persistent: true });
  });
  after(async () => redis.close());
  beforeEach(async () => {
    t = await tempStore();
    fake = await startFakeLlmServer();
    queueName = `outage-${process.pid}-${++n}`;
  });
  afterEach(async () => {
    await submitter?.close();
    submitter = undefined;
    await Promise.all(workers.splice(0).map((w) => w.close(1000)));
    await fake.close();
    await t.dispose();
  });

  /** A worker with its own key (the fake server tells their requests apart) and a short lock. */
  async function worker(apiKey: string): Promise<ReplayWorker> {
    const configs: ProviderConfigs = {
      openai: { kind: 'openai', baseURL: fake.openaiBaseUrl, apiKey, keySource: 'OPENAI_API_KEY', maxRetries: 0 },
    };
    const w = await ReplayWorker.start({
      redis: parseRedisUrl(redis.url),
      queueName,
      concurrency: 1,
      configs,
      lockDurationMs: LOCK_MS,
      stalledIntervalMs: STALLED_CHECK_MS,
    });
    workers.push(w);
    return w;
  }

  /** Redis away for longer than the lock: the outage itself is what is tested, so it is timed. */
  function outage(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, LOCK_MS * 2.5));
  }

  async function assertEndedOnce(job: ReplayJob, originalId: string): Promise<void> {
    const stored = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
    assert.equal((await stored.get(job.id))?.status, 'COMPLETED', job.error);
    assert.deepEqual(await stored.listIds(), [job.id]);
    const replayed = (await t.store.listTraces({ limit: 100 })).filter((s) => s.id !== originalId);
    assert.deepEqual(
      replayed.map((s) => s.id),
      [replayTraceIdFor(job.id)],
      'one replayed trace',
    );
    const raw = new Queue(queueName, { connection: bullmqConnection(parseRedisUrl(redis.url)) });
    try {
      const counts = await raw.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'failed', 'completed');
      assert.deepEqual(
        counts,
        { active: 0, wait: 0, delayed: 0, prioritized: 0, failed: 0, completed: 1 },
        'no job left hanging',
      );
    } finally {
      await raw.close();
    }
  }

  it('the job finishes while Redis is away: it completes once, nothing is sent twice', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-chain');
    const llmSpans = trace.spans.filter((s) => s.kind === 'llm').length;
    assert.ok(llmSpans >= 2, 'a trace with several LLM calls');
    const firstArrived = gate();
    const release = gate();
    const allSent = gate();
    fake.setResponder(() => {
      firstArrived.open();
      if (fake.requests.length === llmSpans) allSent.open();
      return { text: `answer ${fake.requests.length}`, hold: release.opened };
    });
    await worker('sk-a');
    await worker('sk-b'); // idle until BullMQ hands the job out again, if it does
    submitter = await RemoteReplayQueue.open(t.store, { redis: parseRedisUrl(redis.url), queueName });
    const queued = await submitter.enqueue(trace.id, { cache: false });
    await firstArrived.opened;
    await redis.stop();
    release.open(); // the provider answers while Redis is away: the whole job runs to its end
    await allSent.opened;
    assert.equal(await fake.ended(fake.requests[llmSpans - 1]), 'answered');
    await outage();
    await redis.start();
    const job = await submitter.wait(queued.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    const sent = [fake.byKey('sk-a').requests, fake.byKey('sk-b').requests];
    assert.equal(fake.requests.length, llmSpans, `each span sent once (worker A sent ${sent[0]}, B ${sent[1]})`);
    await assertEndedOnce(job, trace.id);
  });

  it('the job is still running when Redis returns: the worker stops its run, the next one sends only the spans not finished', async () => {
    const trace = await importFixture(t.store, 'traceloop-openai-chain');
    const llmSpans = trace.spans.filter((s) => s.kind === 'llm').length;
    const firstArrived = gate();
    const release = gate();
    const secondArrived = gate();
    fake.setResponder(() => {
      const nth = fake.requests.length;
      if (nth === 1) {
        firstArrived.open();
        return { text: 'first answer', hold: release.opened };
      }
      if (nth === 2) {
        secondArrived.open();
        return { text: 'never', hold: new Promise(() => undefined) }; // still running when Redis returns
      }
      return { text: `answer ${nth}` };
    });
    await worker('sk-a');
    await worker('sk-b');
    submitter = await RemoteReplayQueue.open(t.store, { redis: parseRedisUrl(redis.url), queueName });
    const queued = await submitter.enqueue(trace.id, { cache: false });
    await firstArrived.opened;
    await redis.stop();
    release.open(); // the first span is answered while Redis is away; the second is sent and hangs
    await secondArrived.opened;
    const second = fake.requests[1];
    await outage();
    await redis.start();
    // BullMQ refuses worker A's lock renewal once Redis is back: A stops its run (its request is aborted).
    assert.equal(await fake.ended(second), 'aborted');
    const job = await submitter.wait(queued.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(job.resumed, 1);
    // The run handed out again sends the spans not finished: all but the first.
    assert.equal(fake.requests.length, 2 + (llmSpans - 1), 'the first span is not sent again');
    const first = job.spans.find((r) => r.kind === 'llm');
    assert.match(JSON.stringify(first?.execution?.output), /first answer/);
    await assertEndedOnce(job, trace.id);
  });
});
