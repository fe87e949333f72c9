// Who runs a replay job. Every ReplayQueue holds a lease in the store (collection `replay-owners`):
// its owner id, host, pid and a heartbeat refreshed while it is open. A job carries the id of the
// queue that runs it. A job whose owner is gone (its process died: same host and no such pid, or
// no heartbeat for LEASE_TTL_MS) is interrupted and may be resumed by any queue; a job of a live
// owner is never taken — so the extension and a CLI in a terminal never run the same job twice.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';

export const OWNERS_COLLECTION = 'replay-owners';
/** How often an open queue refreshes its lease. */
export const HEARTBEAT_MS = 5_000;
/** A lease not refreshed for this long belongs to a dead (or frozen) process on another host. */
export const LEASE_TTL_MS = 30_000;

export interface OwnerLease {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
}

function isOwnerLease(v: unknown): v is OwnerLease {
  const l = v as OwnerLease | null;
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.id === 'string' &&
    typeof l.host === 'string' &&
    typeof l.pid === 'number' &&
    typeof l.heartbeatAt === 'number'
  );
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by another user). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class QueueOwner {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  private constructor(
    readonly lease: OwnerLease,
    private readonly owners: JsonDocumentCollection<OwnerLease>,
  ) {}

  get id(): string {
    return this.lease.id;
  }

  /** Writes this queue's lease and keeps it fresh until `release`. */
  static async acquire(store: TraceStore): Promise<QueueOwner> {
    const owners = await store.collection<OwnerLease>(OWNERS_COLLECTION, { validate: isOwnerLease });
    const now = Date.now();
    const lease: OwnerLease = {
      id: `q-${process.pid}-${randomBytes(4).toString('hex')}`,
      host: os.hostname(),
      pid: process.pid,
      startedAt: now,
      heartbeatAt: now,
    };
    await owners.put(lease.id, lease);
    const owner = new QueueOwner(lease, owners);
    owner.timer = setInterval(() => owner.beat(), HEARTBEAT_MS);
    // The heartbeat alone must not keep a CLI process alive.
    owner.timer.unref();
    return owner;
  }

  /** Whether the owner `id` is alive: this queue, or a lease whose process still runs. Jobs without
   *  an owner (written before leases existed) count as interrupted. */
  async isAlive(id: string | undefined, now = Date.now()): Promise<boolean> {
    if (id === undefined) return false;
    if (id === this.id) return true;
    let lease: OwnerLease | undefined;
    try {
      lease = await this.owners.get(id);
    } catch {
      return false; // an unreadable lease cannot prove its owner alive
    }
    if (!lease) return false;
    if (now - lease.heartbeatAt > LEASE_TTL_MS) return false;
    return lease.host !== os.hostname() || pidAlive(lease.pid);
  }

  /** Stops the heartbeat and removes the lease (a clean exit leaves no owner behind). */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.owners.delete(this.id).catch(() => false);
  }

  private beat(): void {
    this.lease.heartbeatAt = Date.now();
    // A failed heartbeat is retried by the next one; the lease only ages.
    this.beating = this.owners.put(this.id, { ...this.lease }).catch(() => undefined);
  }
}
