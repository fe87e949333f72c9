// Owns the extension's TraceStore: opens it lazily on first use (so a workspace nobody looks at
// gets no store folder), reopens it when `traceReplay.storePath` or the workspace folders change,
// and forwards the store's change events so views never hold on to a stale store. Other processes
// on the same folder (a `trace-replay import` or `receive` in a terminal) are noticed through a
// watch on the index files: the store catches up and its change events update the views.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { INDEX_FILE, INDEX_LOG_FILE } from '../../core/store/store-layout';
import { TraceStore } from '../../core/store/trace-store';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { affectsSetting, getSetting } from '../common/settings';
import { workspaceDir } from '../common/workspace-paths';

export interface TracesChange {
  /** `reset`: a different store is now in use (or none could be opened); re-read everything. */
  kind: 'upsert' | 'delete' | 'reset';
  traceIds: string[];
}

/** Where the store lives: an absolute setting as is; a relative one under the first workspace
 *  folder on disk, or under the extension's global storage when there is no such folder. */
export function resolveStoreDir(storePath: string, workspaceDir: string | undefined, globalStorageDir: string): string {
  const p = storePath.trim() || '.trace-replay';
  if (path.isAbsolute(p)) return p;
  return path.join(workspaceDir ?? globalStorageDir, p);
}

/** Why the store is about to close: another store replaces it, or the extension stops. */
export type StoreCloseReason = 'reset' | 'shutdown';
type CloseParticipant = (store: TraceStore, reason: StoreCloseReason) => Promise<void>;

export class StoreHost extends Disposable {
  private opening: Promise<TraceStore> | undefined;
  private readonly participants = new Set<CloseParticipant>();
  private openStore: TraceStore | undefined;
  private unsubscribe: (() => void) | undefined;
  private watcher: FSWatcher | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<TracesChange>());
  readonly onDidChangeTraces = this.changed.event;

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly log: Log,
  ) {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSetting(e, 'storePath')) void this.reset('storePath changed');
      }),
    );
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reset('workspace folders changed')));
    this.register(toDisposable(() => void this.closeCurrent('shutdown')));
  }

  /** The directory the store uses (or would use) with the current settings. */
  storeDir(): string {
    return resolveStoreDir(getSetting('storePath'), workspaceDir(), this.globalStorage.fsPath);
  }

  /** The open store, opening it on first use. Rejects when it cannot be opened; the next call retries. */
  get(): Promise<TraceStore> {
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<TraceStore> {
    const dir = this.storeDir();
    try {
      const store = await TraceStore.open(dir);
      if (this.isDisposed) {
        await store.close();
        throw new Error('the extension is shutting down');
      }
      this.unsubscribe = store.onDidChange((e) => this.changed.fire({ kind: e.kind, traceIds: e.traceIds }));
      this.openStore = store;
      this.watchOtherProcesses(store);
      this.log.info(`trace store opened at ${dir}`);
      return store;
    } catch (err) {
      this.opening = undefined;
      this.log.error(`could not open the trace store at ${dir}`, err);
      throw err;
    }
  }

  /** Index files written by another process: catch up (coalesced; this process's own writes make
   *  the catch-up a no-op). Best effort: without a watch, listings still catch up when they run. */
  private watchOtherProcesses(store: TraceStore): void {
    try {
      this.watcher = watch(store.dir, (_event, file) => {
        if (file !== INDEX_FILE && file !== INDEX_LOG_FILE) return;
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => {
          if (this.openStore !== store) return;
          store
            .refresh()
            .catch((err: unknown) =>
              this.log.warn(`reading the store's changes from other processes failed: ${String(err)}`),
            );
        }, 100);
      });
      this.watcher.on('error', (err) =>
        this.log.warn(`watching the store folder for other processes failed: ${err.message}`),
      );
    } catch (err) {
      this.log.warn(`cannot watch the store folder for other processes' writes: ${String(err)}`);
    }
  }

  /** Work that must finish while the store is still open (the replay queue stops writing). */
  onWillCloseStore(participant: CloseParticipant): vscode.Disposable {
    this.participants.add(participant);
    return toDisposable(() => this.participants.delete(participant));
  }

  /** The store if it is open right now (for synchronous reads such as getSummary in a tree item). */
  current(): TraceStore | undefined {
    return this.openStore;
  }

  /** Closes the store (waiting for pending writes); the next get() opens it again. */
  close(): Promise<void> {
    return this.closeCurrent('shutdown');
  }

  private async reset(reason: string): Promise<void> {
    if (!this.opening) return;
    this.log.info(`reopening the trace store: ${reason}`);
    await this.closeCurrent('reset');
    this.changed.fire({ kind: 'reset', traceIds: [] });
  }

  private async closeCurrent(reason: StoreCloseReason = 'shutdown'): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.openStore = undefined;
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.refreshTimer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const store = await opening?.catch(() => undefined);
    if (store) {
      for (const participant of [...this.participants]) {
        try {
          await participant(store, reason);
        } catch (err) {
          this.log.error('a component failed to let go of the trace store', err);
        }
      }
    }
    try {
      await store?.close();
    } catch (err) {
      this.log.error('closing the trace store failed', err);
    }
  }
}
