// One provider rate limit shared by every worker of a queue: `--rate-limit openai=60/min` on each
// worker, and together they send at most 60 requests a minute to openai. The count lives in Redis (a
// sliding window per provider: a sorted set of the request times of the last window, checked and
// added to in one Lua script, so two workers cannot both take the last slot). A worker that finds the
// window full waits until its oldest request leaves it. The slot is taken in the SDKs' fetch, just
// before each HTTP attempt goes out (an SDK retry takes one too), not when the call starts: a cold
// worker's first call spends a few hundred ms building its client, and a slot taken before that
// would let requests bunch up at the provider. 429 answers still back off as the provider layer does
// (retry-after), on top of this.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Redis } from 'ioredis';
import type { LlmGateway } from '../llm/llm-types';
import { UserError } from '../util/user-error';

export interface RateLimit {
  provider: string;
  requests: number;
  windowMs: number;
  /** As written: `openai=60/min`. */
  text: string;
}

export class RateLimitSpecError extends UserError {
  readonly code = 'RATE_LIMIT_INVALID';
  override readonly kind = 'usage';
  constructor(text: string) {
    super(`--rate-limit takes provider=N/unit (unit s, min or h), e.g. openai=60/min; got "${text}".`);
    this.name = 'RateLimitSpecError';
  }
}

/** A limit for a provider this worker does not have: it would limit nothing. */
export class RateLimitProviderError extends UserError {
  readonly code = 'RATE_LIMIT_UNKNOWN_PROVIDER';
  override readonly kind = 'usage';
  constructor(limit: RateLimit, configured: string[]) {
    super(
      `--rate-limit ${limit.text} names provider "${limit.provider}", which is not configured on this worker (configured: ${configured.join(', ') || 'none'}); name one of those.`,
    );
    this.name = 'RateLimitProviderError';
  }
}

const UNITS: Record<string, number> = { s: 1000, sec: 1000, min: 60_000, m: 60_000, h: 3_600_000 };

export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*([a-z0-9][a-z0-9._-]*)\s*=\s*(\d+)\s*\/\s*([a-z]+)\s*$/i.exec(text);
  const windowMs = m ? UNITS[m[3].toLowerCase()] : undefined;
  if (!m || windowMs === undefined || Number(m[2]) < 1) throw new RateLimitSpecError(text);
  return { provider: m[1].toLowerCase(), requests: Number(m[2]), windowMs, text: text.trim() };
}

// KEYS[1] the window's sorted set; ARGV: limit, window ms, a unique member. Uses the server's clock,
// so workers on machines with different clocks share one window. Returns 0 when a slot was taken,
// else the milliseconds until the oldest request leaves the window.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export function rateLimitKey(queueName: string, provider: string): string {
  return `trace-replay:${queueName}:rate:${provider}`;
}

let sequence = 0;

/** Waits for a slot of `limit` in the shared window; resolves at once when there is one. */
export async function acquireSlot(
  redis: Redis,
  queueName: string,
  limit: RateLimit,
  signal?: AbortSignal,
): Promise<void> {
  const member = `${process.pid}:${Date.now()}:${++sequence}:${Math.random()}`;
  for (;;) {
    signal?.throwIfAborted();
    const waitMs = Number(
      await redis.eval(ACQUIRE, 1, rateLimitKey(queueName, limit.provider), limit.requests, limit.windowMs, member),
    );
    if (waitMs <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, waitMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }
}

/** The two halves of a worker's shared limits: the gateway says which provider a call is for, and
 *  the fetch the SDKs send with waits for that provider's slot before each HTTP attempt. */
export interface SharedRateLimiter {
  decorateGateway(gateway: LlmGateway): LlmGateway;
  /** For LlmGatewayOptions.fetch (it calls `baseFetch`). */
  fetch: typeof fetch;
}

export function sharedRateLimiter(
  redis: Redis,
  queueName: string,
  limits: readonly RateLimit[],
  baseFetch: typeof fetch = fetch,
): SharedRateLimiter {
  const byProvider = new Map(limits.map((l) => [l.provider, l]));
  // The limit of the call in progress rides the async context into the SDK's fetch.
  const current = new AsyncLocalStorage<RateLimit>();
  return {
    decorateGateway: (gateway) =>
      limits.length === 0
        ? gateway
        : {
            build: (call, target) => gateway.build(call, target),
            execute: (request, target, options) => {
              const limit = byProvider.get(target.provider);
              return limit
                ? current.run(limit, () => gateway.execute(request, target, options))
                : gateway.execute(request, target, options);
            },
          },
    fetch: async (input, init) => {
      const limit = current.getStore();
      if (limit) {
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        await acquireSlot(redis, queueName, limit, signal);
      }
      return baseFetch(input, init);
    },
  };
}
