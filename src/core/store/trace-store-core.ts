// The shared engine behind every TraceStore handle on one folder: one write queue, the trace
// documents, the in-memory index and its file, and the change listeners. Handles (trace-store.ts)
// add per-caller closing on top. Spans and log records are merged into the traces by
// trace-ingest.ts; what other processes write to the folder is taken in around each write task by
// store-catch-up.ts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RawLogRecord } from '../otlp/otlp-logs-converter';
import type { RawSpan, Trace, TraceSummary } from '../model/trace';
import { summarizeTrace } from '../normalize/assemble-trace';
import { JsonDocumentCollection, type DocumentCollectionOptions } from './document-collection';
import type { FolderLockOptions } from './folder-lock';
import { makePrivateDir, tightenDir } from './store-files';
import { IndexFile } from './index-file';
import { PENDING_LOGS_COLLECTION, type PendingLogBuffer } from './pending-logs';
import { StoreCatchUp } from './store-catch-up';
import { CorruptDocumentError, InvalidDocumentIdError, StoreOpenError } from './store-errors';
import { INDEX_FILE, STORE_GITIGNORE, TRACE_DOCUMENT_VERSION, TRACES_COLLECTION } from './store-layout';
import { isTraceDocument, type TraceDocument } from './trace-document';
import { TraceIngest, type IngestResult, type LogIngestResult } from './trace-ingest';
import { TraceIndex, type ListOptions } from './trace-index';
import type { TraceFilter } from './trace-filter';
import { WriteQueue } from './write-queue';

export interface StoreOptions {
  /** Most log records kept waiting for their spans (default 10,000); past it the oldest are dropped. */
  pendingLogRecordLimit?: number;
  /** The inter-process lock every write takes (see folder-lock.ts). */
  lock?: FolderLockOptions;
}

export interface StoreChangeEvent {
  traceIds: string[];
  kind: 'upsert' | 'delete';
}

export interface CorruptDocumentInfo {
  id: string;
  path: string;
}

/** What opening found; lets the UI say "index rebuilt, a copy of the broken file is at ...". */
export interface StoreOpenReport {
  index: 'loaded' | 'created' | 'rebuilt';
  /** Copy of a broken index.json, when it was rebuilt because of one. */
  indexBackupPath?: string;
  /** Trace documents that could not be read while building or reconciling the index. */
  corruptDocuments: CorruptDocumentInfo[];
}

export interface RebuildReport {
  traceCount: number;
  corruptDocuments: CorruptDocumentInfo[];
}

function corruptInfo(errors: CorruptDocumentError[]): CorruptDocumentInfo[] {
  return errors.map((e) => ({ id: e.id, path: e.path }));
}

export class TraceStoreCore {
  // Every task holds the folder's lock and first catches up with other processes' writes.
  readonly queue = new WriteQueue((task) => this.catchUp.guard(task));
  private readonly catchUp: StoreCatchUp;
  readonly traces: JsonDocumentCollection<TraceDocument>;
  readonly index = new TraceIndex();
  readonly indexFile: IndexFile;
  openReport: StoreOpenReport = { index: 'loaded', corruptDocuments: [] };
  private readonly listeners = new Set<(e: StoreChangeEvent) => void>();
  private readonly collections = new Map<string, JsonDocumentCollection<unknown>>();
  private putCalls = 0;
  /** Span and log ingest, and the log records waiting for their spans (trace-ingest.ts). */
  private readonly ingester: TraceIngest;
  readonly pendingLogs: PendingLogBuffer;

  private constructor(
    readonly dir: string,
    options: StoreOptions,
  ) {
    this.traces = new JsonDocumentCollection<TraceDocument>(TRACES_COLLECTION, dir, this.queue, {
      validate: isTraceDocument,
    });
    this.indexFile = new IndexFile(path.join(dir, INDEX_FILE), this.queue, this.index);
    this.ingester = new TraceIngest({
      dir,
      queue: this.queue,
      traces: this.traces,
      index: this.index,
      pendingLogRecordLimit: options.pendingLogRecordLimit,
      afterWrite: (traceIds) => this.afterWrite(traceIds, 'upsert'),
    });
    this.pendingLogs = this.ingester.pendingLogs;
    this.catchUp = new StoreCatchUp(dir, options.lock, {
      queue: this.queue,
      index: this.index,
      indexFile: this.indexFile,
      pendingLogs: this.pendingLogs,
      pendingDir: this.ingester.pendingDir,
      rebuildIndex: () => this.rebuildIndex(),
      emit: (e) => this.emit(e),
    });
  }

  static async open(dir: string, options: StoreOptions = {}): Promise<TraceStoreCore> {
    const core = new TraceStoreCore(dir, options);
    try {
      await makePrivateDir(dir);
      await tightenDir(dir);
      await writeGitignore(dir);
      await core.traces.ensureDir();
      await core.ingester.ensureDir();
    } catch (cause) {
      throw new StoreOpenError(dir, { cause });
    }
    // Looked at before reading: a write by another process after this point shows as a change.
    await core.catchUp.remember();
    await core.loadIndex();
    return core;
  }

  /** Catches up with other processes' writes when the folder changed since this process looked. */
  refresh(): Promise<void> {
    return this.catchUp.refresh();
  }

  private async loadIndex(): Promise<void> {
    const loaded = await this.indexFile.load();
    if (loaded.status !== 'ok') {
      const rebuilt = await this.rebuildIndex({ emit: false });
      this.openReport = {
        index: loaded.status === 'missing' ? 'created' : 'rebuilt',
        indexBackupPath: loaded.status === 'corrupt' ? loaded.backupPath : undefined,
        corruptDocuments: rebuilt.corruptDocuments,
      };
      return;
    }
    this.index.replaceAll(loaded.summaries);
    // A crash between writing a trace document and the index leaves them out of step; the folder
    // listing is cheap next to reading documents, so reconcile on every open.
    const onDisk = new Set(await this.traces.listIds());
    const stale = this.index.ids().filter((id) => !onDisk.has(id));
    const missing = [...onDisk].filter((id) => !this.index.has(id));
    for (const id of stale) this.index.remove(id);
    const { found, corrupt } = await this.traces.getMany(missing);
    for (const doc of found.values()) this.index.upsert(summarizeTrace(doc.trace));
    if (stale.length || found.size) await this.indexFile.save();
    // A long log is folded into a fresh snapshot now rather than by the next write.
    if (this.indexFile.wantsCompaction) await this.indexFile.compact();
    this.openReport = { index: 'loaded', corruptDocuments: corruptInfo(corrupt) };
  }

  /** Merges spans into the stored traces (trace-ingest.ts). */
  ingest(spans: RawSpan[]): Promise<IngestResult> {
    return this.ingester.ingest(spans);
  }

  /** Joins GenAI log records to their spans, or keeps them waiting (trace-ingest.ts). */
  ingestLogs(records: RawLogRecord[]): Promise<LogIngestResult> {
    return this.ingester.ingestLogs(records);
  }

  async putTraces(traces: Trace[]): Promise<void> {
    for (const t of traces) {
      if (!this.traces.isValidId(t.id)) throw new InvalidDocumentIdError(TRACES_COLLECTION, t.id);
    }
    if (!traces.length) return;
    // Whole-document writes (no read), so the call is one entry of a write batch: it shares a queue
    // turn with the writes queued right before it (a replay's job document), and writes index.json
    // itself in that turn, so the caller waits for one turn of the queue, not two.
    await this.queue.write(`putTraces#${++this.putCalls}`, async () => {
      await this.traces.putMany(traces.map((trace) => [trace.id, { version: TRACE_DOCUMENT_VERSION, trace }] as const));
      for (const t of traces) this.index.upsert(summarizeTrace(t));
      await this.indexFile.save();
    });
    this.emit({ kind: 'upsert', traceIds: [...new Set(traces.map((t) => t.id))] });
  }

  async getTrace(id: string): Promise<Trace | undefined> {
    if (!this.traces.isValidId(id)) return undefined;
    return (await this.traces.get(id))?.trace;
  }

  list(options?: ListOptions): TraceSummary[] {
    return this.index.list(options);
  }

  count(filter?: TraceFilter): number {
    return this.index.count(filter);
  }

  getSummary(id: string): TraceSummary | undefined {
    return this.index.get(id);
  }

  async deleteTrace(id: string): Promise<boolean> {
    if (!this.traces.isValidId(id)) return false;
    const existed = await this.queue.run(async () => {
      const hadFile = await this.traces.delete(id);
      const hadEntry = this.index.remove(id);
      return hadFile || hadEntry;
    });
    if (existed) await this.afterWrite([id], 'delete');
    return existed;
  }

  /** Rebuilds index.json from the trace documents; unreadable documents are left out and reported. */
  async rebuildIndex(options: { emit?: boolean } = {}): Promise<RebuildReport> {
    const before = new Set(this.index.ids());
    const report = await this.queue.run(async () => {
      const ids = await this.traces.listIds();
      const { found, corrupt } = await this.traces.getMany(ids);
      const summaries = [...found.values()].map((doc) =>
        summarizeTrace(doc.trace, this.index.get(doc.trace.id)?.updatedAt),
      );
      this.index.replaceAll(summaries);
      await this.indexFile.compact();
      return { traceCount: summaries.length, corruptDocuments: corruptInfo(corrupt) };
    });
    if (options.emit !== false) {
      const now = this.index.ids();
      const gone = [...before].filter((id) => !this.index.has(id));
      if (now.length) this.emit({ kind: 'upsert', traceIds: now });
      if (gone.length) this.emit({ kind: 'delete', traceIds: gone });
    }
    return report;
  }

  /** A document collection in a subfolder of this store, sharing its single writer. */
  async collection<T>(name: string, options?: DocumentCollectionOptions<T>): Promise<JsonDocumentCollection<T>> {
    if (name === TRACES_COLLECTION || name === PENDING_LOGS_COLLECTION || !this.traces.isValidId(name))
      throw new InvalidDocumentIdError('collection', name);
    let c = this.collections.get(name) as JsonDocumentCollection<T> | undefined;
    if (!c) {
      c = new JsonDocumentCollection<T>(name, this.dir, this.queue, options);
      await c.ensureDir();
      this.collections.set(name, c as JsonDocumentCollection<unknown>);
    }
    return c;
  }

  addListener(listener: (e: StoreChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    await this.queue.idle();
    await this.indexFile.settled();
    this.listeners.clear();
  }

  /** The write is durable once the index is on disk too; only then do listeners hear about it. */
  private async afterWrite(traceIds: string[], kind: StoreChangeEvent['kind']): Promise<void> {
    if (!traceIds.length) return;
    await this.indexFile.save();
    this.emit({ kind, traceIds });
  }

  private emit(event: StoreChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener must not fail the write that already succeeded, nor starve the others.
        process.emitWarning(err instanceof Error ? err : String(err), 'TraceStoreListenerWarning');
      }
    }
  }
}

/** A .gitignore in a store folder that has none (never replaces the user's own). Best effort: a
 *  store that cannot take one (read-only, or the user's own file) still opens. */
async function writeGitignore(dir: string): Promise<void> {
  await writeFile(path.join(dir, '.gitignore'), STORE_GITIGNORE, { flag: 'wx' }).catch(() => undefined);
}
