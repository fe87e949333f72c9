// The one mapping to exit codes: 0 ok, 1 failure (and cancelled), 2 usage, 70 a bug. exitCodeFor on
// each kind, reportError's output, and the real CLI end to end for each code it can reach.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { CliError } from '../../../src/cli/cli-error';
import { ExitCode, exitCodeFor } from '../../../src/cli/exit-codes';
import { reportError } from '../../../src/cli/main';
import { MissingApiKeyError, ProviderRequestError, RequestAbortedError } from '../../../src/core/llm/llm-errors';
import { ReplayCancelledError, TraceNotFoundError } from '../../../src/core/replay/replay-errors';
import { SourceSpecError } from '../../../src/core/sources/open-source';
import { PhoenixAuthError } from '../../../src/core/sources/phoenix/phoenix-errors';
import { PlatformConfigError } from '../../../src/core/sources/platform-errors';
import { runCli } from './cli-helpers';

/** Runs `fn` with console.error captured. */
function stderrOf(fn: () => number): { code: number; stderr: string } {
  const original = console.error;
  let stderr = '';
  console.error = (...args: unknown[]) => {
    stderr += `${args.map(String).join(' ')}\n`;
  };
  try {
    return { code: fn(), stderr };
  } finally {
    console.error = original;
  }
}

describe('CLI exit codes', function () {
  this.timeout(120_000);

  it('exitCodeFor: usage 2, failure 1, cancelled 1, anything else 70', () => {
    assert.equal(exitCodeFor(new CliError('--port must be a number', 'usage')), ExitCode.Usage);
    assert.equal(exitCodeFor(new CliError('2 of 3 replays did not complete')), ExitCode.Failure);
    assert.equal(exitCodeFor(new SourceSpecError('nowhere')), ExitCode.Usage);
    assert.equal(exitCodeFor(new PlatformConfigError('no connection')), ExitCode.Usage);
    assert.equal(exitCodeFor(new MissingApiKeyError('openai', 'OPENAI_API_KEY')), ExitCode.Usage);
    assert.equal(exitCodeFor(new PhoenixAuthError('http://127.0.0.1:6006', 401, true)), ExitCode.Failure);
    assert.equal(exitCodeFor(new TraceNotFoundError('abc')), ExitCode.Failure);
    assert.equal(
      exitCodeFor(
        new ProviderRequestError({ provider: 'openai', providerMessage: 'no', retryable: false, retries: 0 }),
      ),
      ExitCode.Failure,
    );
    assert.equal(exitCodeFor(new ReplayCancelledError()), ExitCode.Failure);
    assert.equal(exitCodeFor(new RequestAbortedError('openai')), ExitCode.Failure);
    assert.equal(exitCodeFor(new TypeError("Cannot read properties of undefined (reading 'x')")), ExitCode.Internal);
    assert.equal(exitCodeFor(Object.assign(new Error('EACCES'), { code: 'EACCES' })), ExitCode.Internal);
    assert.equal(exitCodeFor('a string'), ExitCode.Internal);
    assert.deepEqual(
      [ExitCode.Ok, ExitCode.Failure, ExitCode.Usage, ExitCode.Internal],
      [0, 1, 2, 70],
      'the documented numbers (README, CLI section)',
    );
  });

  it("exitCodeFor: commander's help and version end with 0, its parse errors are usage errors", () => {
    assert.equal(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')), ExitCode.Ok);
    assert.equal(exitCodeFor(new CommanderError(0, 'commander.version', '1.0.0')), ExitCode.Ok);
    assert.equal(exitCodeFor(new CommanderError(0, 'commander.help', '(outputHelp)')), ExitCode.Ok);
    assert.equal(exitCodeFor(new CommanderError(1, 'commander.help', '(outputHelp)')), ExitCode.Usage);
    assert.equal(exitCodeFor(new CommanderError(1, 'commander.unknownOption', "unknown option '--x'")), ExitCode.Usage);
    assert.equal(exitCodeFor(new CommanderError(1, 'commander.missingArgument', 'missing')), ExitCode.Usage);
  });

  it('reportError prints a UserError as one sentence and a bug with its stack', () => {
    const usage = stderrOf(() => reportError(new CliError('--port must be a whole number, got "x".', 'usage')));
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr, 'trace-replay: --port must be a whole number, got "x".\n');

    const bug = new TypeError("Cannot read properties of undefined (reading 'spans')");
    const internal = stderrOf(() => reportError(bug));
    assert.equal(internal.code, 70);
    assert.match(internal.stderr, /^trace-replay: unexpected error \(a bug in trace-replay\): TypeError: Cannot read/);
    assert.match(internal.stderr, /^\s+at /m, 'with the stack');

    const secret = stderrOf(() => reportError(new Error('fetch https://user:hunter2@example.com failed')));
    assert.doesNotMatch(secret.stderr, /hunter2/, 'redacted');
  });

  describe('end to end', () => {
    let dir: string;
    let store: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'tr-exit-'));
      store = path.join(dir, 'store');
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('0 for help, 2 for an unknown option, a missing argument or a bad source, 1 for what is not there', async () => {
      const help = await runCli(['--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /Usage: trace-replay/);

      const unknown = await runCli(['traces', '--no-such-flag', '--store', store]);
      assert.equal(unknown.code, 2, unknown.stderr);
      assert.match(unknown.stderr, /unknown option '--no-such-flag'/);

      const missing = await runCli(['trace', '--store', store]);
      assert.equal(missing.code, 2, missing.stderr);

      const source = await runCli(['traces', '--source', 'nowhere', '--store', store]);
      assert.equal(source.code, 2, source.stderr);
      assert.match(source.stderr, /^trace-replay: "nowhere" is not a trace source; use /);
      assert.doesNotMatch(source.stderr, /^\s+at /m, 'no stack trace');

      const gone = await runCli(['trace', 'feedfeedfeedfeedfeedfeedfeedfeed', '--store', store]);
      assert.equal(gone.code, 1, gone.stderr);
      assert.match(gone.stderr, /Trace feedfeedfeedfeedfeedfeedfeedfeed is not in the store/);
    });
  });
});
