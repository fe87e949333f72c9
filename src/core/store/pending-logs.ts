// Log records waiting for their span. Log and span exporters batch independently, so a GenAI log
// record often arrives before its span (or in another request, file or run). Each such record is
// kept in `<store>/pending-logs/<traceId>.json` until an ingest brings its span; the buffer is
// bounded (oldest records dropped first, counted) so logs of spans that never come cannot grow the
// store without end. Only the sequence numbers are kept in memory; the events stay on disk.
//
// Every method runs inside the store's write queue (the caller's task), like the trace merge.
import type { SpanEvent } from '../model/trace';
import type { JsonDocumentCollection } from './document-collection';
import { eventKey, type LogSpanEvent } from './log-events';
import { CorruptDocumentError } from './store-errors';

export const PENDING_LOGS_COLLECTION = 'pending-logs';
export const DEFAULT_PENDING_LOG_LIMIT = 10_000;
export const PENDING_LOG_DOCUMENT_VERSION = 1;

export interface PendingLogEntry {
  /** Arrival order across the whole buffer (drop-oldest follows it). */
  seq: number;
  spanId: string;
  event: SpanEvent;
}

export interface PendingLogDocument {
  version: typeof PENDING_LOG_DOCUMENT_VERSION;
  traceId: string;
  records: PendingLogEntry[];
}

export function isPendingLogDocument(v: unknown): v is PendingLogDocument {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<PendingLogDocument>;
  return d.version === PENDING_LOG_DOCUMENT_VERSION && typeof d.traceId === 'string' && Array.isArray(d.records)
    && d.records.every(r => typeof r === 'object' && r !== null && typeof r.seq === 'number' && typeof r.spanId === 'string'
      && typeof r.event === 'object' && r.event !== null && typeof r.event.name === 'string');
}

/** Pending records of one trace taken for joining; `commit` removes them from disk once the trace
 *  that now carries them is written (a failed write leaves them pending). */
export interface TakenLogs {
  entries: PendingLogEntry[];
  commit(): Promise<void>;
}

export class PendingLogBuffer {
  private loading: Promise<void> | undefined;
  /** traceId -> sequence numbers of its pending records, ascending. */
  private readonly seqs = new Map<string, number[]>();
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

  /** Records waiting for their span. */
  get size(): number {
    return this.total;
  }

  has(traceId: string): boolean {
    return this.seqs.has(traceId);
  }

  /** The pending records of `traceId` whose span is in `spanIds`. */
  async take(traceId: string, spanIds: ReadonlySet<string>): Promise<TakenLogs> {
    const doc = await this.read(traceId);
    const entries = doc?.records.filter(r => spanIds.has(r.spanId)) ?? [];
    const commit = async (): Promise<void> => {
      if (!entries.length) return;
      const taken = new Set(entries.map(e => e.seq));
      // Re-read: another trace's drop or add may have changed the document since.
      const current = await this.read(traceId);
      await this.write(traceId, current?.records.filter(r => !taken.has(r.seq)) ?? []);
    };
    return { entries, commit };
  }

  /** Adds records (already pending copies of the same event are not added twice). Returns how
   *  many were new. */
  async add(traceId: string, items: readonly Pick<LogSpanEvent, 'spanId' | 'event'>[]): Promise<number> {
    if (!items.length) return 0;
    const doc = await this.read(traceId);
    const records = doc?.records.slice() ?? [];
    const have = new Set(records.map(r => `${r.spanId}\u0000${eventKey(r.event)}`));
    let added = 0;
    for (const item of items) {
      const key = `${item.spanId}\u0000${eventKey(item.event)}`;
      if (have.has(key)) continue;
      have.add(key);
      records.push({ seq: this.nextSeq++, spanId: item.spanId, event: item.event });
      added++;
    }
    if (added) await this.write(traceId, records);
    return added;
  }

  /** Drops the oldest records past the limit; returns how many. */
  async trim(): Promise<number> {
    const excess = this.total - this.limit;
    if (excess <= 0) return 0;
    const all: number[] = [];
    for (const list of this.seqs.values()) all.push(...list);
    all.sort((a, b) => a - b);
    const cutoff = all[excess - 1];
    const before = this.total;
    const touched = [...this.seqs].filter(([, list]) => list[0] <= cutoff).map(([traceId]) => traceId);
    for (const traceId of touched) {
      const doc = await this.read(traceId);
      await this.write(traceId, doc?.records.filter(r => r.seq > cutoff) ?? []);
    }
    return before - this.total;
  }

  private async readAll(): Promise<void> {
    const ids = await this.docs.listIds();
    if (!ids.length) return;
    const { found, corrupt } = await this.docs.getMany(ids);
    for (const err of corrupt) await this.docs.quarantine(err.id);
    for (const [traceId, doc] of found) this.remember(traceId, doc.records);
  }

  private async read(traceId: string): Promise<PendingLogDocument | undefined> {
    if (!this.seqs.has(traceId)) return undefined;
    try {
      return await this.docs.get(traceId);
    } catch (err) {
      if (!(err instanceof CorruptDocumentError)) throw err;
      // Kept aside, never deleted; its records are lost to joining.
      await this.docs.quarantine(traceId);
      this.remember(traceId, []);
      return undefined;
    }
  }

  private async write(traceId: string, records: PendingLogEntry[]): Promise<void> {
    if (records.length) await this.docs.put(traceId, { version: PENDING_LOG_DOCUMENT_VERSION, traceId, records });
    else if (this.seqs.has(traceId)) await this.docs.delete(traceId);
    this.remember(traceId, records);
  }

  private remember(traceId: string, records: readonly PendingLogEntry[]): void {
    this.total -= this.seqs.get(traceId)?.length ?? 0;
    if (!records.length) {
      this.seqs.delete(traceId);
      return;
    }
    const list = records.map(r => r.seq).sort((a, b) => a - b);
    this.seqs.set(traceId, list);
    this.total += list.length;
    this.nextSeq = Math.max(this.nextSeq, list[list.length - 1] + 1);
  }
}
