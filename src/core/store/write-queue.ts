// The single writer of a store folder. Every change to a file in the folder runs as a task here,
// one at a time, so read-modify-write sequences (merging spans into a trace, updating the index)
// from different callers (OTLP receiver, replay engine, imports) never interleave and lose updates.
import { AsyncLocalStorage } from 'node:async_hooks';

interface TaskToken {
  readonly queue: WriteQueue;
}

export class WriteQueue {
  // Marks the async context of the running task so nested `run` calls (a collection `put` made
  // from inside a multi-document task) execute inline instead of waiting for themselves.
  private readonly context = new AsyncLocalStorage<TaskToken>();
  private tail: Promise<void> = Promise.resolve();
  private active: TaskToken | undefined;
  private pending = 0;

  /** Runs `task` after every task queued before it. A failed task rejects its own promise only;
   *  the queue keeps going. Called from inside a running task of this queue, it runs inline. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    // Only the *running* task may nest: a context captured by a callback that outlives its task
    // (an event listener, a timer) must queue like everybody else.
    if (current !== undefined && current === this.active) return task();
    this.pending++;
    const result = this.tail.then(() => {
      const token: TaskToken = { queue: this };
      this.active = token;
      return this.context.run(token, task);
    });
    this.tail = result.then(
      () => this.finish(),
      () => this.finish(),
    );
    return result;
  }

  /** True while called from inside a task of this queue. */
  get inTask(): boolean {
    const current = this.context.getStore();
    return current !== undefined && current === this.active;
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    // Tasks queued while waiting extend the tail; loop until it stops moving.
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private finish(): void {
    this.active = undefined;
    this.pending--;
  }
}
