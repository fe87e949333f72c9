// What was read from Langfuse, kept in the store's `langfuse-cache` collection (or in memory when
// there is no store): a trace read once is served from here until refreshed explicitly, a list page
// until it is older than the source's list TTL (its `fetchedAt`), so browsing does not spend the
// project's small API rate limit twice and new traces still appear.
import type { SourcePage } from '../trace-source';
import { MemoryReadCache, readCacheKey, storeReadCache, type ReadCache } from '../read-cache';
import type { TraceStore } from '../../store/trace-store';
import type { ObservationV2 } from './langfuse-api-types';
import type { LangfuseConnection } from './langfuse-config';

export const LANGFUSE_CACHE_COLLECTION = 'langfuse-cache';

export type LangfuseCacheEntry =
  | { kind: 'trace'; baseUrl: string; traceId: string; fetchedAt: string; observations: ObservationV2[] }
  | { kind: 'page'; baseUrl: string; query: string; fetchedAt: string; page: SourcePage };

export type LangfuseCache = ReadCache<LangfuseCacheEntry>;

/** The public key is part of the key's scope (two projects on one server must not share entries);
 *  no secret is. */
export function cacheKey(connection: LangfuseConnection, kind: 'trace' | 'page', what: string): string {
  return readCacheKey([connection.baseUrl, connection.publicKey], kind, what);
}

export class MemoryLangfuseCache extends MemoryReadCache<LangfuseCacheEntry> {}

export function storeLangfuseCache(store: TraceStore): Promise<LangfuseCache> {
  return storeReadCache<LangfuseCacheEntry>(store, LANGFUSE_CACHE_COLLECTION);
}
