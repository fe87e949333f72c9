// The one error family of trace platforms (Langfuse, Arize Phoenix, ...). Every platform's errors
// extend PlatformError (a UserError), so the CLI and the extension handle "the platform said no" in
// one place, whatever the platform: the message is one sentence naming the cause and the fix, and
// never contains a key (only base URLs, project names and request paths). The same thing has the
// same code on every platform.
import { UserError, type NextAction } from '../util/user-error';

export type PlatformErrorCode =
  | 'PLATFORM_CONFIG'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'BAD_URL'
  | 'RATE_LIMITED'
  | 'TRACE_GONE'
  | 'PROMPT_NOT_FOUND'
  | 'PROJECT_NOT_FOUND'
  | 'UNSUPPORTED'
  | 'HTTP_ERROR';

export abstract class PlatformError extends UserError {
  abstract override readonly code: PlatformErrorCode;
}

/** The fix of an error that means "fix the connection" (its keys, URL or project). */
export function connectPlatform(platform: string, connection?: string): NextAction {
  return connection === undefined
    ? { kind: 'connect-platform', platform }
    : { kind: 'connect-platform', platform, connection };
}

export interface PlatformConfigErrorOptions {
  /** The platform whose connection is to fix; without it the error has no `next` (e.g. a bad cursor). */
  platform?: string;
  connection?: string;
  cause?: unknown;
}

/** A setting or key is missing or malformed: a usage error (the CLI exits 2). */
export class PlatformConfigError extends PlatformError {
  readonly code = 'PLATFORM_CONFIG';
  override readonly kind = 'usage';
  declare readonly next?: NextAction;
  override name = 'PlatformConfigError';
  constructor(message: string, options: PlatformConfigErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    if (options.platform !== undefined) this.next = connectPlatform(options.platform, options.connection);
  }
}

/** The platform does not do what was asked (e.g. prompts on a platform without prompt management):
 *  a usage error. */
export class PlatformCapabilityError extends PlatformError {
  readonly code = 'UNSUPPORTED';
  override readonly kind = 'usage';
  override name = 'PlatformCapabilityError';
}
