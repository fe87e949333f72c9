// The progress listeners of a replay queue (the local one and a Redis queue's submitter): each gets
// its own snapshot of the job, and a listener that throws never breaks a job.
import type { ReplayEvent } from './replay-types';

export class ReplayEventListeners {
  private readonly listeners = new Set<(event: ReplayEvent) => void>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: (event: ReplayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ReplayEvent): void {
    if (this.listeners.size === 0) return;
    const e = { ...event, job: structuredClone(event.job) } as ReplayEvent;
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch {
        // A failing progress listener must not break the job.
      }
    }
  }
}
