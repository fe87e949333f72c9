// The message of something thrown: an Error's message, anything else as text. One helper for the
// many places that show or log what went wrong.

export function errorMessage(err: unknown): string {
  // The one place this expression may be written (eslint.config.mjs forbids it elsewhere).
  // eslint-disable-next-line no-restricted-syntax
  return err instanceof Error ? err.message : String(err);
}
