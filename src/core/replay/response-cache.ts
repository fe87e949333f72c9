// Replay response cache, kept in the store folder (collection `cache`), keyed by the exact request:
// sha256 of provider + api + the body the SDK sends (base URL and key are not part of it, so a
// cache survives moving a proxy; a different model, message or parameter is a different key).
import { createHash } from 'node:crypto';
import type { BuiltRequest, LlmExecution } from '../llm/llm-types';
import type { JsonDocumentCollection } from '../store/document-collection';
import type { TraceStore } from '../store/trace-store';
import { canonicalJson } from '../util/canonical-json';

export const CACHE_COLLECTION = 'cache';

export interface CachedResponse {
  key: string;
  provider: string;
  api: string;
  createdAt: string;
  execution: LlmExecution;
}

export function cacheKey(request: Pick<BuiltRequest, 'provider' | 'api' | 'body'>): string {
  return createHash('sha256')
    .update(canonicalJson({ provider: request.provider, api: request.api, body: request.body }))
    .digest('hex');
}

function isCachedResponse(value: unknown): value is CachedResponse {
  const v = value as CachedResponse | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.key === 'string' &&
    typeof v.execution === 'object' &&
    v.execution !== null
  );
}

export class ResponseCache {
  private constructor(private readonly docs: JsonDocumentCollection<CachedResponse>) {}

  static async open(store: TraceStore): Promise<ResponseCache> {
    return new ResponseCache(await store.collection<CachedResponse>(CACHE_COLLECTION, { validate: isCachedResponse }));
  }

  /** A broken cache document is a miss, never a failed replay. */
  async get(request: BuiltRequest): Promise<LlmExecution | undefined> {
    try {
      return (await this.docs.get(cacheKey(request)))?.execution;
    } catch {
      return undefined;
    }
  }

  async put(request: BuiltRequest, execution: LlmExecution): Promise<void> {
    const key = cacheKey(request);
    await this.docs.put(key, {
      key,
      provider: request.provider,
      api: request.api,
      createdAt: new Date().toISOString(),
      execution,
    });
  }
}
