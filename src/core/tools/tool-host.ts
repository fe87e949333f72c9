// The port through which a replay runs a tool for real (live tool mode): which tools are offered, and
// one call. The MCP implementation is mcp-tool-host.ts; the replay's agent loop
// (core/replay/live-tool-loop.ts) only sees this.
import type { ToolDefinition } from '../model/trace';

export interface OfferedTool {
  /** The configured server that runs it. */
  server: string;
  definition: ToolDefinition;
}

export interface ToolCallOutcome {
  server: string;
  /** The result as text (JSON results are kept as their JSON text), as a tool_result carries it. */
  content: string;
  /** The tool answered with an error (it goes back to the model as an error result). */
  isError: boolean;
  /** What could not be carried over into text (images, audio, ...). */
  warnings: string[];
}

export interface ToolHost {
  /** The tools offered, by name (the first call connects). Rejects with a typed error when a server
   *  cannot be started. */
  tools(signal?: AbortSignal): Promise<ReadonlyMap<string, OfferedTool>>;
  /** Runs one offered tool. A tool that fails answers isError; only a call that cannot be made at
   *  all (server gone, cancelled) rejects. */
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolCallOutcome>;
  /** What the host noticed while connecting (a tool name offered twice, config warnings). */
  readonly warnings: readonly string[];
  /** Ends every server it started. */
  close(): Promise<void>;
}
