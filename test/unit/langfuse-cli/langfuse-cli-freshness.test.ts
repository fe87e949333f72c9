// `trace-replay traces --source langfuse` end to end against the fake Langfuse: a page cached in the
// store does not hide a wrong key (one sentence, non-zero exit, the key never printed), and
// --list-ttl decides how long a cached page is served (0 = ask every time; a bad value is exit 2).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { langfuseEnv, promptedTrace, runLangfuseCli, T0 } from './langfuse-cli-helpers';

const WRONG_SECRET = 'sk-lf-wrong-0123456789';

describe('Langfuse source in the CLI: fresh lists and checked keys', function () {
  this.timeout(120000);
  let langfuse: FakeLangfuseServer;
  let dir: string;
  let store: string;
  const listed = (stdout: string): string[] => (JSON.parse(stdout) as { id: string }[]).map((t) => t.id);

  before(async () => {
    langfuse = await startFakeLangfuse({ observations: promptedTrace('lf-trace-1', T0) });
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-langfuse-fresh-'));
    store = path.join(dir, 'store');
  });
  after(async () => {
    assert.deepEqual(langfuse.violations, []);
    await langfuse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong secret key in one sentence although the page is cached, without printing the key', async () => {
    const ok = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--json', '--store', store],
      langfuseEnv(langfuse),
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(listed(ok.stdout), ['lf-trace-1']);

    const observationReads = langfuse.requests.filter((r) => r.path === '/api/public/v2/observations').length;
    const wrong = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--json', '--store', store],
      langfuseEnv(langfuse, { secretKey: WRONG_SECRET }),
    );
    assert.notEqual(wrong.code, 0);
    assert.equal(wrong.stdout, '', 'no stale list');
    const lines = wrong.stderr.trim().split('\n');
    assert.equal(lines.length, 1, wrong.stderr);
    assert.match(
      lines[0],
      /^trace-replay: Langfuse rejected the keys for http:\/\/127\.0\.0\.1:\d+: check the public and secret key \(project settings -> API keys\)\.$/,
    );
    assert.doesNotMatch(wrong.stdout + wrong.stderr, new RegExp(WRONG_SECRET));
    assert.equal(
      langfuse.requests.filter((r) => r.path === '/api/public/v2/observations').length,
      observationReads,
      'the cached page was what the key check guarded',
    );
    assert.equal(langfuse.requests.at(-1)?.path, '/api/public/projects');
  });

  it('serves the cached page within --list-ttl and asks at once with --list-ttl 0', async () => {
    const env = langfuseEnv(langfuse);
    const warm = await runLangfuseCli(['traces', '--source', 'langfuse', '--json', '--store', store], env);
    assert.equal(warm.code, 0, warm.stderr);
    langfuse.observations.push(...promptedTrace('lf-trace-2', T0 + 60_000));

    const cached = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--json', '--list-ttl', '3600', '--store', store],
      env,
    );
    assert.equal(cached.code, 0, cached.stderr);
    assert.deepEqual(listed(cached.stdout), ['lf-trace-1'], 'within the TTL: the cached page');

    const fresh = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--json', '--list-ttl', '0', '--store', store],
      env,
    );
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(listed(fresh.stdout), ['lf-trace-2', 'lf-trace-1'], 'TTL 0: asked again, the new trace shows');
  });

  it('exits 2 on a bad --list-ttl, and on --list-ttl with the local store', async () => {
    for (const value of ['abc', '-1', '1.5']) {
      const bad = await runLangfuseCli(
        ['traces', '--source', 'langfuse', '--list-ttl', value, '--store', store],
        langfuseEnv(langfuse),
      );
      assert.equal(bad.code, 2, value);
      assert.equal(bad.stderr.trim(), `trace-replay: --list-ttl must be a whole number >= 0, got "${value}".`);
    }
    const local = await runLangfuseCli(['traces', '--list-ttl', '5', '--store', store], {});
    assert.equal(local.code, 2);
    assert.match(local.stderr, /--list-ttl is how long a platform's page is cached; the store is always read as it is/);
  });
});
