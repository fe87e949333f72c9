// VS Code on a Redis queue (setting traceReplay.queue.redisUrl): Replay Trace queues the job for a
// worker (a real ReplayWorker with its own key and fake LLM server, on a real redis-server), VS Code
// holds no key and checks none, and the job completes in the Replays view with its replayed trace.
// With no worker serving, a job waits PENDING and the view's Cancel takes it off the queue.
import * as assert from 'node:assert';
import { Queue } from 'bullmq';
import * as vscode from 'vscode';
import { bullmqConnection, parseRedisUrl } from '../../src/core/queue/redis-connection';
import { ReplayWorker } from '../../src/core/queue/replay-worker';
import type { TraceReplayApi } from '../../src/extension/extension';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { startRedis, type RedisServer } from '../support/redis/redis-server';
import { activatedApi } from './helpers';
import { importFixtures, replayTrace, WEATHER_TRACE, whenReplayItem } from './replay-helpers';

describe('Replays on queue workers (traceReplay.queue.redisUrl)', () => {
  let api: TraceReplayApi;
  let redis: RedisServer;
  let fake: FakeLlmServer;
  let worker: ReplayWorker;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('traceReplay');

  before(async () => {
    api = await activatedApi();
    redis = await startRedis();
    fake = await startFakeLlmServer();
    worker = await startWorker();
    await importFixtures('weather-agent.otlp.json');
    await api.setApiKey('openai', undefined); // VS Code has no key: the worker's is used
    await config().update('queue.name', 'vscode-test', vscode.ConfigurationTarget.Workspace);
    await config().update('queue.redisUrl', redis.url, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await config().update('queue.redisUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('queue.name', undefined, vscode.ConfigurationTarget.Workspace);
    await worker?.close(1000);
    await fake?.close();
    await redis?.close();
  });

  beforeEach(() => fake.reset());

  function startWorker(): Promise<ReplayWorker> {
    return ReplayWorker.start({
      redis: parseRedisUrl(redis.url),
      queueName: 'vscode-test',
      configs: {
        openai: { kind: 'openai', baseURL: fake.openaiBaseUrl, apiKey: 'sk-worker', keySource: 'OPENAI_API_KEY' },
      },
    });
  }

  it('Replay Trace runs the job on a worker; it completes in the Replays view with its replayed trace', async () => {
    fake.enqueue({ text: 'answered by the worker' });
    const job = await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4o-mini' });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.match(done.queue ?? '', /^redis:\/\/127\.0\.0\.1:\d+#vscode-test$/);
    assert.strictEqual(fake.requests.length, 1, 'the worker sent the request');
    assert.strictEqual(fake.requests[0].body.model, 'gpt-4o-mini');
    const replayed = await (await api.store()).getTrace(done.replayTraceId!);
    assert.match(JSON.stringify(replayed?.spans.find((s) => s.kind === 'llm')?.llm?.output), /answered by the worker/);
    await whenReplayItem(api.replaysTree, job.id, 'replay:completed');
  });

  it('with the setting cleared, replays run here again: without a key here nothing is queued', async () => {
    await config().update('queue.redisUrl', undefined, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(api.replays.runsOnWorkers, false);
    await assert.rejects(replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4o-mini' }), /queued no job/);
    assert.strictEqual(fake.requests.length, 0);
    await config().update('queue.redisUrl', redis.url, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(api.replays.runsOnWorkers, true);
  });

  it('no worker serving: the job waits PENDING in the Replays view; its Cancel makes it CANCELLED and takes it off Redis', async () => {
    await worker.close(1000);
    const queue = new Queue('vscode-test', { connection: bullmqConnection(parseRedisUrl(redis.url)) });
    try {
      const job = await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4o-mini' });
      const row = await whenReplayItem(api.replaysTree, job.id, 'replay:pending');
      assert.strictEqual(await (await queue.getJob(job.id))?.getState(), 'waiting', 'queued on Redis');
      // What the view's inline Cancel button runs: the command with the row's node.
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('traceReplay.cancelReplay', row.node), true);
      const done = await api.replays.wait(job.id);
      assert.strictEqual(done.status, 'CANCELLED', done.error);
      await whenReplayItem(api.replaysTree, job.id, 'replay:cancelled');
      assert.strictEqual(await queue.getJob(job.id), undefined, 'gone from Redis');
      assert.strictEqual(fake.requests.length, 0, 'never sent');
    } finally {
      await queue.close();
      worker = await startWorker(); // for the other tests (TRACE_REPLAY_TEST_REVERSE runs this one first)
    }
  });
});
