// Reading VS Code's mcp.json format: stdio and http servers, comments and trailing commas, variables
// (${workspaceFolder}, ${env:NAME}, ${input:ID} refused from here), envFile, and the typed errors of a
// broken file.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnvFile } from '../../../src/core/tools/env-file';
import { parseJsonc } from '../../../src/core/tools/jsonc';
import { parseMcpConfig, readMcpConfig } from '../../../src/core/tools/mcp-config';
import { McpConfigError, McpInputVariableError } from '../../../src/core/tools/mcp-errors';
import { mcpTestFolder, type McpTestFolder } from '../../support/mcp/weather-server-config';

describe('MCP config (VS Code mcp.json format)', () => {
  let t: McpTestFolder;
  beforeEach(async () => {
    t = await mcpTestFolder();
  });
  afterEach(async () => t.dispose());

  it('reads stdio and http servers in file order, with comments and trailing commas, resolving variables', async () => {
    const file = await t.writeConfig(`{
      // the servers VS Code starts
      "inputs": [{ "type": "promptString", "id": "unused", "password": true }],
      "servers": {
        "weather": {
          "type": "stdio",
          "command": "node",
          "args": ["\${workspaceFolder}/server.js", "--city", 3,],
          "env": { "API_KEY": "\${env:TR_TEST_KEY}", "DROP": null, "N": 2 },
          "cwd": "tools", /* relative to the workspace folder */
        },
        "remote": { "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer \${env:TR_TEST_KEY}" } },
        "legacy": { "type": "sse", "url": "http://127.0.0.1:9/sse" },
        "implicit": { "command": "python", "args": ["srv.py"] },
      },
    }`);
    const config = await readMcpConfig(file, { env: { TR_TEST_KEY: 'k-123456' } });
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(
      config.servers.map((s) => [s.name, s.type]),
      [
        ['weather', 'stdio'],
        ['remote', 'http'],
        ['legacy', 'sse'],
        ['implicit', 'stdio'],
      ],
    );
    const [weather, remote] = config.servers;
    assert.equal(weather.type, 'stdio');
    if (weather.type !== 'stdio') return;
    // .vscode/mcp.json: the workspace folder is the folder holding .vscode.
    assert.deepEqual(weather.args, [`${t.dir}/server.js`, '--city', '3']);
    assert.deepEqual(weather.env, { API_KEY: 'k-123456', DROP: null, N: '2' });
    assert.equal(weather.cwd, path.join(t.dir, 'tools'));
    assert.deepEqual(remote, {
      name: 'remote',
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer k-123456' },
    });
  });

  it('envFile: its values under the entry env (env wins); an unset ${env:NAME} is left empty with a warning', async () => {
    await writeFile(path.join(t.dir, '.env'), '# keys\nexport A=one\nB="two\\nlines" # quoted\nC=three # comment\n');
    const file = await t.writeConfig({
      servers: {
        s: { command: 'x', envFile: '${workspaceFolder}/.env', env: { C: 'from-env', D: '${env:TR_UNSET_VAR}' } },
      },
    });
    const config = await readMcpConfig(file, { env: {} });
    const [s] = config.servers;
    assert.equal(s.type, 'stdio');
    if (s.type !== 'stdio') return;
    assert.deepEqual(s.env, { A: 'one', B: 'two\nlines', C: 'from-env', D: '' });
    assert.equal(config.warnings.length, 1);
    assert.match(config.warnings[0], /"s": env\.D uses \$\{env:TR_UNSET_VAR\}, which is not set; .*set TR_UNSET_VAR/);
  });

  it('${input:ID}: refused in one sentence naming the server and the variable, unless the caller answers it', async () => {
    const text = JSON.stringify({
      servers: {
        github: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: '${input:token}' } },
      },
    });
    await assert.rejects(parseMcpConfig(text, 'mcp.json'), (err: unknown) => {
      assert.ok(err instanceof McpInputVariableError);
      assert.equal(err.code, 'MCP_INPUT_VARIABLE');
      assert.equal(err.kind, 'usage');
      assert.match(err.message, /"github" uses \$\{input:token\}, .*environment variable.*\$\{env:NAME\}/);
      assert.equal(err.message.split('. ').length, 1, 'one sentence');
      return true;
    });
    const answered = await parseMcpConfig(text, 'mcp.json', { input: (server, id) => `${server}:${id}` });
    assert.deepEqual((answered.servers[0] as { headers: unknown }).headers, { Authorization: 'github:token' });
  });

  const broken: [string, string, RegExp][] = [
    ['bad JSON', '{"servers": {', /is not valid JSON/],
    ['no servers', '{"inputs": []}', /has no "servers" object/],
    ['no server', '{"servers": {}}', /configures no server/],
    ['missing command', '{"servers": {"a": {"type": "stdio", "args": []}}}', /stdio server "a" without a "command"/],
    ['neither', '{"servers": {"a": {"args": []}}}', /server "a" with neither a "command"/],
    ['unknown type', '{"servers": {"a": {"type": "ws", "url": "ws://x"}}}', /the type "ws"/],
    ['args', '{"servers": {"a": {"command": "x", "args": "y"}}}', /"args" for server "a"/],
    ['url', '{"servers": {"a": {"type": "http", "url": "ftp://x"}}}', /not an http\(s\) URL/],
    ['config variable', '{"servers": {"a": {"command": "${config:x}"}}}', /\$\{config:x\} in command of server "a"/],
  ];
  for (const [name, text, message] of broken) {
    it(`typed error: ${name}`, async () => {
      await assert.rejects(parseMcpConfig(text, '/w/.vscode/mcp.json'), (err: unknown) => {
        assert.ok(err instanceof McpConfigError, String(err));
        assert.equal(err.code, 'MCP_CONFIG_INVALID');
        assert.match(err.message, /^The MCP config \/w\/\.vscode\/mcp\.json /);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('a missing file and a missing envFile are typed errors naming the path', async () => {
    await assert.rejects(readMcpConfig(path.join(t.dir, 'nope.json')), /nope\.json does not exist/);
    const file = await t.writeConfig({ servers: { s: { command: 'x', envFile: 'missing.env' } } });
    await assert.rejects(readMcpConfig(file), (err: unknown) => {
      assert.ok(err instanceof McpConfigError);
      assert.match(err.message, /envFile .*missing\.env for server "s", which cannot be read/);
      return true;
    });
  });

  it('JSONC: comments inside strings are kept; env files report lines that are not KEY=value', () => {
    assert.deepEqual(parseJsonc('{"a": "http://x//y", /* c */ "b": [1, 2,], // end\n}'), {
      a: 'http://x//y',
      b: [1, 2],
    });
    assert.deepEqual(parseEnvFile("A='x y'\nnot a line\n\nB=1"), { values: { A: 'x y', B: '1' }, badLines: [2] });
  });
});
