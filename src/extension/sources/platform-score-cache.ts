// The scores a trace platform (Langfuse, Phoenix) attached to a replay's original and written-back traces,
// as the comparison panel shows them: read only when asked (a panel opens, its Refresh), kept in
// memory per replay until the next read, one read at a time per replay. A failed read keeps the
// scores of the last good one and says why in one sentence. No `vscode` import: unit-tested in Node.
import type { PlatformScore } from '../../core/eval/evaluation-types';
import type { PlatformScoresStatus } from '../../protocol';

/** Where a replay's original trace came from, when that is a platform with scores. */
export interface PlatformOrigin {
  /** The platform's id (absent in tests that need no platform). */
  platform?: string;
  /** The connection the scores are read through. */
  connection: string;
  /** As people know it: "Langfuse prod (cloud.langfuse.com)". */
  label: string;
}

export interface PlatformScoreDeps {
  /** Undefined: the replay's original is a local trace (or gone), so there is nothing to read. */
  originOf(jobId: string): Promise<PlatformOrigin | undefined>;
  /** Reads the scores of both sides now. */
  fetch(jobId: string, origin: PlatformOrigin): Promise<PlatformScore[]>;
  /** One sentence for a failed read (the caller logs what it does not expect). */
  describeError(err: unknown, jobId: string): string;
  /** A read ended (scores or an error to show). */
  onDidRead?(jobId: string): void;
  now?(): Date;
}

export interface PlatformScoreView {
  scores: PlatformScore[];
  status: PlatformScoresStatus;
}

interface Entry {
  origin: PlatformOrigin;
  scores: PlatformScore[];
  readAt?: string;
  error?: string;
  reading?: Promise<void>;
}

export class PlatformScoreCache {
  private readonly entries = new Map<string, Entry>();
  /** Origins are looked up once per replay (a trace's origin does not change); null: none. */
  private readonly origins = new Map<string, Promise<PlatformOrigin | null>>();

  constructor(private readonly deps: PlatformScoreDeps) {}

  private origin(jobId: string): Promise<PlatformOrigin | null> {
    let found = this.origins.get(jobId);
    if (!found) {
      found = this.deps.originOf(jobId).then((o) => o ?? null);
      this.origins.set(jobId, found);
      // A failed lookup (store closing) is asked again next time.
      void found.catch(() => this.origins.get(jobId) === found && this.origins.delete(jobId));
    }
    return found;
  }

  /** What to show now; undefined for a replay of a local trace. */
  async view(jobId: string): Promise<PlatformScoreView | undefined> {
    const origin = await this.origin(jobId);
    if (!origin) return undefined;
    const e = this.entries.get(jobId);
    if (!e) return { scores: [], status: { platform: origin.label, state: 'unread' } };
    const status: PlatformScoresStatus = {
      platform: e.origin.label,
      state: e.reading ? 'reading' : e.error !== undefined ? 'failed' : 'read',
    };
    if (e.readAt) status.readAt = e.readAt;
    if (e.error !== undefined && !e.reading) status.error = e.error;
    return { scores: e.scores, status };
  }

  /** Starts a read (or joins the one in flight) and resolves once it is marked as reading — not
   *  when it ends: `done` does. Undefined for a replay of a local trace, or with `ifUnread` when
   *  the replay's scores were read (or tried) before. */
  async start(jobId: string, options: { ifUnread?: boolean } = {}): Promise<{ done: Promise<void> } | undefined> {
    const origin = await this.origin(jobId);
    if (!origin) return undefined;
    const known = this.entries.get(jobId);
    if (known?.reading) return { done: known.reading };
    if (known && options.ifUnread) return undefined;
    const entry: Entry = known ?? { origin, scores: [] };
    this.entries.set(jobId, entry);
    const reading = this.read(jobId, entry);
    entry.reading = reading;
    return { done: reading };
  }

  private async read(jobId: string, entry: Entry): Promise<void> {
    // Let start() mark the entry as reading before anything can end it.
    await Promise.resolve();
    try {
      entry.scores = await this.deps.fetch(jobId, entry.origin);
      entry.readAt = (this.deps.now?.() ?? new Date()).toISOString();
      entry.error = undefined;
    } catch (err) {
      entry.error = this.deps.describeError(err, jobId);
    } finally {
      entry.reading = undefined;
      this.deps.onDidRead?.(jobId);
    }
  }

  /** Forgets everything (another store: other replays). */
  clear(): void {
    this.entries.clear();
    this.origins.clear();
  }
}
