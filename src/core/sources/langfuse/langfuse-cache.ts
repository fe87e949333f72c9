// What was read from Langfuse, kept in the store's `langfuse-cache` collection (or in memory when
// there is no store): a trace read once is served from here until refreshed explicitly, a list page
// until it is older than the source's list TTL (its `fetchedAt`), so browsing does not spend the
// project's small API rate limit twice and new traces still appear.
import { createHash } from 'node:crypto';
import type { SourcePage } from '../trace-source';
import type { JsonDocumentCollection } from '../../store/document-collection';
import type { TraceStore } from '../../store/trace-store';
import type { ObservationV2 } from './langfuse-api-types';
import type { LangfuseConnection } from './langfuse-config';

export const LANGFUSE_CACHE_COLLECTION = 'langfuse-cache';

export type LangfuseCacheEntry =
  | { kind: 'trace'; baseUrl: string; traceId: string; fetchedAt: string; observations: ObservationV2[] }
  | { kind: 'page'; baseUrl: string; query: string; fetchedAt: string; page: SourcePage };

export interface LangfuseCache {
  get(key: string): Promise<LangfuseCacheEntry | undefined>;
  put(key: string, entry: LangfuseCacheEntry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops every cached list page of this connection (traces stay). */
  clearPages(baseUrl: string): Promise<void>;
}

/** Document ids are file names; Langfuse ids are arbitrary strings, so keys are hashed. The public
 *  key is part of the hash (two projects on one server must not share entries); no secret is. */
export function cacheKey(connection: LangfuseConnection, kind: 'trace' | 'page', what: string): string {
  const hash = createHash('sha256').update(`${connection.baseUrl}\n${connection.publicKey}\n${kind}\n${what}`).digest('hex').slice(0, 40);
  return `${kind}-${hash}`;
}

function isEntry(value: unknown): value is LangfuseCacheEntry {
  return typeof value === 'object' && value !== null && ((value as { kind?: unknown }).kind === 'trace' || (value as { kind?: unknown }).kind === 'page');
}

class StoreCache implements LangfuseCache {
  constructor(private readonly docs: JsonDocumentCollection<LangfuseCacheEntry>) {}
  get(key: string): Promise<LangfuseCacheEntry | undefined> {
    return this.docs.get(key);
  }
  put(key: string, entry: LangfuseCacheEntry): Promise<void> {
    return this.docs.put(key, entry);
  }
  async delete(key: string): Promise<void> {
    await this.docs.delete(key);
  }
  async clearPages(baseUrl: string): Promise<void> {
    const ids = (await this.docs.listIds()).filter((id) => id.startsWith('page-'));
    const { found } = await this.docs.getMany(ids);
    for (const [id, entry] of found) if (entry.baseUrl === baseUrl) await this.docs.delete(id);
  }
}

export class MemoryLangfuseCache implements LangfuseCache {
  private readonly entries = new Map<string, LangfuseCacheEntry>();
  async get(key: string): Promise<LangfuseCacheEntry | undefined> {
    return this.entries.get(key);
  }
  async put(key: string, entry: LangfuseCacheEntry): Promise<void> {
    this.entries.set(key, entry);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async clearPages(baseUrl: string): Promise<void> {
    for (const [key, entry] of this.entries) if (entry.kind === 'page' && entry.baseUrl === baseUrl) this.entries.delete(key);
  }
}

export async function storeLangfuseCache(store: TraceStore): Promise<LangfuseCache> {
  return new StoreCache(await store.collection<LangfuseCacheEntry>(LANGFUSE_CACHE_COLLECTION, { validate: isEntry }));
}
