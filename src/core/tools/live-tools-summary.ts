// What a live replay will really run, in one line: the tools each MCP server offers (the CLI prints
// it before any job; the VS Code wizard can show the same line before the user confirms).
import type { OfferedTool } from './tool-host';

export function liveToolsSummary(tools: ReadonlyMap<string, OfferedTool>): string {
  const byServer = new Map<string, string[]>();
  for (const [name, tool] of tools) byServer.set(tool.server, [...(byServer.get(tool.server) ?? []), name]);
  const list = [...byServer].map(([server, names]) => `${names.sort().join(', ')} (${server})`).join('; ');
  return list || 'none (every call falls back to its recorded result)';
}
