// How tests configure the weather MCP server (weather-mcp-server.ts) in an mcp.json: a stdio entry
// that runs it with node --import tsx from the project root, and a temp folder for the file and the
// call log the server appends to.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../../..');
export const WEATHER_SERVER = path.join(__dirname, 'weather-mcp-server.ts');

/** The mcp.json entry of the weather server; `env` goes into the entry's env. */
export function weatherServerEntry(env: Record<string, string> = {}): Record<string, unknown> {
  return {
    type: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', WEATHER_SERVER],
    cwd: PROJECT_ROOT,
    env,
  };
}

export interface McpTestFolder {
  dir: string;
  /** The file the servers append their served calls to (MCP_CALL_LOG). */
  callLog: string;
  /** Writes `<dir>/.vscode/mcp.json` (or `name`) and returns its path. */
  writeConfig(config: unknown, name?: string): Promise<string>;
  /** The calls the servers served, in order. */
  servedCalls(): Promise<{ tool: string; args: unknown }[]>;
  dispose(): Promise<void>;
}

export async function mcpTestFolder(): Promise<McpTestFolder> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-mcp-'));
  const callLog = path.join(dir, 'calls.jsonl');
  return {
    dir,
    callLog,
    async writeConfig(config, name = path.join('.vscode', 'mcp.json')) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
      return file;
    },
    async servedCalls() {
      const text = await readFile(callLog, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { tool: string; args: unknown });
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
