// The `trace-replay` command line: a thin front end over src/core.
import { Command, CommanderError } from 'commander';
import { errorMessage } from '../core/util/error-message';
import { redactSecrets } from '../core/util/redact-secrets';
import { CLI_VERSION } from './cli-version';
import { registerBatchCommand } from './commands/batch-command';
import { registerCompareCommand } from './commands/compare-command';
import { registerEstimateCommand } from './commands/estimate-command';
import { registerImportCommand } from './commands/import-command';
import { registerPromptsCommand } from './commands/prompts-command';
import { registerReceiveCommand } from './commands/receive-command';
import { registerReplayCommand } from './commands/replay-command';
import { registerReplaysCommand } from './commands/replays-command';
import { registerResumeCommand } from './commands/resume-command';
import { registerTraceCommand } from './commands/trace-command';
import { registerTracesCommand } from './commands/traces-command';
import { registerWorkerCommand } from './commands/worker-command';
import { ExitCode, exitCodeFor } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('trace-replay')
    .description('Replay recorded LLM traces with other models, prompts or parameters, and compare the results.')
    .version(CLI_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerImportCommand(program);
  registerReceiveCommand(program);
  registerTracesCommand(program);
  registerTraceCommand(program);
  registerReplayCommand(program);
  registerReplaysCommand(program);
  registerResumeCommand(program);
  registerCompareCommand(program);
  registerBatchCommand(program);
  registerEstimateCommand(program);
  registerPromptsCommand(program);
  registerWorkerCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    return reportError(err);
  }
}

/** Prints what ended the command on stderr and returns the exit code (src/cli/exit-codes.ts). */
export function reportError(err: unknown): number {
  const code = exitCodeFor(err);
  // Commander printed its own message (and the help) already.
  if (err instanceof CommanderError) return code;
  if (code === ExitCode.Internal) {
    // Not a UserError: a bug. The stack is what a report of it needs.
    const detail = err instanceof Error ? (err.stack ?? err.message) : errorMessage(err);
    console.error(`trace-replay: unexpected error (a bug in trace-replay): ${redactSecrets(detail)}`);
  } else {
    // A UserError: its message is one sentence naming the cause and the fix.
    console.error(`trace-replay: ${redactSecrets(errorMessage(err))}`);
  }
  return code;
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
