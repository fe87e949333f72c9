// Client settings every adapter applies the same way when its config leaves them unset.

export const DEFAULT_MAX_RETRIES = 2;
/** The SDKs' own default (10 minutes), stated so it is visible in one place. */
export const DEFAULT_TIMEOUT_MS = 600_000;
