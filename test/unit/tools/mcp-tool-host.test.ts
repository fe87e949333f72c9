// The MCP tool host against real stdio MCP servers built with the SDK (test/support/mcp): tools listed
// per server (a name offered twice: the first server wins, with a warning), calls served for real
// (the server's call log says so), tool errors come back as error results, a server that cannot
// start is one sentence with its name and its stderr's last line (secrets redacted), close() ends the
// server processes.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { readMcpConfig } from '../../../src/core/tools/mcp-config';
import { McpServerStartError } from '../../../src/core/tools/mcp-errors';
import { createMcpToolHost } from '../../../src/core/tools/mcp-tool-host';
import type { ToolHost } from '../../../src/core/tools/tool-host';
import { createWeatherServer, forecastOf } from '../../support/mcp/weather-tools';
import { mcpTestFolder, weatherServerEntry, type McpTestFolder } from '../../support/mcp/weather-server-config';

describe('MCP tool host (real stdio MCP servers)', function () {
  this.timeout(60_000);
  let t: McpTestFolder;
  let host: ToolHost | undefined;
  beforeEach(async () => {
    t = await mcpTestFolder();
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
    await t.dispose();
  });

  it('lists the tools of every server, first server wins a shared name with a warning, and runs calls for real', async () => {
    const file = await t.writeConfig({
      servers: {
        weather: weatherServerEntry({ MCP_CALL_LOG: t.callLog }),
        clock: weatherServerEntry({ MCP_CALL_LOG: t.callLog, MCP_TOOL_PREFIX: '' }),
      },
    });
    host = createMcpToolHost(await readMcpConfig(file));
    const tools = await host.tools();
    assert.deepEqual([...tools.keys()].sort(), ['fail_tool', 'get_time', 'get_weather', 'order_lookup']);
    assert.equal(tools.get('get_weather')?.server, 'weather');
    assert.deepEqual(tools.get('get_weather')?.definition.parameters?.required, ['city']);
    assert.equal(host.warnings.length, 4);
    assert.match(host.warnings[0], /get_weather is offered by MCP servers "weather" and "clock"; .*first one/);

    const result = await host.call('get_weather', { city: 'Lyon' });
    assert.deepEqual(result, {
      server: 'weather',
      content: JSON.stringify(forecastOf('Lyon')),
      isError: false,
      warnings: [],
    });
    const failed = await host.call('fail_tool', {});
    assert.equal(failed.isError, true);
    assert.equal(failed.content, 'the tool broke');
    const refused = await host.call('get_time', { zone: 42 });
    assert.equal(refused.isError, true, 'bad arguments come back as an error result');
    assert.match(refused.warnings[0] ?? refused.content, /get_time|zone/);
    assert.deepEqual(await t.servedCalls(), [
      { tool: 'get_weather', args: { city: 'Lyon' } },
      { tool: 'fail_tool', args: {} },
    ]);
    await host.close();
    assert.deepEqual(
      (await t.servedCalls()).filter((c) => c.tool === '<exit>').length,
      2,
      'both server processes ended',
    );
    host = undefined;
  });

  it('connects once however many calls, and close() ends the server process', async () => {
    const file = await t.writeConfig({ servers: { weather: weatherServerEntry({ MCP_CALL_LOG: t.callLog }) } });
    host = createMcpToolHost(await readMcpConfig(file));
    const [a, b] = await Promise.all([host.tools(), host.tools()]);
    assert.equal(a, b, 'one connection');
    await host.call('get_time', { zone: 'UTC' });
    assert.deepEqual(await t.servedCalls(), [{ tool: 'get_time', args: { zone: 'UTC' } }]);
    await host.close();
    assert.deepEqual(
      (await t.servedCalls()).map((c) => c.tool),
      ['get_time', '<exit>'],
      'the server process ended',
    );
    await assert.rejects(host.tools(), /closed/);
    host = undefined;
  });

  it('a server that fails to start: one sentence with its name and its stderr last line, without its env values', async () => {
    const secret = 'sk-live-very-secret-value';
    const file = await t.writeConfig({
      servers: {
        broken: weatherServerEntry({ MCP_FAIL_START: '1', MCP_SECRET: secret }),
      },
    });
    host = createMcpToolHost(await readMcpConfig(file));
    await assert.rejects(host.tools(), (err: unknown) => {
      assert.ok(err instanceof McpServerStartError, String(err));
      assert.equal(err.code, 'MCP_SERVER_START_FAILED');
      assert.match(err.message, /^The MCP server "broken" did not start \(/);
      assert.match(err.message, /its stderr said: fatal: the weather API refused key \*\*\*\)/);
      assert.ok(!err.message.includes(secret), 'the env value is redacted');
      return true;
    });
  });

  it('an http server (Streamable HTTP): the configured headers reach it, its tools run', async () => {
    const authorizations: (string | undefined)[] = [];
    // Stateless: a fresh MCP server and transport per request, as the SDK's examples serve it.
    const http: Server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      const server = createWeatherServer({ callLog: t.callLog });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void transport.close().then(() => server.close()));
      void server.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
      const file = await t.writeConfig({
        servers: { remote: { type: 'http', url, headers: { Authorization: 'Bearer ${env:TR_MCP_TOKEN}' } } },
      });
      host = createMcpToolHost(await readMcpConfig(file, { env: { TR_MCP_TOKEN: 'tok-1234' } }));
      assert.equal((await host.tools()).get('get_time')?.server, 'remote');
      const result = await host.call('get_time', { zone: 'UTC' });
      assert.equal(result.content, '12:00 in UTC');
      assert.deepEqual(await t.servedCalls(), [{ tool: 'get_time', args: { zone: 'UTC' } }]);
      assert.ok(authorizations.length >= 2);
      assert.ok(
        authorizations.every((a) => a === 'Bearer tok-1234'),
        'every request carries the header',
      );
      await host.close();
      host = undefined;
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('a command that does not exist: the spawn error, named', async () => {
    const file = await t.writeConfig({ servers: { ghost: { command: '/nonexistent/mcp-server-bin' } } });
    host = createMcpToolHost(await readMcpConfig(file));
    await assert.rejects(host.tools(), /"ghost" did not start \(.*ENOENT.*it wrote nothing to stderr\)/);
  });
});
