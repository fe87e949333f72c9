// What the CLI says when Phoenix cannot be used, each in one sentence with a non-zero exit and the
// API key never printed: a wrong key (401), an unknown project (404), rate limits (429 +
// Retry-After: retried, then honoured; a long wait is said at once), nothing listening, an unknown
// named connection, and a prompt Phoenix does not have (refused before any LLM call).
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import type { CliRun } from '../cli/cli-helpers';
import { llmEnv } from '../langfuse-cli/langfuse-cli-helpers';
import { importFixtureLocally } from '../phoenix/phoenix-test-helpers';
import {
  API_KEY,
  loadRecordings,
  phoenixEnv,
  PROMPTS,
  runPhoenixCli,
  TEMPLATED_FIXTURE,
  closePhoenixSuite,
} from './phoenix-cli-helpers';

const WRONG_KEY = 'phx-wrong-key-9876543210';

/** One line on stderr, "trace-replay: <one sentence>." */
function oneSentence(run: CliRun): string {
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^trace-replay: [^\n]+\.$/);
  assert.equal(lines[0].slice('trace-replay: '.length).split(/[.;] [A-Z]/).length, 1, `one sentence: ${lines[0]}`);
  return lines[0];
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Phoenix source in the CLI: error messages', function () {
  this.timeout(120000);
  let phoenix: FakePhoenixServer;
  let llm: FakeLlmServer;
  let dir: string;
  let store: string;
  const traceId = importFixtureLocally(TEMPLATED_FIXTURE).id;

  before(async () => {
    phoenix = await startFakePhoenix({ apiKey: API_KEY, prompts: PROMPTS });
    await loadRecordings(phoenix);
    llm = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-phoenix-errors-'));
    store = path.join(dir, 'store');
  });
  after(() => closePhoenixSuite(phoenix, dir, llm));

  it('401: says to check the API key, without printing it, for traces and before any LLM call of a replay', async () => {
    const env = { ...phoenixEnv(phoenix, { PHOENIX_API_KEY: WRONG_KEY }), ...llmEnv(llm) };
    const listed = await runPhoenixCli(['traces', '--source', 'phoenix', '--store', store], env);
    assert.equal(listed.code, 1);
    assert.equal(listed.stdout, '');
    assert.match(
      oneSentence(listed),
      /^trace-replay: Phoenix at http:\/\/127\.0\.0\.1:\d+ rejected the API key; check the Phoenix API key \(a system or user key from Settings -> API keys\)\.$/,
    );
    llm.reset();
    const replayed = await runPhoenixCli(['replay', traceId, '--source', 'phoenix', '--store', store], env);
    assert.equal(replayed.code, 1);
    assert.match(oneSentence(replayed), /rejected the API key/);
    assert.equal(llm.requests.length, 0);
    for (const run of [listed, replayed]) assert.doesNotMatch(run.stdout + run.stderr, new RegExp(WRONG_KEY));

    const missing = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--store', store],
      phoenixEnv(phoenix, { PHOENIX_API_KEY: '' }),
    );
    assert.equal(missing.code, 1);
    assert.match(
      oneSentence(missing),
      /Phoenix at http:\/\/127\.0\.0\.1:\d+ requires authentication; set the Phoenix API key/,
    );
  });

  it('404: names the unknown project and the projects the server has', async () => {
    const run = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--store', store],
      phoenixEnv(phoenix, { PHOENIX_PROJECT: 'suport-bot' }),
    );
    assert.notEqual(run.code, 0);
    assert.match(
      oneSentence(run),
      /^trace-replay: Project "suport-bot" is not on Phoenix at http:\/\/127\.0\.0\.1:\d+ \(projects there: default, support-bot\); check the project name\.$/,
    );
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(API_KEY));
  });

  it('429: waits for Retry-After and goes on; says so when Phoenix keeps refusing; a long Retry-After fails at once naming the wait', async () => {
    const env = phoenixEnv(phoenix);
    const requests = (): number => phoenix.requests.length;

    phoenix.rateLimitNext(1, '0');
    const retried = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--refresh', '--json', '--limit', '2', '--store', store],
      env,
    );
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal((JSON.parse(retried.stdout) as unknown[]).length, 2);

    phoenix.rateLimitNext(3, '0');
    let before = requests();
    const refused = await runPhoenixCli(['traces', '--source', 'phoenix', '--refresh', '--store', store], env);
    assert.equal(refused.code, 1);
    assert.match(
      oneSentence(refused),
      /^trace-replay: Phoenix at http:\/\/127\.0\.0\.1:\d+ is rate-limiting requests \(retry after 0 s\); wait a moment and try again\.$/,
    );
    assert.equal(requests() - before, 3, 'the first try and two retries');

    phoenix.rateLimitNext(5, '3600');
    before = requests();
    const long = await runPhoenixCli(['traces', '--source', 'phoenix', '--refresh', '--store', store], env);
    assert.equal(long.code, 1);
    assert.match(oneSentence(long), /is rate-limiting requests \(retry after 3600 s\); wait a moment and try again\.$/);
    assert.equal(requests() - before, 1, 'an hour is not slept through: one request');
    phoenix.rateLimitNext(0);
  });

  it('says no Phoenix API answers at a base URL where nothing listens', async () => {
    const port = await closedPort();
    const run = await runPhoenixCli(
      ['traces', '--source', 'phoenix', '--store', store],
      phoenixEnv(phoenix, { PHOENIX_BASE_URL: `http://127.0.0.1:${port}` }),
    );
    assert.equal(run.code, 1);
    assert.match(
      oneSentence(run),
      new RegExp(
        `^trace-replay: No Phoenix API answered at http://127\\.0\\.0\\.1:${port} \\(network error: ECONNREFUSED\\); check the Phoenix base URL`,
      ),
    );
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(API_KEY));
  });

  it('exits 2 for an unknown named connection, naming PHOENIX_CONNECTIONS', async () => {
    const run = await runPhoenixCli(['traces', '--source', 'phoenix:nope', '--store', store], phoenixEnv(phoenix));
    assert.equal(run.code, 2);
    assert.equal(
      oneSentence(run),
      'trace-replay: There is no Arize Phoenix connection named "nope"; configured: default; to add it, list it in PHOENIX_CONNECTIONS and set PHOENIX_NOPE_BASE_URL and PHOENIX_NOPE_PROJECT.',
    );
    const listed = await runPhoenixCli(['traces', '--source', 'phoenix:eu', '--store', store], {
      ...phoenixEnv(phoenix),
      PHOENIX_CONNECTIONS: 'eu',
    });
    assert.equal(listed.code, 2);
    assert.equal(
      oneSentence(listed),
      'trace-replay: PHOENIX_CONNECTIONS names "eu" but PHOENIX_EU_BASE_URL is not set; set the Phoenix server\'s address for it.',
    );
  });

  it('refuses a prompt Phoenix does not have before any LLM call', async () => {
    const env = { ...phoenixEnv(phoenix), ...llmEnv(llm) };
    llm.reset();
    const run = await runPhoenixCli(
      ['replay', traceId, '--source', 'phoenix', '--template', 'phoenix:unknown@x', '--store', store],
      env,
    );
    assert.notEqual(run.code, 0);
    assert.match(
      oneSentence(run),
      /^trace-replay: Prompt "unknown" \(version or tag x\) is not in Phoenix at http:\/\/127\.0\.0\.1:\d+; check the prompt name and its version ids or tags\.$/,
    );
    const tag = await runPhoenixCli(
      ['replay', traceId, '--source', 'phoenix', '--template', 'phoenix:colour-quiz#nope', '--store', store],
      env,
    );
    assert.notEqual(tag.code, 0);
    assert.match(oneSentence(tag), /Prompt "colour-quiz" \(tag nope\) is not in Phoenix/);
    assert.equal(llm.requests.length, 0, 'the fake LLM received nothing');
    assert.equal(
      phoenix.otlpBodies.filter((b) => JSON.stringify(b.request).includes('trace_replay')).length,
      0,
      'nothing written back',
    );
  });
});
