// A spec-validated fake platform (serve-fake-langfuse.ts, serve-fake-phoenix.ts) in a tsx child process,
// for the UI stages: the child prints "READY <baseUrl>" once it listens and, when its stdin ends,
// "VIOLATIONS <json array>" (what it answered outside the platform's OpenAPI document) before it exits.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { PROJECT_ROOT } from './codeserver.mjs';

/** Starts test/e2e/<script> with `env`; resolves { baseUrl, close() -> violations[] } once it is READY. */
export async function startFakePlatformProcess(script, env) {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
  const child = spawn(tsx, [path.join(PROJECT_ROOT, 'test/e2e', script)], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const nextLine = (prefix) =>
    new Promise((resolve, reject) => {
      const onLine = (l) => {
        if (l.startsWith(prefix)) {
          done();
          resolve(l.slice(prefix.length));
        }
      };
      const onExit = (code) => {
        done();
        reject(new Error(`${path.basename(script, '.ts')} exited (code ${code}) before "${prefix.trim()}"`));
      };
      const done = () => {
        lines.off('line', onLine);
        child.off('exit', onExit);
      };
      lines.on('line', onLine);
      child.once('exit', onExit);
    });
  process.on('exit', () => child.kill('SIGKILL'));
  const baseUrl = (await nextLine('READY ')).trim();
  const close = async () => {
    const reported = nextLine('VIOLATIONS ');
    child.stdin.end();
    return JSON.parse(await reported);
  };
  return { baseUrl, close };
}

/** The teardown of a stage with a fake platform: its violations (or its unclean stop) as failures. */
export async function platformViolations(fake, label) {
  if (!fake) return [];
  const violations = await fake.close().catch((e) => [`the fake ${label} did not stop cleanly: ${e.message}`]);
  return violations.length
    ? [`the fake ${label} answered outside its OpenAPI document: ${JSON.stringify(violations)}`]
    : [];
}
