import assert from 'node:assert/strict';
import { WriteQueue } from '../../../src/core/store/write-queue';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
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
    const fromCallback = later!().then((v) => log.push(v));
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

describe('WriteQueue.write (batched blind writes)', () => {
  it('writes queued back to back share one task and run in parallel', async () => {
    const queue = new WriteQueue();
    const gate = deferred();
    const blocker = queue.run(() => gate.promise);
    const running: string[] = [];
    let together = 0;
    const write = (key: string) => async () => {
      running.push(key);
      together = Math.max(together, running.length);
      await Promise.resolve();
      running.splice(running.indexOf(key), 1);
    };
    const writes = [queue.write('a', write('a')), queue.write('b', write('b')), queue.write('c', write('c'))];
    assert.equal(queue.size, 2, 'the blocker and one batch');
    gate.resolve();
    await Promise.all([blocker, ...writes]);
    assert.equal(together, 3);
  });

  it('a newer write of the same key replaces the waiting one; both callers get its outcome', async () => {
    const queue = new WriteQueue();
    const gate = deferred();
    const blocker = queue.run(() => gate.promise);
    const written: string[] = [];
    const first = queue.write('doc', async () => void written.push('old'));
    const second = queue.write('doc', async () => void written.push('new'));
    gate.resolve();
    await Promise.all([blocker, first, second]);
    assert.deepEqual(written, ['new']);
  });

  it('does not join a batch that another task was queued after, so call order holds', async () => {
    const queue = new WriteQueue();
    const gate = deferred();
    const blocker = queue.run(() => gate.promise);
    const log: string[] = [];
    const first = queue.write('doc', async () => void log.push('write 1'));
    const task = queue.run(async () => void log.push('task'));
    const second = queue.write('doc', async () => void log.push('write 2'));
    gate.resolve();
    await Promise.all([blocker, first, task, second]);
    assert.deepEqual(log, ['write 1', 'task', 'write 2']);
  });

  it('a failed write rejects its own callers only', async () => {
    const queue = new WriteQueue();
    const gate = deferred();
    const blocker = queue.run(() => gate.promise);
    const bad = queue.write('bad', () => Promise.reject(new Error('disk full')));
    const good = queue.write('good', () => Promise.resolve());
    gate.resolve();
    await blocker;
    await assert.rejects(bad, /disk full/);
    await good;
    assert.equal(await queue.run(() => Promise.resolve('next')), 'next');
  });

  it('runs inline from inside a running task', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    await queue.run(async () => {
      await queue.write('doc', async () => void log.push('inline'));
      log.push('after');
    });
    assert.deepEqual(log, ['inline', 'after']);
  });
});
