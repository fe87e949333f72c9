// The tool-drift report as a user gets it from the CLI (the real CLI through tsx, the OpenAI SDK
// pointed at the fake LLM server): a captured agent trace replayed with a model that asks for the
// weather of another city; `replay --json`'s comparison and `compare --format json|text|md` carry it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { runCli, runCliWithEnv } from '../cli/cli-helpers';
import { FIXTURES } from '../replay/replay-test-helpers';

describe('CLI: the tool-call drift report', function () {
  this.timeout(60000);
  let server: FakeLlmServer;
  let dir: string;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.close());
  beforeEach(async () => {
    server.reset();
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-tool-drift-cli-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('replay --json and compare --format json|text|md report the changed call key by key', async () => {
    const store = path.join(dir, 'store');
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
    const imported = await runCli(['import', path.join(FIXTURES, 'traceloop-openai-agent.json'), '--store', store]);
    assert.equal(imported.code, 0, imported.stderr);
    const [trace] = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout) as { id: string }[];
    server.enqueue([
      { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Lyon' } }] },
      { text: 'It is sunny in Lyon.' },
    ]);
    const run = await runCliWithEnv(['replay', trace.id, '--store', store, '--json', '--no-cache'], env);
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as {
      id: string;
      comparison: { toolDrift: unknown[]; toolDriftCounts: Record<string, number> };
    };
    const expected = [
      {
        spanId: (job.comparison.toolDrift[0] as { spanId: string }).spanId,
        recorded: { name: 'get_weather', arguments: { city: 'Paris' } },
        replay: { name: 'get_weather', arguments: { city: 'Lyon' } },
        status: 'changed',
        result: 'recorded',
      },
    ];
    assert.deepEqual(job.comparison.toolDrift, expected);
    assert.deepEqual(job.comparison.toolDriftCounts, { matched: 0, changed: 1, missing: 0, new: 0 });

    const json = await runCli(['compare', job.id, '--store', store, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as { toolDrift: unknown }).toolDrift, expected);

    const text = await runCli(['compare', job.id, '--store', store]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\nTool calls \(0 matched, 1 changed, 0 missing, 0 new\)\n/);
    assert.match(
      text.stdout,
      / · changed · get_weather\(\{"city":"Paris"\}\) → get_weather\(\{"city":"Lyon"\}\) · result recorded\n {6}city: "Paris" → "Lyon"\n/,
    );

    const md = await runCli(['compare', job.id, '--store', store, '--format', 'md']);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /### Tool calls\n\n0 matched, 1 changed, 0 missing, 0 new\.\n/);
  });
});
