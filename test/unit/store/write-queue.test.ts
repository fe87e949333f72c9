import assert from 'node:assert/strict';
import { WriteQueue } from '../../../src/core/store/write-queue';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

describe('WriteQueue', () => {
  it('runs tasks one at a time in order', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      log.push('first start');
      await gate.promise;
      log.push('first end');
    });
    const second = queue.run(async () => {
      log.push('second');
    });
    assert.equal(queue.size, 2);
    gate.resolve();
    await Promise.all([first, second]);
    assert.deepEqual(log, ['first start', 'first end', 'second']);
    assert.equal(queue.size, 0);
  });

  it('keeps going after a failed task, which rejects only its own promise', async () => {
    const queue = new WriteQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(() => Promise.resolve(42));
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 42);
  });

  it('runs a nested call from inside the running task inline instead of deadlocking', async () => {
    const queue = new WriteQueue();
    const result = await queue.run(async () => {
      assert.equal(queue.inTask, true);
      return (await queue.run(() => Promise.resolve('inner'))) + ' ok';
    });
    assert.equal(result, 'inner ok');
    assert.equal(queue.inTask, false);
  });

  it('queues a call from a callback that outlived its task', async () => {
    const queue = new WriteQueue();
    let later: (() => Promise<string>) | undefined;
    await queue.run(async () => {
      later = () => queue.run(() => Promise.resolve('queued'));
    });
    const gate = deferred();
    const log: string[] = [];
    const blocker = queue.run(async () => {
      await gate.promise;
      log.push('blocker');
    });
    // The stale context belongs to a finished task, so this must wait for the blocker.
    const fromCallback = later!().then(v => log.push(v));
    gate.resolve();
    await Promise.all([blocker, fromCallback]);
    assert.deepEqual(log, ['blocker', 'queued']);
  });

  it('idle() waits for tasks queued while waiting', async () => {
    const queue = new WriteQueue();
    const done: number[] = [];
    void queue.run(async () => {
      done.push(1);
      void queue.run(async () => {
        done.push(2);
      });
    });
    await queue.idle();
    assert.deepEqual(done, [1, 2]);
  });
});
