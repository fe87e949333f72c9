// The embedded local trace store: lowdb JSON documents under one folder.
//
//   <dir>/index.json          TraceSummary of every trace (listing never reads trace documents)
//   <dir>/traces/<id>.json    one document per trace: { version: 1, trace: Trace }
//   <dir>/pending-logs/b<n>.json  OTLP log records waiting for their spans (pending-logs.ts)
//   <dir>/<name>/<id>.json    further collections (replays, cache, ...) via collection(name)
//
// One writer: every change runs in the folder's serial write queue, and each file is written to a
// uniquely named temp file and renamed over the target (store-files.ts), so a crash leaves the old
// or the new file. Folders are 0700 and files 0600: traces hold prompts and model outputs.
// A resolved ingest/putTrace/deleteTrace means the documents and the index are written (no fsync,
// so an OS crash or power loss may still lose the last writes).
//
// Several processes may use one folder (the extension's receiver and a CLI in a terminal): every
// write task holds the folder's lock (`<dir>/.lock`, folder-lock.ts) and first takes in what the
// other processes wrote (store-catch-up.ts); listings catch up the same way. Within one process,
// opening the same folder again shares the same engine (queue, index, listeners): each open()
// returns its own handle, and the engine closes with the last handle.
import path from 'node:path';
import type { RawSpan, Trace, TraceSummary } from '../model/trace';
import type { DocumentCollectionOptions, JsonDocumentCollection } from './document-collection';
import { StoreClosedError } from './store-errors';
import type { ListOptions } from './trace-index';
import type { TraceFilter } from './trace-filter';
import type { RawLogRecord } from '../otlp/otlp-logs-converter';
import type { IngestResult, LogIngestResult } from './trace-ingest';
import {
  TraceStoreCore,
  type StoreOptions,
  type RebuildReport,
  type StoreChangeEvent,
  type StoreOpenReport,
} from './trace-store-core';

export type { StoreChangeEvent, StoreOpenReport, StoreOptions, RebuildReport } from './trace-store-core';
export type { IngestResult, LogIngestResult } from './trace-ingest';
export type { ListOptions } from './trace-index';
export type { TraceFilter } from './trace-filter';

interface OpenEntry {
  core: Promise<TraceStoreCore>;
  handles: number;
}

// Keyed by absolute path so `./.trace-replay` and its absolute spelling share one writer.
const openFolders = new Map<string, OpenEntry>();

export class TraceStore {
  private closed = false;
  private readonly unsubscribers = new Set<() => void>();

  private constructor(
    readonly dir: string,
    private readonly core: TraceStoreCore,
  ) {}

  /** Opens (creating the folder layout if missing) the store in `dir`. A missing or broken
   *  index.json is rebuilt from the trace documents; a broken one is first copied aside. `options`
   *  apply when this call opens the folder's engine (not when another handle already has it open). */
  static async open(dir: string, options?: StoreOptions): Promise<TraceStore> {
    const key = path.resolve(dir);
    let entry = openFolders.get(key);
    if (!entry) {
      entry = { core: TraceStoreCore.open(key, options), handles: 0 };
      openFolders.set(key, entry);
    }
    entry.handles++;
    try {
      return new TraceStore(key, await entry.core);
    } catch (err) {
      entry.handles--;
      if (openFolders.get(key) === entry && entry.handles === 0) openFolders.delete(key);
      throw err;
    }
  }

  /** What opening found (index loaded, created or rebuilt; unreadable documents). */
  get openReport(): StoreOpenReport {
    return this.core.openReport;
  }

  /** Groups spans by traceId, normalizes them, merges them into the stored traces (a spanId already
   *  stored is kept once, see span-merge.ts for which copy wins) and writes the changed traces. */
  async ingest(spans: RawSpan[]): Promise<IngestResult> {
    this.check();
    return this.core.ingest(spans);
  }

  /** Joins OTLP log records (GenAI events) to their spans; records whose span is not stored yet wait
   *  in a bounded pending buffer (`<dir>/pending-logs/`) and join when the span is ingested, in this
   *  or a later run. See LogIngestResult for the counts. */
  async ingestLogs(records: RawLogRecord[]): Promise<LogIngestResult> {
    this.check();
    return this.core.ingestLogs(records);
  }

  /** Log records waiting for their spans. */
  get pendingLogRecordCount(): number {
    this.check();
    return this.core.pendingLogs.size;
  }

  /** Stores a whole trace, replacing any stored trace with the same id (no span merge). */
  async putTrace(trace: Trace): Promise<void> {
    this.check();
    return this.core.putTraces([trace]);
  }

  /** Stores many whole traces in one write task (imports). */
  async putTraces(traces: Trace[]): Promise<void> {
    this.check();
    return this.core.putTraces(traces);
  }

  /** The trace, or undefined when there is none. Throws CorruptDocumentError when its document
   *  cannot be read; other traces are unaffected. */
  async getTrace(id: string): Promise<Trace | undefined> {
    this.check();
    return this.core.getTrace(id);
  }

  /** Takes in what other processes wrote to the folder since this handle last looked (listings do
   *  it themselves; call it before `getSummary` when another process may have just written). */
  async refresh(): Promise<void> {
    this.check();
    await this.core.refresh();
  }

  /** Throws StoreLockError (one sentence: the folder, the cause, what to do) when this process
   *  cannot write the store, e.g. a read-only folder; commands that write call it first. */
  async ensureWritable(): Promise<void> {
    this.check();
    await this.core.queue.run(async () => undefined);
  }

  /** Summary from the index, without reading the trace document. */
  getSummary(id: string): TraceSummary | undefined {
    this.check();
    return this.core.getSummary(id);
  }

  /** Newest first by startTime. */
  async listTraces(options?: ListOptions): Promise<TraceSummary[]> {
    this.check();
    await this.core.refresh();
    return this.core.list(options);
  }

  async countTraces(filter?: TraceFilter): Promise<number> {
    this.check();
    await this.core.refresh();
    return this.core.count(filter);
  }

  /** False when there was no such trace. */
  async deleteTrace(id: string): Promise<boolean> {
    this.check();
    return this.core.deleteTrace(id);
  }

  /** Re-reads every trace document and rewrites index.json. */
  async rebuildIndex(): Promise<RebuildReport> {
    this.check();
    return this.core.rebuildIndex();
  }

  /** A JSON document collection in `<dir>/<name>/` that shares this store's single writer, for
   *  features that keep their own documents (replay jobs, response cache, evaluator results). */
  async collection<T>(name: string, options?: DocumentCollectionOptions<T>): Promise<JsonDocumentCollection<T>> {
    this.check();
    return this.core.collection<T>(name, options);
  }

  /** Listeners run after the change is on disk. Returns an unsubscribe function. */
  onDidChange(listener: (e: StoreChangeEvent) => void): () => void {
    this.check();
    const remove = this.core.addListener(listener);
    const unsubscribe = (): void => {
      remove();
      this.unsubscribers.delete(unsubscribe);
    };
    this.unsubscribers.add(unsubscribe);
    return unsubscribe;
  }

  /** Waits for queued writes, drops this handle's listeners; the folder's engine closes with its
   *  last handle. Further calls on this handle throw StoreClosedError. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of [...this.unsubscribers]) unsubscribe();
    await this.core.queue.idle();
    const entry = openFolders.get(this.dir);
    if (!entry) return;
    entry.handles--;
    if (entry.handles > 0) return;
    openFolders.delete(this.dir);
    await this.core.close();
  }

  private check(): void {
    if (this.closed) throw new StoreClosedError(this.dir);
  }
}
