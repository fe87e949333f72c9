// What the CLI says when Langfuse cannot be used: no or unknown connection, wrong keys (401), a
// trace that is gone (404), rate limits (429 + Retry-After), a prompt version that does not exist.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { langfuseEnv, llmEnv, PROMPTS, promptedTrace, runLangfuseCli, T0 } from './langfuse-cli-helpers';

describe('Langfuse source in the CLI: error messages', function () {
  this.timeout(120000);
  let langfuse: FakeLangfuseServer;
  let llm: FakeLlmServer;
  let dir: string;
  let store: string;

  before(async () => {
    langfuse = await startFakeLangfuse({ observations: promptedTrace('lf-trace-1', T0), prompts: PROMPTS });
    llm = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-langfuse-errors-'));
    store = path.join(dir, 'store');
  });
  after(async () => {
    assert.deepEqual(langfuse.violations, []);
    await langfuse.close();
    await llm.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the environment variables when no connection is configured', async () => {
    const run = await runLangfuseCli(['traces', '--source', 'langfuse', '--store', store], {});
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr.trim(),
      'trace-replay: No Langfuse connection is configured; set LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL.',
    );
    const named = await runLangfuseCli(
      ['traces', '--source', 'langfuse:staging', '--store', store],
      langfuseEnv(langfuse),
    );
    assert.equal(named.code, 2);
    assert.match(named.stderr, /no Langfuse connection named "staging"; configured: default/);
    const bad = await runLangfuseCli(['traces', '--source', 'langfuze', '--store', store], {});
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /"langfuze" is not a trace source; use local, langfuse, langfuse:<connection name>, phoenix or phoenix:<connection name>\./,
    );
  });

  it('says to check the keys on a 401, without printing them', async () => {
    const run = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--store', store],
      langfuseEnv(langfuse, { secretKey: 'sk-lf-wrong-secret' }),
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^trace-replay: Langfuse rejected the keys for http:\/\/127\.0\.0\.1:\d+: check the public and secret key/,
    );
    assert.doesNotMatch(run.stdout + run.stderr, /sk-lf-wrong-secret/);
  });

  it('says a trace is gone (deleted or past retention) for trace and replay, before any LLM call', async () => {
    const env = { ...langfuseEnv(langfuse), ...llmEnv(llm) };
    const shown = await runLangfuseCli(['trace', 'lf-deleted', '--source', 'langfuse', '--store', store], env);
    assert.equal(shown.code, 1);
    assert.match(
      shown.stderr,
      /Trace lf-deleted is not in Langfuse at http:\/\/127\.0\.0\.1:\d+ \(deleted, or outside the project's retention window\)/,
    );
    llm.reset();
    const replayed = await runLangfuseCli(['replay', 'lf-deleted', '--source', 'langfuse', '--store', store], env);
    assert.equal(replayed.code, 1);
    assert.match(replayed.stderr, /Trace lf-deleted is not in Langfuse/);
    assert.equal(llm.requests.length, 0);
  });

  it('waits for Retry-After on a 429 and goes on; says so when Langfuse keeps refusing', async () => {
    const env = langfuseEnv(langfuse);
    langfuse.rateLimitNext(1, '0');
    const retried = await runLangfuseCli(
      ['traces', '--source', 'langfuse', '--refresh', '--json', '--store', store],
      env,
    );
    assert.equal(retried.code, 0, retried.stderr);
    assert.deepEqual(
      (JSON.parse(retried.stdout) as { id: string }[]).map((t) => t.id),
      ['lf-trace-1'],
    );

    langfuse.rateLimitNext(3, '0');
    const refused = await runLangfuseCli(['traces', '--source', 'langfuse', '--refresh', '--store', store], env);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /Langfuse at http:\/\/127\.0\.0\.1:\d+ is rate-limiting this project \(retry after 0 s\); wait a moment and try again/,
    );

    // A long Retry-After is not slept through: the CLI says so at once.
    langfuse.rateLimitNext(1, '3600');
    const long = await runLangfuseCli(['traces', '--source', 'langfuse', '--refresh', '--store', store], env);
    assert.equal(long.code, 1);
    assert.match(long.stderr, /retry after 3600 s/);
    langfuse.rateLimitNext(0);
  });

  it('refuses a prompt version Langfuse does not have, or a malformed spec, before any LLM call', async () => {
    const env = { ...langfuseEnv(langfuse), ...llmEnv(llm) };
    llm.reset();
    const missing = await runLangfuseCli(
      ['replay', 'lf-trace-1', '--source', 'langfuse', '--template', 'langfuse:weather-system@9', '--store', store],
      env,
    );
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /Prompt "weather-system" \(version 9\) is not in Langfuse at .*; check the prompt name and its versions or labels\./,
    );
    const malformed = await runLangfuseCli(
      ['replay', 'lf-trace-1', '--source', 'langfuse', '--template', 'langfuse:', '--store', store],
      env,
    );
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /"langfuse:" is not a prompt version; write langfuse:<name>@<version>/);
    const both = await runLangfuseCli(
      [
        'replay',
        'lf-trace-1',
        '--source',
        'langfuse',
        '--prompt-version',
        '4',
        '--prompt-label',
        'staging',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either a prompt version or a prompt label/);
    assert.equal(llm.requests.length, 0);
  });
});
