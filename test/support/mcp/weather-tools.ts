// The weather MCP server's tools (McpServer from the official SDK), shared by the stdio entry point
// (weather-mcp-server.ts) and tests that serve it over Streamable HTTP in-process. Tools:
// get_weather(city) and get_time(zone), deterministic; order_lookup(orderId) answers plain text, not
// JSON (orderStatusText); fail_tool() answers with a tool error. With `faults`, two more: crash_server()
// ends the server process mid-call (exit 1, after a stderr line), hang() never answers. Every call
// served is appended as one JSON line ({tool, args}) to `callLog` when given, so tests assert what
// really ran. `prefix` prefixes the tool names.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** The forecast of a city: the same for the same name, different for most names. */
export function forecastOf(city: string): { city: string; forecast: string; temperatureC: number } {
  const sum = [...city].reduce((n, c) => n + c.charCodeAt(0), 0);
  return { city, forecast: ['sunny', 'cloudy', 'rainy', 'windy'][sum % 4], temperatureC: 5 + (sum % 20) };
}

/** What order_lookup answers: one line of text (a result that is not JSON). */
export function orderStatusText(orderId: string): string {
  return `Order ${orderId}: shipped on 2026-12-01, arriving Friday.`;
}

export function logServed(callLog: string | undefined, tool: string, args: unknown): void {
  if (callLog) appendFileSync(callLog, `${JSON.stringify({ tool, args })}\n`);
}

export function createWeatherServer(options: { callLog?: string; prefix?: string; faults?: boolean } = {}): McpServer {
  const { callLog } = options;
  const prefix = options.prefix ?? '';
  const server = new McpServer({ name: 'weather', version: '1.0.0' });
  server.registerTool(
    `${prefix}get_weather`,
    { description: 'The weather in a city.', inputSchema: { city: z.string() } },
    ({ city }) => {
      logServed(callLog, `${prefix}get_weather`, { city });
      return { content: [{ type: 'text', text: JSON.stringify(forecastOf(city)) }] };
    },
  );
  server.registerTool(
    `${prefix}get_time`,
    { description: 'The time in a time zone.', inputSchema: { zone: z.string() } },
    ({ zone }) => {
      logServed(callLog, `${prefix}get_time`, { zone });
      return { content: [{ type: 'text', text: `12:00 in ${zone}` }] };
    },
  );
  server.registerTool(
    `${prefix}order_lookup`,
    { description: 'The status of an order.', inputSchema: { orderId: z.string() } },
    ({ orderId }) => {
      logServed(callLog, `${prefix}order_lookup`, { orderId });
      return { content: [{ type: 'text', text: orderStatusText(orderId) }] };
    },
  );
  server.registerTool(`${prefix}fail_tool`, { description: 'Always fails.' }, () => {
    logServed(callLog, `${prefix}fail_tool`, {});
    return { content: [{ type: 'text', text: 'the tool broke' }], isError: true };
  });
  if (options.faults) {
    server.registerTool(`${prefix}crash_server`, { description: 'Ends the server mid-call.' }, () => {
      logServed(callLog, `${prefix}crash_server`, {});
      process.stderr.write('weather server: crashing on purpose\n');
      process.exit(1);
    });
    server.registerTool(`${prefix}hang`, { description: 'Never answers.' }, () => {
      logServed(callLog, `${prefix}hang`, {});
      return new Promise<never>(() => undefined);
    });
  }
  return server;
}
