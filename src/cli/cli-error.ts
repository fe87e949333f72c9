// An error the CLI itself raises (a bad flag value, "N replays did not complete"): one sentence, no
// stack. Its kind decides the exit code (src/cli/exit-codes.ts): 'usage' for a request that is
// wrong, 'failure' for one that did not succeed.
import { UserError } from '../core/util/user-error';

export type CliErrorKind = 'usage' | 'failure';

export class CliError extends UserError {
  override readonly kind: CliErrorKind;
  readonly code: 'CLI_USAGE' | 'CLI_FAILED';
  constructor(message: string, kind: CliErrorKind = 'failure') {
    super(message);
    this.name = 'CliError';
    this.kind = kind === 'usage' ? 'usage' : 'failure';
    this.code = this.kind === 'usage' ? 'CLI_USAGE' : 'CLI_FAILED';
  }
}
