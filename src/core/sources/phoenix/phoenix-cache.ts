// What was read from Phoenix, kept in the store's `phoenix-cache` collection (or in memory when
// there is no store): a trace's spans until refreshed explicitly, a list page until it is older
// than the list TTL (its `fetchedAt`), so browsing asks Phoenix once and new traces still appear.
import type { TraceStore } from '../../store/trace-store';
import { MemoryReadCache, readCacheKey, storeReadCache, type ReadCache } from '../read-cache';
import type { SourcePage } from '../trace-source';
import type { PhoenixSpan } from './phoenix-api-types';
import type { PhoenixConnection } from './phoenix-config';

export const PHOENIX_CACHE_COLLECTION = 'phoenix-cache';

export type PhoenixCacheEntry =
  | { kind: 'trace'; baseUrl: string; project: string; traceId: string; fetchedAt: string; spans: PhoenixSpan[] }
  | { kind: 'page'; baseUrl: string; project: string; query: string; fetchedAt: string; page: SourcePage };

export type PhoenixCache = ReadCache<PhoenixCacheEntry>;

/** Server and project scope the key (two projects must not share entries); the API key does not. */
export function phoenixCacheKey(connection: PhoenixConnection, kind: 'trace' | 'page', what: string): string {
  return readCacheKey([connection.baseUrl, connection.project], kind, what);
}

export class MemoryPhoenixCache extends MemoryReadCache<PhoenixCacheEntry> {}

export function storePhoenixCache(store: TraceStore): Promise<PhoenixCache> {
  return storeReadCache<PhoenixCacheEntry>(store, PHOENIX_CACHE_COLLECTION);
}
