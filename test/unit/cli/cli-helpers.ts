// Runs the real CLI entry point (src/cli/main.ts through tsx) as a child process, the way a user
// runs `trace-replay`, and captures its output and exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
const ENTRY = path.join(ROOT, 'src/cli/main.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
}

const PROVIDER_ENV = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'TRACE_REPLAY_ENDPOINTS',
];

/** Runs the CLI with the provider env vars of this machine removed and `env` added, so a test
 *  decides exactly which keys and base URLs the SDKs see. */
export function runCliWithEnv(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const clean = { ...process.env };
  for (const name of PROVIDER_ENV) delete clean[name];
  return collect(startCli(args, { ...clean, ...env }));
}

export function runCli(args: string[]): Promise<CliRun> {
  const child = startCli(args);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the first stdout line matching `pattern` (the child keeps running). */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += String(d);
      const match = buffered.match(pattern);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`CLI exited (${code}) before printing ${pattern}; output: ${buffered}`)),
    );
  });
}
