// The one mapping from how a command ended to the process exit code. 0: it did what was asked; 1:
// something asked for did not happen (a provider or platform said no, a replay did not complete, a
// batch gate failed, the user cancelled); 2: the request itself is wrong (a flag, a spec, a setting,
// a missing key); 70: a bug (anything thrown that is not a UserError), printed with its stack.
import { CommanderError } from 'commander';
import { UserError } from '../core/util/user-error';

export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  /** EX_SOFTWARE of sysexits.h: an internal error. */
  Internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Commander's codes that end the program without an error (help or the version was asked for). */
const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version']);

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CommanderError) {
    if (COMMANDER_OK.has(err.code)) return ExitCode.Ok;
    // `trace-replay help` ends with 0; the help shown for a missing command is a usage mistake.
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return ExitCode.Usage;
  }
  if (err instanceof UserError) return err.kind === 'usage' ? ExitCode.Usage : ExitCode.Failure;
  return ExitCode.Internal;
}
