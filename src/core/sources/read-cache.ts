// What a platform source read, kept so that browsing asks the platform once: a store collection
// (or memory, without a store) of entries under hashed keys — a trace until refreshed explicitly, a
// list page until it is older than the list TTL (list-ttl.ts). Each platform defines its entries
// and what scopes a key (Langfuse: server and public key; Phoenix: server and project).
import { createHash } from 'node:crypto';
import type { TraceStore } from '../store/trace-store';

export interface CachedRead {
  kind: 'trace' | 'page';
}

export interface ReadCache<E extends CachedRead> {
  get(key: string): Promise<E | undefined>;
  put(key: string, entry: E): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops the cached list pages `ofConnection` claims (traces stay). */
  clearPages(ofConnection: (entry: E) => boolean): Promise<void>;
}

/** Document ids are file names, while platform ids and queries are arbitrary text, so keys are
 *  hashed; `scope` (no secret in it) keeps two connections from sharing entries. */
export function readCacheKey(scope: readonly string[], kind: CachedRead['kind'], what: string): string {
  const hash = createHash('sha256')
    .update([...scope, kind, what].join('\n'))
    .digest('hex')
    .slice(0, 40);
  return `${kind}-${hash}`;
}

function isCachedRead(value: unknown): value is CachedRead {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'trace' || kind === 'page');
}

export class MemoryReadCache<E extends CachedRead> implements ReadCache<E> {
  private readonly entries = new Map<string, E>();
  async get(key: string): Promise<E | undefined> {
    return this.entries.get(key);
  }
  async put(key: string, entry: E): Promise<void> {
    this.entries.set(key, entry);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async clearPages(ofConnection: (entry: E) => boolean): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.kind === 'page' && ofConnection(entry)) this.entries.delete(key);
  }
}

/** The cache in the store's `collection`. */
export async function storeReadCache<E extends CachedRead>(
  store: TraceStore,
  collection: string,
): Promise<ReadCache<E>> {
  const docs = await store.collection<E>(collection, { validate: isCachedRead as (value: unknown) => value is E });
  return {
    get: (key) => docs.get(key),
    put: (key, entry) => docs.put(key, entry),
    delete: async (key) => {
      await docs.delete(key);
    },
    clearPages: async (ofConnection) => {
      const { found } = await docs.getMany((await docs.listIds()).filter((id) => id.startsWith('page-')));
      for (const [id, entry] of found) if (ofConnection(entry)) await docs.delete(id);
    },
  };
}
