// `trace-replay replay --tools live` with the real CLI (tsx child process), the fake LLM server and
// the weather MCP server named by --mcp-config: refused without --allow-live-tools; with it, the
// servers' tools are listed on stderr before anything runs, the tool really runs, --max-steps
// stops a runaway agent and --tool-timeout a tool that never answers, with exit 1 and the sentence.
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, runCliWithEnv } from '../cli/cli-helpers';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { mcpTestFolder, weatherServerEntry, type McpTestFolder } from '../../support/mcp/weather-server-config';
import { FIXTURES } from './replay-test-helpers';

describe('CLI: replay --tools live (MCP servers of --mcp-config)', function () {
  this.timeout(120_000);
  let llm: FakeLlmServer;
  let mcp: McpTestFolder;
  let store: string;
  let env: Record<string, string>;
  let traceId: string;
  let config: string;

  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => llm.close());
  beforeEach(async () => {
    llm.reset();
    mcp = await mcpTestFolder();
    store = path.join(mcp.dir, 'store');
    env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl };
    config = await mcp.writeConfig(
      { servers: { weather: weatherServerEntry({ MCP_CALL_LOG: mcp.callLog }) } },
      'servers.json',
    );
    const imported = await runCli(['import', path.join(FIXTURES, 'traceloop-openai-agent.json'), '--store', store]);
    assert.equal(imported.code, 0, imported.stderr);
    const listed = await runCli(['traces', '--store', store, '--json']);
    traceId = (JSON.parse(listed.stdout) as { id: string }[])[0].id;
  });
  afterEach(async () => mcp.dispose());

  it('refuses live without --allow-live-tools, and the live options without --tools live (exit 2, nothing sent)', async () => {
    const refused = await runCliWithEnv(
      ['replay', traceId, '--tools', 'live', '--mcp-config', config, '--store', store],
      env,
    );
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /Live tools need an MCP server that runs your tools for real .*add --allow-live-tools/,
    );
    const stray = await runCliWithEnv(['replay', traceId, '--max-steps', '3', '--store', store], env);
    assert.equal(stray.code, 2, stray.stderr);
    assert.match(stray.stderr, /--max-steps only applies to live tools; add --tools live/);
    assert.equal(llm.requests.length, 0);
    assert.deepEqual(await mcp.servedCalls(), []);
  });

  it('runs the tool for real, says which tools run, and continues from the live result', async () => {
    llm.enqueue([
      { toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { text: 'Oslo it is.' },
    ]);
    const run = await runCliWithEnv(
      ['replay', traceId, '--tools', 'live', '--allow-live-tools', '--mcp-config', config, '--store', store, '--json'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /live tools from .*servers\.json run for real: fail_tool, get_time, get_weather, order_lookup \(weather\)/,
    );
    assert.deepEqual(
      (await mcp.servedCalls()).filter((c) => c.tool !== '<exit>'),
      [{ tool: 'get_weather', args: { city: 'Oslo' } }],
    );
    assert.ok(
      (await mcp.servedCalls()).some((c) => c.tool === '<exit>'),
      'the server was closed at the end',
    );
    const job = JSON.parse(run.stdout) as { status: string; overrides: { toolPolicy: string } };
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.overrides.toolPolicy, 'live');
  });

  it('--max-steps stops a runaway agent: exit 1 with the sentence', async () => {
    llm.setResponder(() => ({ toolCalls: [{ name: 'get_time', arguments: { zone: 'UTC' } }] }));
    const run = await runCliWithEnv(
      [
        'replay',
        traceId,
        '--tools',
        'live',
        '--allow-live-tools',
        '--mcp-config',
        config,
        '--max-steps',
        '1',
        '--store',
        store,
        '--json',
      ],
      env,
    );
    assert.equal(run.code, 1, run.stderr);
    const job = JSON.parse(run.stdout) as { status: string; error: string; errorCode: string };
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.match(job.error, /^stopped after 1 step \(--max-steps\) without running the tools/);
    assert.equal(llm.requests.length, 2);
  });

  it('--tool-timeout: a tool that never answers stops the replay after that many seconds, in one sentence', async () => {
    const stray = await runCliWithEnv(['replay', traceId, '--tool-timeout', '5', '--store', store], env);
    assert.equal(stray.code, 2, stray.stderr);
    assert.match(stray.stderr, /--tool-timeout only applies to live tools; add --tools live \(or drop it\)/);
    const zero = await runCliWithEnv(['replay', traceId, '--tool-timeout', '0', '--store', store], env);
    assert.equal(zero.code, 2, zero.stderr);
    assert.match(zero.stderr, /--tool-timeout takes the seconds one tool call may take, more than 0 \(default 60\)/);
    assert.equal(llm.requests.length, 0);

    const faulty = await mcp.writeConfig(
      { servers: { weather: weatherServerEntry({ MCP_CALL_LOG: mcp.callLog, MCP_FAULT_TOOLS: '1' }) } },
      'faulty.json',
    );
    llm.enqueue([{ toolCalls: [{ id: 'h1', name: 'hang', arguments: {} }] }, { text: 'never sent' }]);
    const args = ['--tools', 'live', '--allow-live-tools', '--mcp-config', faulty, '--tool-timeout', '0.5'];
    const run = await runCliWithEnv(['replay', traceId, ...args, '--store', store, '--json'], env);
    assert.equal(run.code, 1, run.stderr);
    const job = JSON.parse(run.stdout) as { status: string; error: string; errorCode: string; replayTraceId?: string };
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.match(job.error, /^The MCP server "weather" did not answer the call of the tool hang within 0\.5 s;/);
    assert.ok(job.replayTraceId, 'the replayed trace so far is kept');
    assert.equal(llm.requests.length, 1);
  });

  it('a broken MCP config is a usage error before any provider call', async () => {
    const bad = await mcp.writeConfig('{"servers": {"x": {"type": "stdio"}}}', 'bad.json');
    const run = await runCliWithEnv(
      ['replay', traceId, '--tools', 'live', '--allow-live-tools', '--mcp-config', bad, '--store', store],
      env,
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /The MCP config .*bad\.json has a stdio server "x" without a "command"/);
    assert.equal(llm.requests.length, 0);
  });
});
