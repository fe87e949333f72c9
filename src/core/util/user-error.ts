// The one base of the errors a user can act on. Every typed error of src/core, src/cli and
// src/extension extends UserError: its message is one sentence that names the cause and the fix, its
// `code` is a stable UPPER_SNAKE name (stored on failed jobs, printed by `--json`, matched by the
// surfaces, never the message text), its `kind` decides how a front end treats it (the CLI's exit
// code, see src/cli/exit-codes.ts), and its optional `next` names the action that fixes it as data,
// which each surface turns into its own affordance (a notification button in VS Code; on the CLI
// the message itself names the fix). Anything thrown that is not a UserError is a bug: the surfaces
// report it as unexpected (the CLI with its stack and exit 70). The test
// test/unit/util/user-error.test.ts checks every exported *Error class of src against this.

/** How a front end treats the error. */
export type ErrorKind =
  /** The request itself is wrong: a flag, a setting, a spec, a missing key (CLI exit 2). */
  | 'usage'
  /** Something that was asked for did not happen: a provider or platform said no, a trace is gone (exit 1). */
  | 'failure'
  /** The user (or a signal) cancelled it (exit 1; no notification). */
  | 'cancelled';

/** The action that fixes an error, as data. */
export type NextAction =
  | { kind: 'set-api-key'; provider: string }
  | { kind: 'choose-model' }
  | { kind: 'connect-platform'; platform: string; connection?: string }
  | { kind: 'start-receiver' }
  | { kind: 'import-traces' }
  | { kind: 'open-settings'; setting: string };

export abstract class UserError extends Error {
  /** Stable UPPER_SNAKE name of the error, e.g. TRACE_NOT_FOUND. */
  abstract readonly code: string;
  /** How a front end treats it; most errors are failures. */
  readonly kind: ErrorKind = 'failure';
  /** The action that fixes it, when there is one. */
  readonly next?: NextAction;
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** The code of anything thrown: a UserError's code, undefined for the rest. */
export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof UserError ? err.code : undefined;
}

/** 0.1 codes whose UPPER_SNAKE spelling is not simply the kebab one upper-cased. */
const RENAMED: Readonly<Record<string, string>> = {
  config: 'PLATFORM_CONFIG',
  http: 'HTTP_ERROR',
};

/** Codes are UPPER_SNAKE: `trace-gone` (as 0.1 stored some) reads as `TRACE_GONE`, `config` as
 *  `PLATFORM_CONFIG`; a code that is already UPPER_SNAKE comes back unchanged. */
export function normalizeErrorCode(code: string): string {
  return RENAMED[code] ?? code.replace(/-/g, '_').toUpperCase();
}

/** Whether `code` is an UPPER_SNAKE name (e.g. TRACE_NOT_FOUND). */
export function isUpperSnake(code: string): boolean {
  return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code);
}
