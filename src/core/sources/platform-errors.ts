// The one error family of trace platforms (Langfuse, Arize Phoenix, ...). Every platform's errors
// extend PlatformError, so the CLI and the extension handle "the platform said no" in one place,
// whatever the platform: the message is one sentence naming the cause and the fix, and never
// contains a key (only base URLs, project names and request paths).

export type PlatformErrorCode =
  | 'config'
  | 'unauthorized'
  | 'forbidden'
  | 'bad-url'
  | 'rate-limited'
  | 'trace-gone'
  | 'prompt-not-found'
  | 'project-not-found'
  | 'unsupported'
  | 'http';

export abstract class PlatformError extends Error {
  abstract readonly code: PlatformErrorCode;
}

/** A setting or key is missing or malformed: a usage error (the CLI exits 2). */
export class PlatformConfigError extends PlatformError {
  readonly code = 'config';
  override name = 'PlatformConfigError';
}

/** The platform does not do what was asked (e.g. prompts on a platform without prompt management). */
export class PlatformCapabilityError extends PlatformError {
  readonly code = 'unsupported';
  override name = 'PlatformCapabilityError';
}

/** A usage mistake: configuration or a capability the platform lacks. */
export function isPlatformUsageError(err: unknown): boolean {
  return err instanceof PlatformError && (err.code === 'config' || err.code === 'unsupported');
}
