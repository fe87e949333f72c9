// The shared engine behind every TraceStore handle on one folder: one write queue, the trace
// documents, the in-memory index and its file, and the change listeners. Handles (trace-store.ts)
// add per-caller closing on top. What other processes write to the folder is taken in around each
// write task by store-catch-up.ts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RawSpan, Span, Trace, TraceSummary } from '../model/trace';
import { normalizeSpan } from '../normalize/normalize-span';
import { assembleTrace, summarizeTrace } from '../normalize/assemble-trace';
import type { RawLogRecord } from '../otlp/otlp-logs-converter';
import { JsonDocumentCollection, type DocumentCollectionOptions } from './document-collection';
import type { FolderLockOptions } from './folder-lock';
import { makePrivateDir, tightenDir } from './store-files';
import { IndexFile } from './index-file';
import { applyLogEvents, classifyLogRecord, eventsBySpan, rawWithLogEvents, type LogSpanEvent } from './log-events';
import {
  DEFAULT_PENDING_LOG_LIMIT,
  isPendingLogDocument,
  PENDING_LOGS_COLLECTION,
  PendingLogBuffer,
  type PendingLogDocument,
} from './pending-logs';
import { mergeSpans } from './span-merge';
import { StoreCatchUp } from './store-catch-up';
import { CorruptDocumentError, InvalidDocumentIdError, StoreOpenError } from './store-errors';
import { INDEX_FILE, STORE_GITIGNORE, TRACE_DOCUMENT_VERSION, TRACES_COLLECTION } from './store-layout';
import { TraceIndex, type ListOptions } from './trace-index';
import type { TraceFilter } from './trace-filter';
import { WriteQueue } from './write-queue';

export interface IngestResult {
  /** Every trace the ingest touched, including traces where all spans were duplicates. */
  traceIds: string[];
  acceptedSpans: number;
  duplicateSpans: number;
  /** Spans dropped because their traceId cannot name a document (not 1-200 safe characters). */
  rejectedSpans?: number;
  /** Log records that were waiting for these spans and are now joined to them (absent when none). */
  joinedLogRecords?: number;
}

/** What became of the log records of one ingestLogs call: each record is joined, pending or ignored;
 *  `droppedLogRecords` may include records this same call counted as pending. */
export interface LogIngestResult {
  /** Joined to a stored span (including re-sent records the span already carried). */
  joinedLogRecords: number;
  /** Waiting for their span, which has not been stored yet. */
  pendingLogRecords: number;
  /** Without a trace id or span id: nothing to join them to. */
  ignoredWithoutSpan: number;
  /** Not a GenAI event (no `gen_ai.*` event name), e.g. application logs. */
  ignoredNotGenAi: number;
  /** Records dropped from the pending buffer by this call to stay within its limit (oldest first;
   *  they may be records of earlier calls). */
  droppedLogRecords: number;
  /** Traces whose documents changed. */
  traceIds: string[];
  /** Records waiting in the buffer after this call, and its limit. */
  pendingTotal: number;
  pendingLimit: number;
}

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

export interface TraceDocument {
  version: typeof TRACE_DOCUMENT_VERSION;
  trace: Trace;
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

export function isTraceDocument(v: unknown): v is TraceDocument {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as { version?: unknown; trace?: Partial<Trace> | null };
  return (
    d.version === TRACE_DOCUMENT_VERSION &&
    typeof d.trace === 'object' &&
    d.trace !== null &&
    typeof d.trace.id === 'string' &&
    typeof d.trace.name === 'string' &&
    typeof d.trace.startTime === 'number' &&
    typeof d.trace.endTime === 'number' &&
    Array.isArray(d.trace.spans)
  );
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
  readonly pendingLogs: PendingLogBuffer;
  private readonly pendingDocs: JsonDocumentCollection<PendingLogDocument>;

  private constructor(
    readonly dir: string,
    options: StoreOptions,
  ) {
    this.traces = new JsonDocumentCollection<TraceDocument>(TRACES_COLLECTION, dir, this.queue, {
      validate: isTraceDocument,
    });
    this.indexFile = new IndexFile(path.join(dir, INDEX_FILE), this.queue, this.index);
    this.pendingDocs = new JsonDocumentCollection<PendingLogDocument>(PENDING_LOGS_COLLECTION, dir, this.queue, {
      validate: isPendingLogDocument,
    });
    const limit = options.pendingLogRecordLimit ?? DEFAULT_PENDING_LOG_LIMIT;
    if (!(Number.isInteger(limit) && limit >= 0))
      throw new RangeError('pendingLogRecordLimit must be a whole number >= 0.');
    this.pendingLogs = new PendingLogBuffer(this.pendingDocs, limit);
    this.catchUp = new StoreCatchUp(dir, options.lock, {
      queue: this.queue,
      index: this.index,
      indexFile: this.indexFile,
      pendingLogs: this.pendingLogs,
      pendingDir: path.join(dir, PENDING_LOGS_COLLECTION),
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
      await core.pendingDocs.ensureDir();
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

  async ingest(spans: RawSpan[]): Promise<IngestResult> {
    let rejected = 0;
    const groups = new Map<string, { raws: RawSpan[]; spans?: Span[] }>();
    for (const raw of spans) {
      if (!this.traces.isValidId(raw.traceId)) {
        rejected++;
        continue;
      }
      let group = groups.get(raw.traceId);
      if (!group) groups.set(raw.traceId, (group = { raws: [] }));
      group.raws.push(raw);
    }
    // Normalizing is pure CPU work; do it before taking the writer, except for traces with log
    // records waiting: those spans are normalized once, with their events, inside the task.
    for (const [traceId, group] of groups) {
      if (!this.pendingLogs.has(traceId)) group.spans = group.raws.map(normalizeSpan);
    }
    let acceptedSpans = 0;
    let duplicateSpans = 0;
    let joinedLogRecords = 0;
    const changed = await this.queue.run(async () => {
      await this.pendingLogs.load();
      const written: string[] = [];
      // allSettled: a failed trace must not end the task while other writes are still in flight.
      const outcomes = await Promise.allSettled(
        [...groups].map(async ([traceId, group]) => {
          const existing = await this.readForMerge(traceId);
          // Log records that arrived before these spans join them now.
          const ids = new Set([...(existing?.spans ?? []).map((s) => s.id), ...group.raws.map((r) => r.spanId)]);
          const taken = this.pendingLogs.has(traceId) ? await this.pendingLogs.peek(traceId, ids) : [];
          const waiting = eventsBySpan(taken);
          const incoming =
            group.spans ??
            group.raws.map((raw) => {
              const events = waiting.get(raw.spanId);
              return normalizeSpan(events ? rawWithLogEvents(raw, events) : raw);
            });
          const merged = mergeSpans(existing?.spans ?? [], incoming);
          acceptedSpans += merged.accepted;
          duplicateSpans += merged.duplicates;
          let spans = merged.spans;
          let changed = merged.changed;
          // Records of stored spans, and of incoming copies that lost to the stored one.
          if (taken.length) {
            const applied = applyLogEvents(spans, taken);
            spans = applied.spans;
            changed ||= applied.changed;
          }
          if (changed) {
            const trace = this.assemble(traceId, spans, existing);
            await this.traces.put(traceId, { version: TRACE_DOCUMENT_VERSION, trace });
            this.index.upsert(summarizeTrace(trace));
            written.push(traceId);
          }
          // Only once the trace carrying them is written do they stop being pending.
          this.pendingLogs.consume(traceId, taken);
          joinedLogRecords += taken.length;
        }),
      );
      await this.pendingLogs.flush();
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      return { written, failure };
    });
    // Traces that did get written are indexed and announced even when another one failed.
    await this.afterWrite(changed.written, 'upsert');
    if (changed.failure) throw changed.failure.reason;
    const result: IngestResult = {
      traceIds: [...groups.keys()],
      acceptedSpans,
      duplicateSpans,
      rejectedSpans: rejected,
    };
    if (joinedLogRecords) result.joinedLogRecords = joinedLogRecords;
    return result;
  }

  /** Joins GenAI log records to their spans: a record whose span is stored becomes an event of it
   *  (and the span is normalized again); a record whose span is not stored yet waits in the pending
   *  buffer for a later ingest. Records without span context or that are not gen_ai.* events are
   *  ignored and counted. */
  async ingestLogs(records: RawLogRecord[]): Promise<LogIngestResult> {
    const result: LogIngestResult = {
      joinedLogRecords: 0,
      pendingLogRecords: 0,
      ignoredWithoutSpan: 0,
      ignoredNotGenAi: 0,
      droppedLogRecords: 0,
      traceIds: [],
      pendingTotal: 0,
      pendingLimit: this.pendingLogs.limit,
    };
    const groups = new Map<string, LogSpanEvent[]>();
    for (const record of records) {
      const c = classifyLogRecord(record);
      if (c.kind === 'not-genai') result.ignoredNotGenAi++;
      else if (c.kind === 'no-span' || !this.traces.isValidId(c.value.traceId)) result.ignoredWithoutSpan++;
      else {
        let group = groups.get(c.value.traceId);
        if (!group) groups.set(c.value.traceId, (group = []));
        group.push(c.value);
      }
    }
    if (!groups.size) {
      result.pendingTotal = this.pendingLogs.size;
      return result;
    }
    const changed = await this.queue.run(async () => {
      await this.pendingLogs.load();
      const written: string[] = [];
      const waiting: LogSpanEvent[] = [];
      const outcomes = await Promise.allSettled(
        [...groups].map(async ([traceId, items]) => {
          // Logs usually come before their spans: a trace the index does not know is not read (one
          // writer per folder, see trace-store.ts; the index is reconciled with the folder on open).
          // Were another process writing the folder anyway, its records would only wait, not be lost.
          const existing = this.index.has(traceId) ? await this.readForMerge(traceId) : undefined;
          const spanIds = new Set(existing?.spans.map((s) => s.id) ?? []);
          const now = items.filter((i) => spanIds.has(i.spanId));
          const later = items.filter((i) => !spanIds.has(i.spanId));
          if (existing && now.length) {
            const applied = applyLogEvents(existing.spans, now);
            if (applied.changed) {
              const trace = this.assemble(traceId, applied.spans, existing);
              await this.traces.put(traceId, { version: TRACE_DOCUMENT_VERSION, trace });
              this.index.upsert(summarizeTrace(trace));
              written.push(traceId);
            }
            result.joinedLogRecords += applied.joined;
          }
          waiting.push(...later);
        }),
      );
      // One document for all records that wait; then the buffer is bounded again, even when one
      // trace failed.
      await this.pendingLogs.add(waiting);
      result.pendingLogRecords = waiting.length;
      result.droppedLogRecords = this.pendingLogs.trim();
      await this.pendingLogs.flush();
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      return { written, failure };
    });
    await this.afterWrite(changed.written, 'upsert');
    if (changed.failure) throw changed.failure.reason;
    result.traceIds = changed.written;
    result.pendingTotal = this.pendingLogs.size;
    return result;
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

  /** Reads the stored trace to merge into. A corrupt document is moved aside (kept, never deleted)
   *  so new spans are not refused forever because of one bad file. */
  private async readForMerge(traceId: string): Promise<Trace | undefined> {
    try {
      return (await this.traces.get(traceId))?.trace;
    } catch (err) {
      if (!(err instanceof CorruptDocumentError)) throw err;
      await this.traces.quarantine(traceId);
      return undefined;
    }
  }

  private assemble(traceId: string, spans: Trace['spans'], existing: Trace | undefined): Trace {
    const trace = assembleTrace(spans);
    trace.id = traceId;
    // Trace-level facts that spans cannot carry (set by putTrace on a replayed trace) survive a merge.
    if (existing) {
      trace.replayOf ??= existing.replayOf;
      trace.serviceName ??= existing.serviceName;
      trace.resource ??= existing.resource;
    }
    return trace;
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
