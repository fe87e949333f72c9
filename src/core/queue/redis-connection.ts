// The Redis a replay queue lives on: its URL checked before anything is queued (redis:// or
// rediss://, host, port, optional database), the connection options BullMQ needs, a reachability
// check that fails in one sentence naming the URL (password never shown), and the queue's name.
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { redactSecrets } from '../util/redact-secrets';
import { errorMessage } from '../util/error-message';
import { UserError } from '../util/user-error';

export const DEFAULT_QUEUE_NAME = 'trace-replay';
export const REDIS_URL_ENV = 'TRACE_REPLAY_REDIS_URL';

export class RedisUrlError extends UserError {
  readonly code = 'REDIS_URL_INVALID';
  override readonly kind = 'usage';
  constructor(url: string, why: string) {
    super(
      `The Redis URL ${redactSecrets(url)} is not usable (${why}); write it as redis://[user:password@]host[:port][/db] or rediss://... for TLS.`,
    );
    this.name = 'RedisUrlError';
  }
}

export class RedisUnavailableError extends UserError {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(url: string, cause: string) {
    super(
      `Cannot reach Redis at ${redactSecrets(url)} (${redactSecrets(cause)}); start it, or point --queue / ${REDIS_URL_ENV} at a running one.`,
    );
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisTarget {
  /** As given (may hold a password: show only redacted). */
  url: string;
  options: RedisOptions;
}

/** Parses and checks a Redis URL; throws RedisUrlError in one sentence. */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(url, 'not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new RedisUrlError(url, `the scheme is ${parsed.protocol.replace(/:$/, '')}, not redis or rediss`);
  if (!parsed.hostname) throw new RedisUrlError(url, 'no host');
  const port = parsed.port ? Number(parsed.port) : 6379;
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new RedisUrlError(url, `the database "${dbText}" is not a number`);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    // BullMQ's workers block on Redis: they need maxRetriesPerRequest null.
    maxRetriesPerRequest: null,
    ...(dbText !== '' ? { db: Number(dbText) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { url, options };
}

/** The target as BullMQ's `connection` (ioredis options; BullMQ's own type is narrower in places). */
export function bullmqConnection(target: RedisTarget): ConnectionOptions {
  return target.options as ConnectionOptions;
}

/** Connects once (no retries) and pings; throws RedisUnavailableError naming the URL. */
export async function checkRedis(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...target.options,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // reported through connect() below
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new RedisUnavailableError(target.url, errorMessage(err) || 'no answer');
  } finally {
    client.disconnect();
  }
}
