// The inter-process lock of a store folder. Every write task of a store (write-queue.ts) holds it,
// so two processes on one folder (the extension's receiver and a CLI `import` or `replay` in a
// terminal) take turns instead of renaming each other's temp files away and overwriting each
// other's index.json. The lock is `<dir>/.lock`, a directory made with mkdir (atomic on local and
// network file systems) by proper-lockfile, which refreshes its mtime while held: a lock whose
// holder died (kill -9) is taken over once it is `staleMs` old.
import path from 'node:path';
import type * as LockfileModule from 'proper-lockfile';
import { StoreBusyError, StoreLockError } from './store-errors';

export const LOCK_NAME = '.lock';

export interface FolderLockOptions {
  /** How long to wait for another process before failing with StoreBusyError. Default 60 s. */
  waitMs?: number;
  /** Age after which a lock that is no longer refreshed counts as abandoned. Default 20 s. */
  staleMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Loaded with the first write (graceful-fs and signal-exit come with it): read-only commands and
// `--help` do not pay for it.
let lockfile: typeof LockfileModule | undefined;
function lockfileModule(): typeof LockfileModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  return (lockfile ??= require('proper-lockfile') as typeof LockfileModule);
}

export class FolderLock {
  readonly lockPath: string;
  private readonly waitMs: number;
  private readonly staleMs: number;

  constructor(
    readonly dir: string,
    options: FolderLockOptions = {},
  ) {
    this.lockPath = path.join(dir, LOCK_NAME);
    this.waitMs = options.waitMs ?? 60_000;
    this.staleMs = Math.max(2_000, options.staleMs ?? 20_000);
  }

  /** Runs `task` while this process holds the folder's lock. */
  async hold<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      // A lock that was compromised is already gone; nothing else to do.
      await release().catch(() => undefined);
    }
  }

  /** Waits while another process holds the lock (ELOCKED), backing off from 5 to 250 ms; any other
   *  failure (EACCES, EROFS: the folder cannot be written) is final at once. */
  private async acquire(): Promise<() => Promise<void>> {
    const started = Date.now();
    for (let delay = 5; ; delay = Math.min(250, delay * 1.5)) {
      try {
        return await lockfileModule().lock(this.dir, {
          lockfilePath: this.lockPath,
          realpath: false,
          stale: this.staleMs,
          // The default throws from a timer (crashing the process) when the lock's refresh fails or
          // another process took it over; the task in flight cannot be undone, so say it and go on.
          onCompromised: (err) =>
            process.emitWarning(
              `The lock of the trace store ${this.dir} was lost: ${err.message}`,
              'TraceStoreLockWarning',
            ),
        });
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ELOCKED')
          throw new StoreLockError(this.dir, this.lockPath, { cause });
        if (Date.now() - started >= this.waitMs) throw new StoreBusyError(this.dir, this.waitMs);
        await sleep(delay * (0.5 + Math.random()));
      }
    }
  }
}
