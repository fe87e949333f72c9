// A real stdio MCP server built with the official SDK (McpServer + StdioServerTransport), for the live
// tool tests. Tools: get_weather(city) and get_time(zone), both deterministic; fail_tool() answers
// with a tool error. Every call it serves is appended as one JSON line ({tool, args}) to the file
// named by MCP_CALL_LOG (when set), so tests assert what really ran, and a `<exit>` line when it ends. MCP_TOOL_PREFIX prefixes the
// tool names (two servers offering different names); MCP_FAIL_START=1 makes it write a line to stderr
// and exit before the handshake; MCP_SECRET is echoed to stderr on a failed start (a test checks that
// it is redacted). Run: node --import tsx test/support/mcp/weather-mcp-server.ts
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const log = process.env.MCP_CALL_LOG;
const prefix = process.env.MCP_TOOL_PREFIX ?? '';

function served(tool: string, args: unknown): void {
  if (log) appendFileSync(log, `${JSON.stringify({ tool, args })}\n`);
}

/** The forecast of a city: the same for the same name, different for most names. */
export function forecastOf(city: string): { city: string; forecast: string; temperatureC: number } {
  const sum = [...city].reduce((n, c) => n + c.charCodeAt(0), 0);
  return { city, forecast: ['sunny', 'cloudy', 'rainy', 'windy'][sum % 4], temperatureC: 5 + (sum % 20) };
}

async function main(): Promise<void> {
  if (process.env.MCP_FAIL_START === '1') {
    process.stderr.write('starting weather server\n');
    process.stderr.write(`fatal: the weather API refused key ${process.env.MCP_SECRET ?? ''}\n`);
    process.exit(3);
  }
  const server = new McpServer({ name: 'weather', version: '1.0.0' });
  server.registerTool(
    `${prefix}get_weather`,
    { description: 'The weather in a city.', inputSchema: { city: z.string() } },
    ({ city }) => {
      served(`${prefix}get_weather`, { city });
      return { content: [{ type: 'text', text: JSON.stringify(forecastOf(city)) }] };
    },
  );
  server.registerTool(
    `${prefix}get_time`,
    { description: 'The time in a time zone.', inputSchema: { zone: z.string() } },
    ({ zone }) => {
      served(`${prefix}get_time`, { zone });
      return { content: [{ type: 'text', text: `12:00 in ${zone}` }] };
    },
  );
  server.registerTool(`${prefix}fail_tool`, { description: 'Always fails.' }, () => {
    served(`${prefix}fail_tool`, {});
    return { content: [{ type: 'text', text: 'the tool broke' }], isError: true };
  });
  await server.connect(new StdioServerTransport());
  // The log's last line says the process ended (the client closed stdin, or killed it gently).
  process.on('exit', () => served('<exit>', {}));
  process.on('SIGTERM', () => process.exit(0));
}

void main();
