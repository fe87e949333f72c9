// The replay history the extension shows: every job of the open store's queue, kept current from
// the queue's events (no polling) and re-read when the queue changes (another store, a deletion).
// Views and the status bar read it; it does not know how they show it.
import * as vscode from 'vscode';
import type { ReplayJob } from '../../core/replay/replay-types';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { ReplayHost } from '../replay/replay-host';

/** Queue events can come per span; one change per burst is enough for views. */
const COALESCE_MS = 100;

export class ReplaysModel extends Disposable {
  private jobs = new Map<string, ReplayJob>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Coalesced: fires at most once per ~100 ms. */
  readonly onDidChange = this.changed.event;
  private readonly counts = this.register(new vscode.EventEmitter<{ running: number; pending: number }>());
  /** Fires at once on every job status change (for the status bar). */
  readonly onDidChangeCounts = this.counts.event;

  constructor(
    private readonly host: ReplayHost,
    private readonly log: Log,
  ) {
    super();
    this.register(
      host.onDidEvent((e) => {
        const before = this.jobs.get(e.job.id)?.status;
        this.jobs.set(e.job.id, e.job);
        if (before !== e.job.status) this.counts.fire(this.activeCounts());
        this.schedule();
      }),
    );
    this.register(
      host.onDidReset(() => {
        this.loading = undefined;
        this.jobs = new Map();
        this.counts.fire(this.activeCounts());
        this.schedule(true);
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.timer)));
  }

  /** Newest first. Reads the history from the store on first use. */
  async list(): Promise<ReplayJob[]> {
    await this.load();
    return [...this.jobs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  get(jobId: string): ReplayJob | undefined {
    return this.jobs.get(jobId);
  }

  activeCounts(): { running: number; pending: number } {
    let running = 0;
    let pending = 0;
    for (const j of this.jobs.values()) {
      if (j.status === 'RUNNING') running++;
      else if (j.status === 'PENDING') pending++;
    }
    return { running, pending };
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const stored = await this.host.listJobs();
        // Events that arrived while reading are newer than the stored documents.
        const live = this.jobs;
        this.jobs = new Map(stored.map((j) => [j.id, j]));
        for (const [id, job] of live) this.jobs.set(id, job);
        this.counts.fire(this.activeCounts());
      } catch (err) {
        this.loading = undefined;
        this.log.error('reading the replay history failed', err);
        throw err;
      }
    })();
    return this.loading;
  }

  private schedule(immediate = false): void {
    if (immediate) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.changed.fire();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, COALESCE_MS);
  }
}
