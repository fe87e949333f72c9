// index.json: the TraceSummary of every trace, so the trace list opens without reading trace
// documents. It is derived data: when it is missing, unreadable or malformed the store rebuilds it
// from the trace documents, after keeping a copy of the broken file (user data is never deleted).
import { copyFile, readFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { TraceSummary } from '../model/trace';
import { UnsupportedStoreVersionError } from './store-errors';
import type { WriteQueue } from './write-queue';

export const INDEX_FORMAT_VERSION = 1;

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
  return Array.isArray(v) && v.every(x => typeof x === 'string');
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

  constructor(
    readonly path: string,
    private readonly queue: WriteQueue,
    private readonly snapshot: () => TraceSummary[],
  ) {
    // Compact JSON: with 10,000 traces indentation would add a third to the size and parse time.
    const adapter = new DataFile<IndexDocument>(path, { parse: JSON.parse, stringify: d => this.encode(d) });
    this.db = new Low<IndexDocument>(adapter, { version: INDEX_FORMAT_VERSION, traces: [] });
  }

  /** Reads index.json. A broken file is copied to `index.json.corrupt-<time>` and reported as
   *  corrupt; a file from a newer format version throws UnsupportedStoreVersionError. */
  async load(): Promise<IndexLoadResult> {
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
    if (typeof doc === 'object' && doc !== null && typeof doc.version === 'number' && doc.version > INDEX_FORMAT_VERSION) {
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

  /** Writes the current snapshot through the write queue. Calls made while a save is still waiting
   *  in the queue share it, so a burst of ingests writes index.json once or twice, not once each.
   *  The promise resolves when a snapshot taken after the call is on disk. */
  save(): Promise<void> {
    const inline = this.queue.inTask;
    // From inside a task, a save still waiting in the queue would wait for this very task.
    if (this.scheduled && !inline) return this.scheduled.promise;
    const ticket: { promise?: Promise<void> } = {};
    // A blind write: it may share a batch task with document writes queued right before it.
    ticket.promise = this.queue.write(this.path, async () => {
      // From here on, new changes need a new save: the snapshot below may miss them.
      if (this.scheduled === ticket) this.scheduled = undefined;
      this.db.data = { version: INDEX_FORMAT_VERSION, traces: this.snapshot() };
      await this.db.write();
    });
    // An inline run (called from inside a queue task) has already started; nothing to share.
    if (!inline) this.scheduled = ticket as { promise: Promise<void> };
    void ticket.promise.catch(() => {
      if (this.scheduled === ticket) this.scheduled = undefined;
    });
    return ticket.promise;
  }

  /** Exactly JSON.stringify(doc), reusing each summary's text from earlier saves. */
  private encode(doc: IndexDocument): string {
    const parts = doc.traces.map(summary => {
      let text = this.encoded.get(summary);
      if (text === undefined) this.encoded.set(summary, (text = JSON.stringify(summary)));
      return text;
    });
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
