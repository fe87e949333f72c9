// `trace-replay compare` on a replay made by the real CLI against the fake LLM server.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli, runCliWithEnv } from './cli-helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/otlp/openinference-openai-agent.json');

describe('trace-replay compare', function () {
  this.timeout(60000);
  let server: FakeLlmServer;
  let dir: string;
  let store: string;
  let replayId: string;

  before(async () => {
    server = await startFakeLlmServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-compare-cli-'));
    store = path.join(dir, 'store');
    assert.equal((await runCli(['import', FIXTURE, '--store', store])).code, 0);
    const [trace] = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout) as { id: string }[];
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
    const run = await runCliWithEnv(
      ['replay', trace.id, '--param', 'temperature=0.5', '--store', store, '--json'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    replayId = (JSON.parse(run.stdout) as { id: string }).id;
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a terminal table with trend arrows, the span tree and the diffs', async () => {
    const run = await runCli(['compare', replayId, '--store', store]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Metric\s+Original\s+Replay\s+Delta/m);
    assert.match(run.stdout, /^Input tokens\s+69\s+\d+\s+[▲▼=]/m);
    // Two LLM calls both named "OpenAI Chat Completions": told apart by step and model.
    assert.match(run.stdout, /^replayed\s+#1 gpt-4o-mini\S*\s+llm/m);
    assert.match(run.stdout, /^replayed\s+#2 gpt-4o-mini\S*\s+llm/m);
    assert.match(run.stdout, /^#1 gpt-4o-mini\S* \(OpenAI Chat Completions, /m);
    assert.match(run.stdout, /^reused\s+get_weather\s+tool/m);
    assert.match(run.stdout, /temperature: 0 → 0\.5/);
  });

  it('prints the documented JSON and markdown', async () => {
    const json = await runCli(['compare', replayId, '--store', store, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const c = JSON.parse(json.stdout);
    assert.equal(c.replayId, replayId);
    for (const key of ['metrics', 'spans', 'scores']) assert.ok(key in c, `comparison JSON has ${key}`);
    assert.equal(c.metrics.inputTokens.original, 69);
    assert.equal(c.spans.filter((s: { status: string }) => s.status === 'replayed').length, 2);
    const md = await runCli(['compare', replayId, '--store', store, '--format', 'md']);
    assert.match(md.stdout, /^\| *Metric *\|/m);
  });

  it('writes a self-contained HTML report with the comparison embedded as data', async () => {
    const file = path.join(dir, 'report.html');
    const run = await runCli(['compare', replayId, '--store', store, '--html', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /HTML report: .*report\.html/);
    const html = await readFile(file, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.match(html, /Content-Security-Policy/);
    assert.ok(html.includes(replayId), 'the comparison data is embedded');
  });

  it('says (exit 1, no stack) when the HTML report cannot be written', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const run = await runCli(['compare', replayId, '--store', store, '--html', path.join(blocker, 'report.html')]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^trace-replay: Cannot write --html .*report\.html \(E[A-Z]+\); check that the path /m);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  });

  it('says what to do for an unknown replay id or format', async () => {
    const unknown = await runCli(['compare', 'no-such-job', '--store', store]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /There is no replay job no-such-job/);
    const badFormat = await runCli(['compare', replayId, '--store', store, '--format', 'html']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of text, md, json/);
  });
});
