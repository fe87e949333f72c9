// Log records waiting for their span. Log and span exporters batch independently, so a GenAI log
// record often arrives before its span (or in another request, file or run). Such records are kept
// on disk until an ingest brings their span: one document per ingestLogs call
// (`<store>/pending-logs/b<seq>.json`, so a logs request costs one write, not one per trace),
// rewritten without the records that joined (or deleted once none is left). The buffer is bounded:
// past the limit the oldest records are dropped and counted, so logs of spans that never come
// cannot grow the store without end.
//
// In memory: which trace has which pending records (sequence numbers, batch, a hash of each event
// for de-duplication) and the contents of recently written batches (bounded); the events
// themselves stay on disk. Every method runs inside the store's write queue (the caller's task).
import { createHash } from 'node:crypto';
import type { SpanEvent } from '../model/trace';
import type { JsonDocumentCollection } from './document-collection';
import { eventKey, type LogSpanEvent } from './log-events';
import { CorruptDocumentError } from './store-errors';

export const PENDING_LOGS_COLLECTION = 'pending-logs';
export const DEFAULT_PENDING_LOG_LIMIT = 10_000;
export const PENDING_LOG_DOCUMENT_VERSION = 1;
/** Most records of batch documents also kept in memory. */
const CACHED_RECORDS = 5_000;

export interface PendingLogEntry {
  /** Arrival order across the whole buffer (drop-oldest follows it). */
  seq: number;
  traceId: string;
  spanId: string;
  event: SpanEvent;
}

export interface PendingLogDocument {
  version: typeof PENDING_LOG_DOCUMENT_VERSION;
  records: PendingLogEntry[];
}

export function isPendingLogDocument(v: unknown): v is PendingLogDocument {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<PendingLogDocument>;
  return (
    d.version === PENDING_LOG_DOCUMENT_VERSION &&
    Array.isArray(d.records) &&
    d.records.every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        typeof r.seq === 'number' &&
        typeof r.traceId === 'string' &&
        typeof r.spanId === 'string' &&
        typeof r.event === 'object' &&
        r.event !== null &&
        typeof r.event.name === 'string',
    )
  );
}

interface LiveRecord {
  seq: number;
  batch: string;
  spanId: string;
  /** Hash of spanId + event, to recognize a re-sent record. */
  key: string;
}

function recordKey(spanId: string, event: SpanEvent): string {
  return createHash('sha1').update(spanId).update('\u0000').update(eventKey(event)).digest('base64');
}

export class PendingLogBuffer {
  private loading: Promise<void> | undefined;
  private readonly byTrace = new Map<string, LiveRecord[]>();
  /** batch id -> sequence numbers of its records still pending. */
  private readonly live = new Map<string, Set<number>>();
  /** Batches whose document no longer matches `live` (records joined or dropped). */
  private readonly touched = new Set<string>();
  private readonly cache = new Map<string, readonly PendingLogEntry[]>();
  private cachedRecords = 0;
  private total = 0;
  private nextSeq = 1;

  constructor(
    private readonly docs: JsonDocumentCollection<PendingLogDocument>,
    readonly limit: number,
  ) {}

  /** Reads what earlier runs left pending (once; later calls return at once). */
  load(): Promise<void> {
    this.loading ??= this.readAll().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  /** Forgets what is in memory: another process changed the buffer's documents, so the next `load`
   *  reads them again. Only between tasks' writes (nothing touched and not flushed). */
  reset(): void {
    this.loading = undefined;
    this.byTrace.clear();
    this.live.clear();
    this.touched.clear();
    this.cache.clear();
    this.cachedRecords = 0;
    this.total = 0;
    this.nextSeq = 1;
  }

  /** Records waiting for their span. */
  get size(): number {
    return this.total;
  }

  has(traceId: string): boolean {
    return this.byTrace.has(traceId);
  }

  /** The pending records of `traceId` whose span is in `spanIds` (still pending until `consume`). */
  async peek(traceId: string, spanIds: ReadonlySet<string>): Promise<PendingLogEntry[]> {
    const wanted = new Set((this.byTrace.get(traceId) ?? []).filter((r) => spanIds.has(r.spanId)).map((r) => r.seq));
    if (!wanted.size) return [];
    const batches = new Set((this.byTrace.get(traceId) ?? []).filter((r) => wanted.has(r.seq)).map((r) => r.batch));
    const out: PendingLogEntry[] = [];
    for (const batch of batches) {
      for (const entry of await this.read(batch)) if (wanted.has(entry.seq)) out.push(entry);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Marks records as joined; `flush` writes the change. */
  consume(traceId: string, entries: readonly PendingLogEntry[]): void {
    if (!entries.length) return;
    const seqs = new Set(entries.map((e) => e.seq));
    this.forget(traceId, (r) => seqs.has(r.seq));
  }

  /** Adds the records of one ingestLogs call as one batch (records already pending are not added
   *  twice). Returns how many were new. */
  async add(items: readonly LogSpanEvent[]): Promise<number> {
    const fresh: PendingLogEntry[] = [];
    const keys: LiveRecord[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const key = recordKey(item.spanId, item.event);
      if (seen.has(key) || this.byTrace.get(item.traceId)?.some((r) => r.key === key)) continue;
      seen.add(key);
      const seq = this.nextSeq++;
      fresh.push({ seq, traceId: item.traceId, spanId: item.spanId, event: item.event });
      keys.push({ seq, batch: '', spanId: item.spanId, key });
    }
    if (!fresh.length) return 0;
    const batch = `b${fresh[0].seq}`;
    await this.docs.put(batch, { version: PENDING_LOG_DOCUMENT_VERSION, records: fresh });
    this.cacheSet(batch, fresh);
    fresh.forEach((entry, i) => this.remember(entry.traceId, { ...keys[i], batch }));
    return fresh.length;
  }

  /** Drops the oldest records past the limit (written by the next `flush`); returns how many. */
  trim(): number {
    const excess = this.total - this.limit;
    if (excess <= 0) return 0;
    const all: number[] = [];
    for (const list of this.byTrace.values()) for (const r of list) all.push(r.seq);
    all.sort((a, b) => a - b);
    const cutoff = all[excess - 1];
    const before = this.total;
    for (const traceId of [...this.byTrace.keys()]) this.forget(traceId, (r) => r.seq <= cutoff);
    return before - this.total;
  }

  /** Rewrites the batches that lost records (deleted when none is left). */
  async flush(): Promise<void> {
    const batches = [...this.touched];
    this.touched.clear();
    for (const batch of batches) {
      const live = this.live.get(batch);
      if (!live?.size) {
        this.live.delete(batch);
        this.cacheSet(batch, []);
        await this.docs.delete(batch);
        continue;
      }
      const records = (await this.read(batch)).filter((r) => live.has(r.seq));
      await this.docs.put(batch, { version: PENDING_LOG_DOCUMENT_VERSION, records });
      this.cacheSet(batch, records);
    }
  }

  private remember(traceId: string, record: LiveRecord): void {
    let list = this.byTrace.get(traceId);
    if (!list) this.byTrace.set(traceId, (list = []));
    list.push(record);
    let live = this.live.get(record.batch);
    if (!live) this.live.set(record.batch, (live = new Set()));
    live.add(record.seq);
    this.total++;
    this.nextSeq = Math.max(this.nextSeq, record.seq + 1);
  }

  private forget(traceId: string, drop: (r: LiveRecord) => boolean): void {
    const list = this.byTrace.get(traceId);
    if (!list) return;
    const keep: LiveRecord[] = [];
    for (const r of list) {
      if (!drop(r)) {
        keep.push(r);
        continue;
      }
      this.live.get(r.batch)?.delete(r.seq);
      this.touched.add(r.batch);
      this.total--;
    }
    if (keep.length) this.byTrace.set(traceId, keep);
    else this.byTrace.delete(traceId);
  }

  private async readAll(): Promise<void> {
    const ids = await this.docs.listIds();
    if (!ids.length) return;
    const { found, corrupt } = await this.docs.getMany(ids);
    // Kept aside, never deleted; their records are lost to joining.
    for (const err of corrupt) await this.docs.quarantine(err.id);
    const batches = [...found].sort((a, b) => (a[1].records[0]?.seq ?? 0) - (b[1].records[0]?.seq ?? 0));
    for (const [batch, doc] of batches) {
      if (!doc.records.length) {
        this.touched.add(batch);
        continue;
      }
      for (const r of doc.records)
        this.remember(r.traceId, { seq: r.seq, batch, spanId: r.spanId, key: recordKey(r.spanId, r.event) });
    }
  }

  private async read(batch: string): Promise<readonly PendingLogEntry[]> {
    const cached = this.cache.get(batch);
    if (cached) return cached;
    try {
      const records = (await this.docs.get(batch))?.records ?? [];
      this.cacheSet(batch, records);
      return records;
    } catch (err) {
      if (!(err instanceof CorruptDocumentError)) throw err;
      await this.docs.quarantine(batch);
      for (const traceId of [...this.byTrace.keys()]) this.forget(traceId, (r) => r.batch === batch);
      this.touched.delete(batch);
      this.live.delete(batch);
      return [];
    }
  }

  private cacheSet(batch: string, records: readonly PendingLogEntry[]): void {
    this.cachedRecords -= this.cache.get(batch)?.length ?? 0;
    this.cache.delete(batch);
    if (!records.length || records.length > CACHED_RECORDS) return;
    this.cache.set(batch, records);
    this.cachedRecords += records.length;
    // Batches cached first leave first (Map keeps insertion order).
    for (const [id, list] of this.cache) {
      if (this.cachedRecords <= CACHED_RECORDS) break;
      this.cache.delete(id);
      this.cachedRecords -= list.length;
    }
  }
}
