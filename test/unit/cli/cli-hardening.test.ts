// The CLI against bad input (#13): every bad option value is one sentence and exit 2; an unknown
// trace id creates no job; a store this process cannot write is said up front; a password in a
// base URL never reaches the screen, the store or a report.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TraceStore } from '../../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { importFixture } from '../replay/replay-test-helpers';
import { collect, ROOT, runCli, runCliWithEnv, type CliRun } from './cli-helpers';

/** Every file under `dir`, as text. */
async function allText(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += await readFile(path.join(entry.parentPath, entry.name), 'utf-8');
  }
  return out;
}

function assertUsage(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

describe('CLI hardening', function () {
  this.timeout(120_000);
  let dir: string;
  let store: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-cli-hard-'));
    store = path.join(dir, 'store');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses bad option values in one sentence with exit 2', async () => {
    assertUsage(
      await runCli(['receive', '--port', '99999', '--store', store]),
      /--port must be a whole number from 0 to 65535, got "99999"/,
    );
    assertUsage(
      await runCli(['receive', '--max-body-mb', '0', '--store', store]),
      /--max-body-mb must be a number greater than 0/,
    );
    assertUsage(
      await runCli(['receive', '--max-body-mb', 'abc', '--store', store]),
      /--max-body-mb must be a number greater than 0, got "abc"/,
    );
    assertUsage(
      await runCli(['traces', '--limit', '-5', '--store', store]),
      /--limit must be a whole number >= 1, got "-5"/,
    );
    assertUsage(await runCli(['traces', '--limit', 'abc', '--store', store]), /--limit must be a whole number >= 1/);
    assertUsage(await runCli(['traces', '--offset', '-1', '--store', store]), /--offset must be a whole number >= 0/);
    assertUsage(
      await runCli(['replay', '0123', '--param', '__proto__={"polluted":1}', '--store', store]),
      /--param __proto__ is not a model parameter name/,
    );
  });

  it('an unknown trace id says "not in the store" and leaves no job behind', async () => {
    const s = await TraceStore.open(store);
    await importFixture(s, 'traceloop-openai-single');
    await s.close();
    const run = await runCliWithEnv(['replay', 'feedfeedfeedfeedfeedfeedfeedfeed', '--store', store], {
      OPENAI_API_KEY: 'sk-test',
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /Trace feedfeedfeedfeedfeedfeedfeedfeed is not in the store .*; list the traces with `trace-replay traces`/,
    );
    assert.doesNotMatch(run.stderr, /retention/);
    const jobs = await readdir(path.join(store, 'replays')).catch(() => [] as string[]);
    assert.deepEqual(
      jobs.filter((n) => n.endsWith('.json')),
      [],
      'no FAILED job recorded',
    );
  });

  it('--concurrency with --queue is said to apply to nothing here (the workers have their own)', async () => {
    const s = await TraceStore.open(store);
    const trace = await importFixture(s, 'traceloop-openai-single');
    await s.close();
    // Nothing listens on port 1: the warning comes first, then Redis down is one sentence and exit 1.
    const run = await runCli([
      'replay',
      trace.id,
      '--queue',
      'redis://127.0.0.1:1',
      '--concurrency',
      '5',
      '--store',
      store,
    ]);
    assert.match(
      run.stderr,
      /warning: --concurrency 5 applies to replays run here; on the queue each `trace-replay worker` runs its own --concurrency/,
    );
    assert.match(run.stderr, /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 /);
    assert.equal(run.code, 1, run.stderr);
    const quiet = await runCli(['replay', trace.id, '--queue', 'redis://127.0.0.1:1', '--store', store]);
    assert.doesNotMatch(quiet.stderr, /warning: --concurrency/);
  });

  it('says up front when the store cannot be written (receive, import, replay)', async function () {
    const s = await TraceStore.open(store);
    const trace = await importFixture(s, 'traceloop-openai-single');
    await s.close();
    // As root (CI) permissions do not stop writes: run the CLI as `nobody` on a store it can read
    // but not write. Otherwise make the folder read-only for this user.
    const root = process.getuid?.() === 0;
    if (process.platform === 'win32') this.skip();
    // Readable by everyone, writable by nobody but its owner (root), like a store on a shared or
    // read-only mount.
    await chmod(dir, 0o755);
    await chmod(store, root ? 0o755 : 0o555);
    for (const entry of await readdir(store, { withFileTypes: true, recursive: true })) {
      await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? (root ? 0o755 : 0o555) : 0o444);
    }
    const as = (args: string[]): Promise<CliRun> =>
      collect(
        spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, OPENAI_API_KEY: 'sk-test', HOME: dir },
          ...(root ? { uid: 65534, gid: 65534 } : {}),
        }),
      );
    const listed = await as(['traces', '--store', store, '--json']);
    assert.equal(listed.code, 0, `reading still works: ${listed.stderr}`);
    for (const args of [
      ['receive', '--port', '0'],
      ['import', path.join(ROOT, 'test/fixtures/otlp/traceloop-openai-single.json')],
      ['replay', trace.id],
    ]) {
      const run = await as([...args, '--store', store]);
      assert.equal(run.code, 1, `${args[0]}: ${run.stderr}`);
      assert.match(
        run.stderr,
        /Cannot write to the trace store .*\(EACCES on .*\.lock\); make the folder writable or choose another store folder/,
        args[0],
      );
      assert.doesNotMatch(run.stdout, /listening/);
    }
    await chmod(store, 0o700);
  });

  describe('a password in a base URL', () => {
    let server: FakeLlmServer;
    before(async () => {
      server = await startFakeLlmServer();
    });
    after(() => server.close());

    it('never reaches the output, the store or the HTML report', async () => {
      const s = await TraceStore.open(store);
      const trace = await importFixture(s, 'traceloop-openai-single');
      await s.close();
      const secret = 'hunter2-s3cret';
      const baseUrl = server.openaiBaseUrl.replace('http://', `http://alice:${secret}@`);
      const run = await runCliWithEnv(['replay', trace.id, '--store', store, '--json'], {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: baseUrl,
      });
      assert.equal(run.code, 1, 'the request cannot be sent with credentials in its URL');
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /\*\*\*@127\.0\.0\.1/, 'the URL is still named, without its credentials');
      const job = (JSON.parse(run.stdout) as { id: string }).id;
      const html = path.join(dir, 'report.html');
      const compared = await runCli(['compare', job, '--store', store, '--html', html]);
      assert.ok(!compared.stdout.includes(secret) && !compared.stderr.includes(secret));
      const report = await readFile(html, 'utf-8').catch(() => '');
      assert.ok(!report.includes(secret), 'the HTML report');
      assert.ok(!(await allText(store)).includes(secret), 'the store files');
    });
  });
});
