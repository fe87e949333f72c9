// The single writer of a store folder. Every change to a file in the folder runs as a task here,
// one at a time, so read-modify-write sequences (merging spans into a trace, updating the index)
// from different callers (OTLP receiver, replay engine, imports) never interleave and lose updates.
import { AsyncLocalStorage } from 'node:async_hooks';

interface TaskToken {
  readonly queue: WriteQueue;
}

interface BatchEntry {
  write: () => Promise<void>;
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Batch {
  entries: Map<string, BatchEntry>;
  /** Value of `enqueued` right after the batch's task was queued: joinable while unchanged. */
  seq: number;
}

/** Files one batch writes at once (each write waits on the libuv thread pool). */
const BATCH_CONCURRENCY = 16;

/** Wraps every task of a queue (not the inline ones): the store holds the folder's inter-process
 *  lock and catches up with other processes' writes around each task. */
export type TaskGuard = <T>(task: () => Promise<T>) => Promise<T>;

export class WriteQueue {
  // Marks the async context of the running task so nested `run` calls (a collection `put` made
  // from inside a multi-document task) execute inline instead of waiting for themselves.
  private readonly context = new AsyncLocalStorage<TaskToken>();
  private tail: Promise<void> = Promise.resolve();
  private active: TaskToken | undefined;
  private pending = 0;
  /** Tasks queued so far (inline runs excluded); tells whether a batch is still the last task. */
  private enqueued = 0;
  private open: Batch | undefined;

  constructor(private readonly guard?: TaskGuard) {}

  /** Runs `task` after every task queued before it. A failed task rejects its own promise only;
   *  the queue keeps going. Called from inside a running task of this queue, it runs inline. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    // Only the *running* task may nest: a context captured by a callback that outlives its task
    // (an event listener, a timer) must queue like everybody else.
    if (current !== undefined && current === this.active) return task();
    this.pending++;
    this.enqueued++;
    const result = this.tail.then(() => {
      const token: TaskToken = { queue: this };
      this.active = token;
      const guard = this.guard;
      return this.context.run(token, guard ? () => guard(task) : task);
    });
    this.tail = result.then(
      () => this.finish(),
      () => this.finish(),
    );
    return result;
  }

  /** Runs `write` (a blind write of the file or thing named `key`) as part of the last queued task
   *  when that task is a batch that has not started, else in a new batch task. A batch runs its
   *  writes in parallel (bounded): they are independent, and joining is only allowed while no other
   *  task was queued after the batch, so the order every caller sees is the order of the calls.
   *  A second write of the same key in a batch that has not started replaces the first (newest
   *  wins) and both callers get its outcome. A failed write rejects its own callers only. Called
   *  from inside a running task, it runs inline. */
  write(key: string, write: () => Promise<void>): Promise<void> {
    if (this.inTask) return write();
    let batch = this.open;
    if (batch === undefined || batch.seq !== this.enqueued) {
      const fresh: Batch = { entries: new Map(), seq: 0 };
      void this.run(() => this.runBatch(fresh));
      fresh.seq = this.enqueued;
      this.open = batch = fresh;
    }
    const entry = batch.entries.get(key);
    if (entry !== undefined) {
      entry.write = write;
      return entry.promise;
    }
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    batch.entries.set(key, { write, promise, resolve, reject });
    return promise;
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

  private async runBatch(batch: Batch): Promise<void> {
    // From here on new writes need a new batch: this one may already have passed their key.
    if (this.open === batch) this.open = undefined;
    const entries = [...batch.entries.values()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < entries.length) {
        const entry = entries[next++];
        try {
          await entry.write();
          entry.resolve();
        } catch (err) {
          entry.reject(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, entries.length) }, worker));
  }

  private finish(): void {
    this.active = undefined;
    this.pending--;
  }
}
