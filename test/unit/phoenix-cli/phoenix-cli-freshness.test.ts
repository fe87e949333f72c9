// `trace-replay traces --source phoenix` against the fake Phoenix: a page cached in the store is
// served within --list-ttl (a trace that arrived since does not show), asked again after it
// (--list-ttl 0) or with --refresh, and never hides a wrong key (one sentence, the key not printed).
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { importFixtureLocally } from '../phoenix/phoenix-test-helpers';
import {
  API_KEY,
  exportToPhoenix,
  fixtureBodies,
  JS_FIXTURES,
  phoenixEnv,
  PYTHON_FIXTURES,
  runPhoenixCli,
  closePhoenixSuite,
} from './phoenix-cli-helpers';

const FIRST = [
  path.join(PYTHON_FIXTURES, 'openinference-openai-single.json'),
  path.join(PYTHON_FIXTURES, 'openinference-openai-chain.json'),
];
const LATER = path.join(PYTHON_FIXTURES, 'openinference-openai-agent.json');
const LATEST = path.join(JS_FIXTURES, 'openinference-openai-stream.json');
const WRONG_KEY = 'phx-wrong-0123456789';

describe('Phoenix source in the CLI: fresh lists and checked keys', function () {
  this.timeout(120000);
  let phoenix: FakePhoenixServer;
  let dir: string;
  let store: string;
  const ids = (files: string[]): string[] => files.map((f) => importFixtureLocally(f).id).sort();
  const listed = (stdout: string): string[] => (JSON.parse(stdout) as { id: string }[]).map((t) => t.id).sort();
  const listReads = (): number => phoenix.requests.filter((r) => /^\/v1\/projects\/[^/]+\/traces$/.test(r.path)).length;

  before(async () => {
    phoenix = await startFakePhoenix({ apiKey: API_KEY });
    for (const f of FIRST) await exportToPhoenix(phoenix, fixtureBodies(f));
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-phoenix-fresh-'));
    store = path.join(dir, 'store');
  });
  after(() => closePhoenixSuite(phoenix, dir));

  it('serves the cached page within --list-ttl, asks again with --list-ttl 0, and --refresh forces a read', async () => {
    const env = phoenixEnv(phoenix);
    const first = await runPhoenixCli(['traces', '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(listed(first.stdout), ids(FIRST));

    // A trace arrives in Phoenix after the first list.
    await exportToPhoenix(phoenix, fixtureBodies(LATER));
    const reads = listReads();
    const cached = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--json', '--list-ttl', '3600', '--store', store],
      env,
    );
    assert.equal(cached.code, 0, cached.stderr);
    assert.deepEqual(listed(cached.stdout), ids(FIRST), 'within the TTL: the cached page');
    assert.equal(listReads(), reads, 'Phoenix was not asked for the list');

    const fresh = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--json', '--list-ttl', '0', '--store', store],
      env,
    );
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(listed(fresh.stdout), ids([...FIRST, LATER]), 'TTL 0: asked again, the new trace shows');

    // Another one arrives; the page just read is cached again, --refresh reads past it.
    assert.ok(phoenix.ingestOtlpFile(LATEST, 'support-bot') > 0);
    const stale = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--json', '--list-ttl', '3600', '--store', store],
      env,
    );
    assert.deepEqual(listed(stale.stdout), ids([...FIRST, LATER]));
    const refreshed = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--json', '--list-ttl', '3600', '--refresh', '--store', store],
      env,
    );
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.deepEqual(listed(refreshed.stdout), ids([...FIRST, LATER, LATEST]), '--refresh: the newest trace shows');
  });

  it('refuses a wrong key in one sentence although the page is cached, without printing the key', async () => {
    const reads = listReads();
    const wrong = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--json', '--list-ttl', '3600', '--store', store],
      phoenixEnv(phoenix, { PHOENIX_API_KEY: WRONG_KEY }),
    );
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, '', 'no stale list');
    const lines = wrong.stderr.trim().split('\n');
    assert.equal(lines.length, 1, wrong.stderr);
    assert.match(
      lines[0],
      /^trace-replay: Phoenix at http:\/\/127\.0\.0\.1:\d+ rejected the API key; check the Phoenix API key \(a system or user key from Settings -> API keys\)\.$/,
    );
    assert.doesNotMatch(wrong.stdout + wrong.stderr, new RegExp(WRONG_KEY));
    assert.equal(listReads(), reads, 'the key check guarded the cached page');
  });

  it('re-reads a cached trace with trace --refresh', async () => {
    const env = phoenixEnv(phoenix);
    const id = importFixtureLocally(LATER).id;
    const spanReads = (): number =>
      phoenix.requests.filter((r) => /\/spans$/.test(r.path) && r.query.getAll('trace_id').join() === id).length;
    const shown = await runPhoenixCli(['trace', id, '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(shown.code, 0, shown.stderr);
    const reads = spanReads();
    const again = await runPhoenixCli(['trace', id, '--source', 'phoenix', '--json', '--store', store], env);
    assert.equal(again.stdout, shown.stdout);
    assert.equal(spanReads(), reads, 'served from the store');
    const refreshed = await runPhoenixCli(
      ['trace', id, '--source', 'phoenix', '--json', '--refresh', '--store', store],
      env,
    );
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(spanReads(), reads + 1, '--refresh asked Phoenix again');
    assert.equal(refreshed.stdout, shown.stdout);
  });
});
