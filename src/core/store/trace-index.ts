// In-memory index of trace summaries, kept sorted newest first (startTime descending, id as the
// tie-break so the order is stable across runs). Listing and counting run here, never on disk.
import type { TraceSummary } from '../model/trace';
import { compileTraceFilter, type TraceFilter } from './trace-filter';

/** Index changes as one write appends them to index.log. */
export interface IndexDelta {
  upserts: TraceSummary[];
  removed: string[];
}

export interface ListOptions {
  offset?: number;
  limit?: number;
  filter?: TraceFilter;
}

// A trace with no spans has no start time; sort it as the epoch rather than break the order with NaN.
function startOf(s: TraceSummary): number {
  return Number.isFinite(s.startTime) ? s.startTime : 0;
}

function before(a: TraceSummary, b: TraceSummary): boolean {
  const ta = startOf(a);
  const tb = startOf(b);
  if (ta !== tb) return ta > tb;
  return a.id < b.id;
}

export class TraceIndex {
  private readonly byId = new Map<string, TraceSummary>();
  private sorted: TraceSummary[] = [];
  /** Ids changed (upserted or removed) since the last `markSaved`: what this process knows and
   *  index.json may not have yet, kept when another process's index.json is loaded over ours. */
  private readonly unsaved = new Set<string>();

  constructor(summaries: Iterable<TraceSummary> = []) {
    this.replaceAll(summaries);
  }

  get size(): number {
    return this.sorted.length;
  }

  get(id: string): TraceSummary | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** All summaries, newest first. The array is a copy; the summaries are shared, do not mutate them. */
  all(): TraceSummary[] {
    return [...this.sorted];
  }

  replaceAll(summaries: Iterable<TraceSummary>): void {
    this.byId.clear();
    for (const s of summaries) this.byId.set(s.id, s);
    this.sorted = [...this.byId.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** The changes not saved yet (current summaries of upserted ids, ids removed), forgotten here:
   *  the caller writes them, or gives them back with `markUnsaved` when the write fails. */
  takeUnsaved(): IndexDelta {
    const upserts: TraceSummary[] = [];
    const removed: string[] = [];
    for (const id of this.unsaved) {
      const s = this.byId.get(id);
      if (s) upserts.push(s);
      else removed.push(id);
    }
    this.unsaved.clear();
    return { upserts, removed };
  }

  markUnsaved(ids: Iterable<string>): void {
    for (const id of ids) this.unsaved.add(id);
  }

  /** Changes another process wrote (its index.log lines), except for ids this process changed and
   *  has not saved (they win, as in `reloadFrom`). Returns what changed here. */
  applyExternal(delta: IndexDelta): { changed: string[]; removed: string[] } {
    const changed: string[] = [];
    const removed: string[] = [];
    for (const s of delta.upserts) {
      if (this.unsaved.has(s.id)) continue;
      const before = this.byId.get(s.id);
      this.upsertSaved(s);
      if (before?.updatedAt !== s.updatedAt) changed.push(s.id);
    }
    for (const id of delta.removed) {
      if (this.unsaved.has(id)) continue;
      if (this.removeSaved(id)) removed.push(id);
    }
    return { changed, removed };
  }

  private upsertSaved(summary: TraceSummary): void {
    this.upsert(summary);
    this.unsaved.delete(summary.id);
  }

  private removeSaved(id: string): boolean {
    const had = this.remove(id);
    this.unsaved.delete(id);
    return had;
  }

  /** Takes index.json as another process wrote it, keeping this process's changes that are not saved
   *  yet (they win: their trace documents were written after that file was read). Returns the ids
   *  whose summary changed (added or updated) and those that are gone. */
  reloadFrom(disk: readonly TraceSummary[]): { changed: string[]; removed: string[] } {
    const before = new Map(this.byId);
    const mine = [...this.unsaved].map((id) => [id, this.byId.get(id)] as const);
    const theirs = disk.filter((s) => !this.unsaved.has(s.id));
    this.replaceAll(theirs);
    for (const [id, summary] of mine) {
      if (summary) this.upsert(summary);
      else this.unsaved.add(id);
    }
    const changed: string[] = [];
    for (const [id, summary] of this.byId)
      if (before.get(id) !== summary && before.get(id)?.updatedAt !== summary.updatedAt) changed.push(id);
    const removed = [...before.keys()].filter((id) => !this.byId.has(id));
    return { changed, removed };
  }

  upsert(summary: TraceSummary): void {
    this.remove(summary.id);
    this.unsaved.add(summary.id);
    this.byId.set(summary.id, summary);
    this.sorted.splice(this.insertionPoint(summary), 0, summary);
  }

  remove(id: string): boolean {
    const existing = this.byId.get(id);
    if (!existing) return false;
    this.unsaved.add(id);
    this.byId.delete(id);
    // Binary search lands on the first entry not before `existing`; equal keys are unique by id.
    const at = this.insertionPoint(existing);
    if (this.sorted[at]?.id === id) this.sorted.splice(at, 1);
    else this.sorted = this.sorted.filter((s) => s.id !== id);
    return true;
  }

  list(options: ListOptions = {}): TraceSummary[] {
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
    const match = compileTraceFilter(options.filter);
    if (!match) return this.sorted.slice(offset, offset + limit);
    const out: TraceSummary[] = [];
    let skipped = 0;
    for (const s of this.sorted) {
      if (out.length >= limit) break;
      if (!match(s)) continue;
      if (skipped < offset) skipped++;
      else out.push(s);
    }
    return out;
  }

  count(filter?: TraceFilter): number {
    const match = compileTraceFilter(filter);
    if (!match) return this.sorted.length;
    let n = 0;
    for (const s of this.sorted) if (match(s)) n++;
    return n;
  }

  private insertionPoint(summary: TraceSummary): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.sorted[mid], summary)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
