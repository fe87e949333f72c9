// index.json + index.log: the TraceSummary of every trace, so the trace list opens without reading
// trace documents. index.json is a snapshot; a write appends only what changed to index.log (one
// JSON line per summary or removal), so the cost of a write does not grow with the store; once the
// log holds more entries than a quarter of the snapshot (at least COMPACT_MIN) the next write, or
// the next open, writes a fresh snapshot and empties the log. Readers apply the log over the
// snapshot; another process's appends are read incrementally (from the offset this process reached).
//
// It is derived data: when index.json is missing, unreadable or malformed the store rebuilds it from
// the trace documents, after keeping a copy of the broken file (user data is never deleted). A
// broken log line (a crash in the middle of an append) is skipped; the documents still hold it.
import { appendFile, copyFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import type { TraceSummary } from '../model/trace';
import { UnsupportedStoreVersionError } from './store-errors';
import { AtomicJsonFile, fingerprintOf, STORE_FILE_MODE } from './store-files';
import { INDEX_LOG_FILE } from './store-layout';
import type { IndexDelta } from './trace-index';
import type { WriteQueue } from './write-queue';

export const INDEX_FORMAT_VERSION = 1;
/** Log entries before a compaction is considered, whatever the store's size. */
export const COMPACT_MIN = 1_000;

/** Where the index takes its data from (the in-memory TraceIndex). */
export interface IndexSource {
  all(): TraceSummary[];
  takeUnsaved(): IndexDelta;
  markUnsaved(ids: Iterable<string>): void;
}

/** What another process wrote since this one last looked. */
export type IndexCatchUp =
  { kind: 'none' } | { kind: 'delta'; delta: IndexDelta } | { kind: 'full'; result: IndexLoadResult };

interface LogLine {
  u?: TraceSummary;
  d?: string;
}

/** Applies log text (lines of {u: summary} / {d: id}; blank and broken lines skipped) in order. */
function parseLog(text: string): { delta: IndexDelta; entries: number } {
  const last = new Map<string, TraceSummary | null>();
  let entries = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      continue;
    }
    if (parsed.u !== undefined && isTraceSummary(parsed.u)) {
      last.set(parsed.u.id, parsed.u);
      entries++;
    } else if (typeof parsed.d === 'string') {
      last.set(parsed.d, null);
      entries++;
    }
  }
  const upserts: TraceSummary[] = [];
  const removed: string[] = [];
  for (const [id, s] of last) {
    if (s) upserts.push(s);
    else removed.push(id);
  }
  return { delta: { upserts, removed }, entries };
}

export interface IndexDocument {
  version: typeof INDEX_FORMAT_VERSION;
  traces: TraceSummary[];
}

export type IndexLoadResult =
  | { status: 'ok'; summaries: TraceSummary[] }
  | { status: 'missing' }
  /** backupPath is undefined when the broken file could not even be copied. */
  | { status: 'corrupt'; backupPath?: string; cause?: unknown };

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function isTraceSummary(v: unknown): v is TraceSummary {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.id === 'string' &&
    typeof s.name === 'string' &&
    typeof s.startTime === 'number' &&
    typeof s.durationMs === 'number' &&
    typeof s.spanCount === 'number' &&
    typeof s.llmSpanCount === 'number' &&
    isStringArray(s.models) &&
    typeof s.inputTokens === 'number' &&
    typeof s.outputTokens === 'number' &&
    isStringArray(s.promptNames) &&
    typeof s.updatedAt === 'number'
  );
}

export class IndexFile {
  private readonly db: Low<IndexDocument>;
  // The index is rewritten after every change but most summaries are unchanged objects (the index
  // replaces a summary on change, never mutates it), so each one is serialized once, not per save.
  private readonly encoded = new WeakMap<TraceSummary, string>();
  private scheduled: { promise: Promise<void> } | undefined;
  readonly logPath: string;
  /** index.json as this process last read or wrote it. */
  private snapshotKey = 'unknown';
  /** Bytes of index.log applied here (read or written by this process). */
  private logOffset = 0;
  /** Entries in index.log since the snapshot, and traces in the snapshot (for compaction). */
  private logEntries = 0;
  private snapshotCount = 0;
  /** A compaction was asked for while a plain save was waiting: that save writes the snapshot. */
  private fullWanted = false;

  constructor(
    readonly path: string,
    private readonly queue: WriteQueue,
    private readonly source: IndexSource,
  ) {
    this.logPath = join(dirname(path), INDEX_LOG_FILE);
    // Compact JSON: with 10,000 traces indentation would add a third to the size and parse time.
    const adapter = new AtomicJsonFile<IndexDocument>(path, (d) => this.encode(d));
    this.db = new Low<IndexDocument>(adapter, { version: INDEX_FORMAT_VERSION, traces: [] });
  }

  /** Reads index.json. A broken file is copied to `index.json.corrupt-<time>` and reported as
   *  corrupt; a file from a newer format version throws UnsupportedStoreVersionError. */
  async load(): Promise<IndexLoadResult> {
    const result = await this.loadSnapshot();
    if (result.status !== 'ok') {
      // The caller rebuilds the index from the documents: a log over no snapshot is not applied.
      this.logOffset = await this.logSize();
      return result;
    }
    this.snapshotCount = result.summaries.length;
    const log = await this.readLog(0);
    this.logEntries = log.entries;
    if (!log.entries) return result;
    const byId = new Map(result.summaries.map((s) => [s.id, s]));
    for (const s of log.delta.upserts) byId.set(s.id, s);
    for (const id of log.delta.removed) byId.delete(id);
    return { status: 'ok', summaries: [...byId.values()] };
  }

  /** True when the log is long enough that the next write should be a fresh snapshot. */
  get wantsCompaction(): boolean {
    return this.logEntries >= Math.max(COMPACT_MIN, this.snapshotCount / 4);
  }

  /** Entries in index.log over the snapshot (for tests and the bench). */
  get logLength(): number {
    return this.logEntries;
  }

  /** Whether another process wrote the index since this one last read or wrote it: index.json is
   *  not the snapshot this process knows, or index.log is not as long as what it applied. A stat of
   *  each; without the folder lock only a hint (`catchUp` decides under the lock). */
  async outOfDate(): Promise<boolean> {
    return (await this.diskState()) !== 'current';
  }

  /** Takes in what other processes wrote since this one last looked (called under the folder
   *  lock): nothing, their new log lines, or — after a new snapshot — the whole index again. */
  async catchUp(): Promise<IndexCatchUp> {
    const state = await this.diskState();
    if (state === 'current') return { kind: 'none' };
    if (state === 'replaced') return { kind: 'full', result: await this.load() };
    const log = await this.readLog(this.logOffset);
    this.logEntries += log.entries;
    return { kind: 'delta', delta: log.delta };
  }

  /** The files against what this process knows: unchanged, log lines appended, or a new snapshot
   *  (or a log shorter than what was applied, which only a new snapshot does). */
  private async diskState(): Promise<'current' | 'appended' | 'replaced'> {
    if ((await fingerprintOf(this.path)) !== this.snapshotKey) return 'replaced';
    const size = await this.logSize();
    if (size === this.logOffset) return 'current';
    return size < this.logOffset ? 'replaced' : 'appended';
  }

  /** Bytes in index.log (0 when there is none). */
  private async logSize(): Promise<number> {
    try {
      return (await stat(this.logPath)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return 0;
    }
  }

  private async readLog(from: number): Promise<{ delta: IndexDelta; entries: number }> {
    let text: string;
    try {
      const handle = await open(this.logPath, 'r');
      try {
        const { size } = await handle.stat();
        const buffer = Buffer.alloc(Math.max(0, size - from));
        if (buffer.length) await handle.read(buffer, 0, buffer.length, from);
        text = buffer.toString('utf-8');
        this.logOffset = from + buffer.length;
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.logOffset = 0;
      return { delta: { upserts: [], removed: [] }, entries: 0 };
    }
    return parseLog(text);
  }

  private async loadSnapshot(): Promise<IndexLoadResult> {
    // Taken before reading: a snapshot written in between shows as a change at the next catch-up.
    this.snapshotKey = await fingerprintOf(this.path);
    let text: string;
    try {
      text = await readFile(this.path, 'utf-8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
      return { status: 'corrupt', backupPath: await this.backup(), cause: err };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      return { status: 'corrupt', backupPath: await this.backup(), cause };
    }
    const doc = parsed as Partial<IndexDocument> | null;
    if (
      typeof doc === 'object' &&
      doc !== null &&
      typeof doc.version === 'number' &&
      doc.version > INDEX_FORMAT_VERSION
    ) {
      throw new UnsupportedStoreVersionError(this.path, doc.version);
    }
    if (
      typeof doc !== 'object' ||
      doc === null ||
      doc.version !== INDEX_FORMAT_VERSION ||
      !Array.isArray(doc.traces) ||
      !doc.traces.every(isTraceSummary)
    ) {
      return { status: 'corrupt', backupPath: await this.backup() };
    }
    return { status: 'ok', summaries: doc.traces };
  }

  /** Writes the changes made so far through the write queue: appended to index.log, or as a fresh
   *  snapshot when the log is long. Calls made while a save is still waiting in the queue share it,
   *  so a burst of ingests writes once or twice, not once each. The promise resolves when every
   *  change made before the call is on disk. */
  save(): Promise<void> {
    return this.schedule(false);
  }

  /** Writes a fresh snapshot of the whole index and empties the log (rebuilds, long logs). */
  compact(): Promise<void> {
    return this.schedule(true);
  }

  private schedule(full: boolean): Promise<void> {
    if (full) this.fullWanted = true;
    const inline = this.queue.inTask;
    // From inside a task, a save still waiting in the queue would wait for this very task.
    if (this.scheduled && !inline) return this.scheduled.promise;
    const ticket: { promise?: Promise<void> } = {};
    // A blind write: it may share a batch task with document writes queued right before it.
    ticket.promise = this.queue.write(this.path, async () => {
      // From here on, new changes need a new save: the snapshot below may miss them.
      if (this.scheduled === ticket) this.scheduled = undefined;
      const snapshot = this.fullWanted || this.wantsCompaction;
      this.fullWanted = false;
      if (snapshot) await this.writeSnapshot();
      else await this.append();
    });
    // An inline run (called from inside a queue task) has already started; nothing to share.
    if (!inline) this.scheduled = ticket as { promise: Promise<void> };
    void ticket.promise.catch(() => {
      if (this.scheduled === ticket) this.scheduled = undefined;
    });
    return ticket.promise;
  }

  private async writeSnapshot(): Promise<void> {
    const delta = this.source.takeUnsaved();
    try {
      const traces = this.source.all();
      this.db.data = { version: INDEX_FORMAT_VERSION, traces };
      await this.db.write();
      this.snapshotCount = traces.length;
      this.snapshotKey = await fingerprintOf(this.path);
      // The snapshot holds every logged change: a crash before this truncation only replays them.
      await writeFile(this.logPath, '', { mode: STORE_FILE_MODE });
      this.logOffset = 0;
      this.logEntries = 0;
    } catch (err) {
      this.source.markUnsaved([...delta.upserts.map((s) => s.id), ...delta.removed]);
      throw err;
    }
  }

  private async append(): Promise<void> {
    const delta = this.source.takeUnsaved();
    const lines = [
      ...delta.upserts.map((s) => `{"u":${this.encodeSummary(s)}}`),
      ...delta.removed.map((id) => JSON.stringify({ d: id })),
    ];
    if (!lines.length) return;
    // Each line starts with a newline, so one cut short by a crash never swallows the next.
    const text = lines.map((l) => `\n${l}`).join('');
    try {
      await appendFile(this.logPath, text, { mode: STORE_FILE_MODE });
    } catch (err) {
      this.source.markUnsaved([...delta.upserts.map((s) => s.id), ...delta.removed]);
      throw err;
    }
    this.logOffset += Buffer.byteLength(text);
    this.logEntries += lines.length;
  }

  private encodeSummary(summary: TraceSummary): string {
    let text = this.encoded.get(summary);
    if (text === undefined) this.encoded.set(summary, (text = JSON.stringify(summary)));
    return text;
  }

  /** Exactly JSON.stringify(doc), reusing each summary's text from earlier saves. */
  private encode(doc: IndexDocument): string {
    const parts = doc.traces.map((summary) => this.encodeSummary(summary));
    return `{"version":${JSON.stringify(doc.version)},"traces":[${parts.join(',')}]}`;
  }

  /** Resolves when no save is waiting in the queue (used by close). */
  async settled(): Promise<void> {
    await this.scheduled?.promise.catch(() => undefined);
  }

  private async backup(): Promise<string | undefined> {
    const backupPath = `${this.path}.corrupt-${Date.now()}`;
    try {
      await copyFile(this.path, backupPath);
      return backupPath;
    } catch {
      return undefined;
    }
  }
}
