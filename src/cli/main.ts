// The `trace-replay` command line: a thin front end over src/core.
import { Command, CommanderError } from 'commander';
import { redactSecrets } from '../core/util/redact-secrets';
import { CliError } from './cli-error';
import { CLI_VERSION } from './cli-version';
import { registerBatchCommand } from './commands/batch-command';
import { registerCompareCommand } from './commands/compare-command';
import { registerImportCommand } from './commands/import-command';
import { registerPromptsCommand } from './commands/prompts-command';
import { registerReceiveCommand } from './commands/receive-command';
import { registerReplayCommand } from './commands/replay-command';
import { registerReplaysCommand } from './commands/replays-command';
import { registerResumeCommand } from './commands/resume-command';
import { registerTraceCommand } from './commands/trace-command';
import { registerTracesCommand } from './commands/traces-command';
import { registerWorkerCommand } from './commands/worker-command';

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
  registerPromptsCommand(program);
  registerWorkerCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      console.error(`trace-replay: ${redactSecrets(err.message)}`);
      return err.exitCode;
    }
    // Typed domain errors (they carry a `code`) are things a user can act on: the message says how.
    if (err instanceof Error && typeof (err as Error & { code?: unknown }).code === 'string') {
      console.error(`trace-replay: ${redactSecrets(err.message)}`);
      return 1;
    }
    console.error(
      `trace-replay: unexpected error: ${redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err))}`,
    );
    return 2;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
