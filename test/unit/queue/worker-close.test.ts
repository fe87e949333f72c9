// ReplayWorker.close() when Redis went away: BullMQ's graceful close waits for an 'end' event that an
// ioredis client stuck reconnecting never emits (bullmq#4656), so close() used to return only after
// twice its grace period. Real Debian redis-server, restarted on the same port.
import assert from 'node:assert/strict';
import type { Worker } from 'bullmq';
import { parseRedisUrl } from '../../../src/core/queue/redis-connection';
import { ReplayWorker } from '../../../src/core/queue/replay-worker';
import { startRedis, type RedisServer } from '../../support/redis/redis-server';

describe('replay worker close() across a Redis restart', function () {
  // Far below the grace given to close(): a close that waited for it would fail here.
  this.timeout(15_000);
  let redis: RedisServer;

  before(async () => (redis = await startRedis({ persistent: true })));
  after(async () => redis.close());

  it('close() begun while Redis is away returns once it is back, without waiting for the grace period', async () => {
    const w = await ReplayWorker.start({
      redis: parseRedisUrl(redis.url),
      queueName: `close-${process.pid}`,
      configs: {},
    });
    const blocking = await (w as unknown as { worker: Worker }).worker.getBackend().blockingConnection!.client;
    const reconnecting = new Promise<void>((resolve) => blocking.once('reconnecting', () => resolve()));
    await redis.stop();
    await reconnecting; // the worker's blocking connection is without a socket now
    assert.equal(blocking.status, 'reconnecting');
    let closed = false;
    const closing = w.close(60_000).then(() => (closed = true));
    await redis.start();
    await closing;
    assert.ok(closed);
  });
});
