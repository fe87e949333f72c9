// How long a platform's cached list page is served: a TTL in seconds (the session's, or a call's own
// — the CLI's --list-ttl), and whether a page fetched at some time is still younger than it, by the
// injected clock. Traces, once read, are not subject to it (they stay until refreshed).
import { DEFAULT_LIST_TTL_SECONDS } from './platform';

/** A TTL in seconds: a finite number >= 0 (anything else is a programming error, said at once). */
export function listTtlSeconds(value: number | undefined): number {
  const ttl = value ?? DEFAULT_LIST_TTL_SECONDS;
  if (!Number.isFinite(ttl) || ttl < 0)
    throw new RangeError(`listTtlSeconds must be a number of seconds >= 0, got ${ttl}.`);
  return ttl;
}

/** Fetched less than `ttl` seconds before `now` (a time ahead of the clock is not fresh). */
export function isFreshPage(fetchedAt: string, ttl: number, now: Date): boolean {
  const age = now.getTime() - Date.parse(fetchedAt);
  return age >= 0 && age < ttl * 1000;
}
