// The built `trace-replay` CLI (dist/cli.js) run as a child process, as a user runs it: what it prints
// (stdout and stderr together) can be awaited, and its exit code. The e2e-node queue tests run
// workers and submitters with it; the environment they get carries no key or Redis URL of the
// machine running the tests, only what the test gives.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../e2e-node/built-dist';

const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves when the output contains `text`; rejects when the process exits without printing it. */
  waitFor(text: string | RegExp): Promise<void>;
  /** The exit code (null when ended by a signal). */
  exited: Promise<number | null>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const w of [...waiters])
      if (w.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // 'close', not 'exit': the output is complete then.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s));
        if (test(out)) return resolve();
        waiters.push({ test, resolve });
        void exited.then(() => {
          if (!test(out)) reject(new Error(`exited before printing ${String(text)}:\n${out}`));
        });
      }),
    exited,
  };
}

/** The environment of a CLI process: this one's without OpenAI key, base URL or Redis URL, then
 *  OpenAI at `openaiBaseUrl` with `apiKey`, no colours, and `extra`. */
export function cliEnv(openaiBaseUrl: string, apiKey: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { OPENAI_API_KEY: _k, OPENAI_BASE_URL: _u, TRACE_REPLAY_REDIS_URL: _r, ...rest } = process.env;
  return { ...rest, OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: openaiBaseUrl, NO_COLOR: '1', ...extra };
}
