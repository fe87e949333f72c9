// A real stdio MCP server built with the official SDK (McpServer + StdioServerTransport) serving the
// weather tools (weather-tools.ts), for the live tool tests. Env: MCP_CALL_LOG names the file every
// served call is appended to (and an `<exit>` line when the process ends); MCP_TOOL_PREFIX prefixes
// the tool names; MCP_FAULT_TOOLS=1 adds crash_server and hang (see weather-tools.ts);
// MCP_FAIL_START=1 makes it write to stderr and exit before the handshake, echoing
// MCP_SECRET (a test checks that it is redacted). Run: node --import tsx test/support/mcp/weather-mcp-server.ts
// (an entry point only: tests import weather-tools.ts, never this file).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createWeatherServer, logServed } from './weather-tools';

async function main(): Promise<void> {
  if (process.env.MCP_FAIL_START === '1') {
    process.stderr.write('starting weather server\n');
    process.stderr.write(`fatal: the weather API refused key ${process.env.MCP_SECRET ?? ''}\n`);
    process.exit(3);
  }
  const callLog = process.env.MCP_CALL_LOG;
  const server = createWeatherServer({
    callLog,
    prefix: process.env.MCP_TOOL_PREFIX ?? '',
    faults: process.env.MCP_FAULT_TOOLS === '1',
  });
  await server.connect(new StdioServerTransport());
  // The log's last line says the process ended (the client closed stdin, or killed it gently).
  process.on('exit', () => logServed(callLog, '<exit>', {}));
  process.on('SIGTERM', () => process.exit(0));
}

void main();
