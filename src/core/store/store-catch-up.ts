// Another process wrote to the store folder (the extension's receiver and a CLI import or replay in
// a terminal share one folder). Every write task of the store's queue holds the folder's lock
// (folder-lock.ts) and first takes in what the other processes wrote since this one last looked:
// the index (IndexFile knows which snapshot and how much of index.log it has applied; their
// changes reach this process's listeners) and the pending log records (a changed folder is read
// again). A listing catches up the same way when something changed. trace-store-core.ts is the
// store as one process sees it; this file is the only part that knows there may be others.
import { FolderChangeTracker } from './folder-changes';
import { FolderLock, type FolderLockOptions } from './folder-lock';
import type { IndexFile } from './index-file';
import type { PendingLogBuffer } from './pending-logs';
import type { TraceIndex } from './trace-index';
import type { StoreChangeEvent } from './trace-store-core';
import type { WriteQueue } from './write-queue';

/** The parts of the store a catch-up updates. */
export interface CatchUpParts {
  queue: WriteQueue;
  index: TraceIndex;
  indexFile: IndexFile;
  pendingLogs: PendingLogBuffer;
  /** The folder of the pending log records' documents. */
  pendingDir: string;
  /** Rebuilds the index from the trace documents (index.json went missing or broken). */
  rebuildIndex(): Promise<unknown>;
  /** Tells the store's listeners about traces the other processes changed. */
  emit(event: StoreChangeEvent): void;
}

export class StoreCatchUp {
  private readonly lock: FolderLock;
  private readonly pendingChanges: FolderChangeTracker;

  constructor(
    dir: string,
    lock: FolderLockOptions | undefined,
    private readonly parts: CatchUpParts,
  ) {
    this.lock = new FolderLock(dir, lock);
    this.pendingChanges = new FolderChangeTracker(parts.pendingDir);
  }

  /** The folder as it is now counts as seen (at open, before the index is read). */
  remember(): Promise<void> {
    return this.pendingChanges.remember();
  }

  /** Catches up with other processes' writes (only when the index files or the pending buffer
   *  changed since this process last looked), so a listing shows what the CLI imported a moment ago. */
  async refresh(): Promise<void> {
    const [index, pending] = await Promise.all([this.parts.indexFile.outOfDate(), this.pendingChanges.changed()]);
    if (index || pending) await this.parts.queue.run(async () => undefined);
  }

  /** Runs one write task of the queue (its guard) while the folder lock is held: first take in what
   *  other processes wrote, then the task, then remember the folder as this task left it. */
  guard<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.hold(() => this.guarded(task));
  }

  private async guarded<T>(task: () => Promise<T>): Promise<T> {
    if (await this.pendingChanges.changed()) this.parts.pendingLogs.reset();
    await this.reloadIndex();
    try {
      return await task();
    } finally {
      await this.pendingChanges.remember().catch(() => this.pendingChanges.forget());
    }
  }

  /** The index as another process left it, with this process's unsaved changes kept on top. */
  private async reloadIndex(): Promise<void> {
    const { index, indexFile } = this.parts;
    const update = await indexFile.catchUp();
    if (update.kind === 'none') return;
    if (update.kind === 'full' && update.result.status !== 'ok') {
      // Missing or broken (copied aside by load): derived data, rebuilt from the documents.
      await this.parts.rebuildIndex();
      return;
    }
    const { changed, removed } =
      update.kind === 'delta'
        ? index.applyExternal(update.delta)
        : index.reloadFrom(update.result.status === 'ok' ? update.result.summaries : []);
    if (changed.length) this.parts.emit({ kind: 'upsert', traceIds: changed });
    if (removed.length) this.parts.emit({ kind: 'delete', traceIds: removed });
  }
}
