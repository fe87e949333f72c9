// What was read from Phoenix, kept in the store's `phoenix-cache` collection (or in memory when
// there is no store): a trace's spans until refreshed explicitly, a list page until it is older
// than the list TTL (its `fetchedAt`), so browsing asks Phoenix once and new traces still appear.
import { createHash } from 'node:crypto';
import type { JsonDocumentCollection } from '../../store/document-collection';
import type { TraceStore } from '../../store/trace-store';
import type { SourcePage } from '../trace-source';
import type { PhoenixSpan } from './phoenix-api-types';
import type { PhoenixConnection } from './phoenix-config';

export const PHOENIX_CACHE_COLLECTION = 'phoenix-cache';

export type PhoenixCacheEntry =
  | { kind: 'trace'; baseUrl: string; project: string; traceId: string; fetchedAt: string; spans: PhoenixSpan[] }
  | { kind: 'page'; baseUrl: string; project: string; query: string; fetchedAt: string; page: SourcePage };

export interface PhoenixCache {
  get(key: string): Promise<PhoenixCacheEntry | undefined>;
  put(key: string, entry: PhoenixCacheEntry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops every cached list page of this server and project (traces stay). */
  clearPages(baseUrl: string, project: string): Promise<void>;
}

/** Document ids are file names; trace ids and queries are hashed. Server and project are part of
 *  the hash (two projects must not share entries); the API key is not. */
export function phoenixCacheKey(connection: PhoenixConnection, kind: 'trace' | 'page', what: string): string {
  const hash = createHash('sha256').update(`${connection.baseUrl}\n${connection.project}\n${kind}\n${what}`).digest('hex').slice(0, 40);
  return `${kind}-${hash}`;
}

function isEntry(value: unknown): value is PhoenixCacheEntry {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'trace' || kind === 'page');
}

class StoreCache implements PhoenixCache {
  constructor(private readonly docs: JsonDocumentCollection<PhoenixCacheEntry>) {}
  get(key: string): Promise<PhoenixCacheEntry | undefined> {
    return this.docs.get(key);
  }
  put(key: string, entry: PhoenixCacheEntry): Promise<void> {
    return this.docs.put(key, entry);
  }
  async delete(key: string): Promise<void> {
    await this.docs.delete(key);
  }
  async clearPages(baseUrl: string, project: string): Promise<void> {
    const ids = (await this.docs.listIds()).filter((id) => id.startsWith('page-'));
    const { found } = await this.docs.getMany(ids);
    for (const [id, entry] of found) if (entry.baseUrl === baseUrl && entry.project === project) await this.docs.delete(id);
  }
}

export class MemoryPhoenixCache implements PhoenixCache {
  private readonly entries = new Map<string, PhoenixCacheEntry>();
  async get(key: string): Promise<PhoenixCacheEntry | undefined> {
    return this.entries.get(key);
  }
  async put(key: string, entry: PhoenixCacheEntry): Promise<void> {
    this.entries.set(key, entry);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async clearPages(baseUrl: string, project: string): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.kind === 'page' && entry.baseUrl === baseUrl && entry.project === project) this.entries.delete(key);
  }
}

export async function storePhoenixCache(store: TraceStore): Promise<PhoenixCache> {
  return new StoreCache(await store.collection<PhoenixCacheEntry>(PHOENIX_CACHE_COLLECTION, { validate: isEntry }));
}
