// Merging what arrives into the stored traces: spans (`ingest`) and OTLP log records that are GenAI
// events (`ingestLogs`), plus the pending-log buffer holding records whose span has not been stored
// yet (pending-logs.ts). Both paths run as one task of the store's write queue, read the stored trace
// to merge into (a corrupt one is moved aside), write the traces that changed, and hand them to the
// engine (trace-store-core.ts), which saves the index and tells the listeners.
import path from 'node:path';
import type { RawSpan, Span, Trace } from '../model/trace';
import { normalizeSpan } from '../normalize/normalize-span';
import { assembleTrace, summarizeTrace } from '../normalize/assemble-trace';
import type { RawLogRecord } from '../otlp/otlp-logs-converter';
import { JsonDocumentCollection } from './document-collection';
import { applyLogEvents, classifyLogRecord, eventsBySpan, rawWithLogEvents, type LogSpanEvent } from './log-events';
import {
  DEFAULT_PENDING_LOG_LIMIT,
  isPendingLogDocument,
  PENDING_LOGS_COLLECTION,
  PendingLogBuffer,
  type PendingLogDocument,
} from './pending-logs';
import { mergeSpans } from './span-merge';
import { CorruptDocumentError } from './store-errors';
import { TRACE_DOCUMENT_VERSION } from './store-layout';
import type { TraceDocument } from './trace-document';
import type { TraceIndex } from './trace-index';
import type { WriteQueue } from './write-queue';

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

/** The parts of the store an ingest reads and writes. */
export interface IngestParts {
  dir: string;
  queue: WriteQueue;
  traces: JsonDocumentCollection<TraceDocument>;
  index: TraceIndex;
  /** Most log records kept waiting for their spans (undefined: DEFAULT_PENDING_LOG_LIMIT). */
  pendingLogRecordLimit: number | undefined;
  /** Called after the write task with the traces it wrote (also when another trace of it failed):
   *  saves the index and tells the listeners. */
  afterWrite(traceIds: string[]): Promise<void>;
}

export class TraceIngest {
  readonly pendingLogs: PendingLogBuffer;
  private readonly pendingDocs: JsonDocumentCollection<PendingLogDocument>;

  constructor(private readonly parts: IngestParts) {
    this.pendingDocs = new JsonDocumentCollection<PendingLogDocument>(PENDING_LOGS_COLLECTION, parts.dir, parts.queue, {
      validate: isPendingLogDocument,
    });
    const limit = parts.pendingLogRecordLimit ?? DEFAULT_PENDING_LOG_LIMIT;
    if (!(Number.isInteger(limit) && limit >= 0))
      throw new RangeError('pendingLogRecordLimit must be a whole number >= 0.');
    this.pendingLogs = new PendingLogBuffer(this.pendingDocs, limit);
  }

  /** The folder of the pending log records' documents. */
  get pendingDir(): string {
    return path.join(this.parts.dir, PENDING_LOGS_COLLECTION);
  }

  /** Creates the pending-log folder (when the store opens). */
  ensureDir(): Promise<void> {
    return this.pendingDocs.ensureDir();
  }

  async ingest(spans: RawSpan[]): Promise<IngestResult> {
    const { queue, traces } = this.parts;
    let rejected = 0;
    const groups = new Map<string, { raws: RawSpan[]; spans?: Span[] }>();
    for (const raw of spans) {
      if (!traces.isValidId(raw.traceId)) {
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
    const changed = await queue.run(async () => {
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
            await this.write(traceId, spans, existing);
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
    await this.parts.afterWrite(changed.written);
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
    const { queue, traces, index } = this.parts;
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
      else if (c.kind === 'no-span' || !traces.isValidId(c.value.traceId)) result.ignoredWithoutSpan++;
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
    const changed = await queue.run(async () => {
      await this.pendingLogs.load();
      const written: string[] = [];
      const waiting: LogSpanEvent[] = [];
      const outcomes = await Promise.allSettled(
        [...groups].map(async ([traceId, items]) => {
          // Logs usually come before their spans: a trace the index does not know is not read (one
          // writer per folder, see trace-store.ts; the index is reconciled with the folder on open).
          // Were another process writing the folder anyway, its records would only wait, not be lost.
          const existing = index.has(traceId) ? await this.readForMerge(traceId) : undefined;
          const spanIds = new Set(existing?.spans.map((s) => s.id) ?? []);
          const now = items.filter((i) => spanIds.has(i.spanId));
          const later = items.filter((i) => !spanIds.has(i.spanId));
          if (existing && now.length) {
            const applied = applyLogEvents(existing.spans, now);
            if (applied.changed) {
              await this.write(traceId, applied.spans, existing);
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
    await this.parts.afterWrite(changed.written);
    if (changed.failure) throw changed.failure.reason;
    result.traceIds = changed.written;
    result.pendingTotal = this.pendingLogs.size;
    return result;
  }

  /** Reads the stored trace to merge into. A corrupt document is moved aside (kept, never deleted)
   *  so new spans are not refused forever because of one bad file. */
  private async readForMerge(traceId: string): Promise<Trace | undefined> {
    try {
      return (await this.parts.traces.get(traceId))?.trace;
    } catch (err) {
      if (!(err instanceof CorruptDocumentError)) throw err;
      await this.parts.traces.quarantine(traceId);
      return undefined;
    }
  }

  /** Writes the merged trace's document and its index entry (index.json is saved by afterWrite). */
  private async write(traceId: string, spans: Trace['spans'], existing: Trace | undefined): Promise<void> {
    const trace = assemble(traceId, spans, existing);
    await this.parts.traces.put(traceId, { version: TRACE_DOCUMENT_VERSION, trace });
    this.parts.index.upsert(summarizeTrace(trace));
  }
}

function assemble(traceId: string, spans: Trace['spans'], existing: Trace | undefined): Trace {
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
