// `--tools live` on the CLI: the MCP servers of `--mcp-config FILE` (default: .vscode/mcp.json of the
// current folder) are started before any job, their tools listed on stderr (what will really run),
// and the host is shared by every job of the run, then closed; --tool-timeout SECONDS bounds each tool
// call (default 60 s: a call past it stops that replay). The policy is refused without
// --allow-live-tools (tools may change files or call services), and on a Redis queue (the workers
// have no MCP servers).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readMcpConfig, workspaceMcpConfigPath } from '../core/tools/mcp-config';
import { liveToolsSummary } from '../core/tools/live-tools-summary';
import { createMcpToolHost, DEFAULT_TOOL_CALL_TIMEOUT_MS } from '../core/tools/mcp-tool-host';
import type { ToolHost } from '../core/tools/tool-host';
import type { ReplayOverrides } from '../core/replay/replay-types';
import { CliError } from './cli-error';

export interface LiveToolOptions {
  mcpConfig?: string;
  allowLiveTools?: boolean;
  maxSteps?: number;
  /** --tool-timeout: seconds one tool call may take. */
  toolTimeout?: number;
  queue?: string;
}

/** --tool-timeout's value: seconds, more than 0 (fractions allowed). */
export function parseToolTimeout(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new CliError(
      `--tool-timeout takes the seconds one tool call may take, more than 0 (default ${DEFAULT_TOOL_CALL_TIMEOUT_MS / 1000}), got "${value}".`,
      'usage',
    );
  return n;
}

/** The checks of the live-tool options against the policy, before anything is read. */
export function checkLiveToolOptions(opts: LiveToolOptions, overrides: ReplayOverrides): void {
  const live = overrides.toolPolicy === 'live';
  if (!live) {
    const given = [
      opts.mcpConfig !== undefined ? '--mcp-config' : undefined,
      opts.allowLiveTools ? '--allow-live-tools' : undefined,
      opts.maxSteps !== undefined ? '--max-steps' : undefined,
      opts.toolTimeout !== undefined ? '--tool-timeout' : undefined,
    ].filter((o) => o !== undefined);
    if (given.length > 0)
      throw new CliError(
        `${given.join(', ')} only ${given.length === 1 ? 'applies' : 'apply'} to live tools; add --tools live (or drop ${given.length === 1 ? 'it' : 'them'}).`,
        'usage',
      );
    return;
  }
  if (!opts.allowLiveTools)
    throw new CliError(
      'Live tools need an MCP server that runs your tools for real (they may change files or call services); add --allow-live-tools to allow --tools live.',
      'usage',
    );
  if (opts.queue)
    throw new CliError(
      '--tools live runs tools on the MCP servers configured here, and the workers of a Redis queue have none; replay without --queue.',
      'usage',
    );
  if (opts.maxSteps !== undefined) overrides.maxSteps = opts.maxSteps;
}

/** Starts the MCP servers for a live run (undefined when the policy is not live) and says on stderr
 *  which tools will really run. Rejects with the typed config / start error. */
export async function openLiveToolHost(
  opts: LiveToolOptions,
  overrides: ReplayOverrides,
  cwd = process.cwd(),
): Promise<ToolHost | undefined> {
  if (overrides.toolPolicy !== 'live') return undefined;
  const file = opts.mcpConfig !== undefined ? path.resolve(cwd, opts.mcpConfig) : workspaceMcpConfigPath(cwd);
  if (opts.mcpConfig === undefined && !existsSync(file))
    throw new CliError(
      `--tools live calls the MCP servers of ${file}, which does not exist; run in the workspace folder that has it, or give the file with --mcp-config FILE.`,
      'usage',
    );
  const config = await readMcpConfig(file, { workspaceFolder: cwd });
  const host = createMcpToolHost(
    config,
    opts.toolTimeout !== undefined ? { callTimeoutMs: Math.round(opts.toolTimeout * 1000) } : {},
  );
  try {
    const tools = await host.tools();
    for (const warning of host.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stderr.write(`trace-replay: live tools from ${file} run for real: ${liveToolsSummary(tools)}\n`);
    return host;
  } catch (err) {
    await host.close();
    throw err;
  }
}
