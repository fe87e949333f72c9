// Typed errors of the live-tool part (MCP server configs and the servers themselves). Messages are one
// sentence naming the server and the fix; they never carry a server's environment or header values.
import { UserError } from '../util/user-error';

/** The MCP config file cannot be read or is not the VS Code mcp.json format (bad JSON, a server
 *  without command or url, a field of the wrong type, an env file that is missing). */
export class McpConfigError extends UserError {
  readonly code = 'MCP_CONFIG_INVALID';
  override readonly kind = 'usage';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `The MCP config ${path} ${detail}; fix it in VS Code's mcp.json format ({"servers": {"<name>": {"type": "stdio", "command": "...", "args": [...]}}} or {"type": "http", "url": "..."}).`,
    );
    this.name = 'McpConfigError';
  }
}

/** A server's config uses `${input:ID}`, which only VS Code can prompt for. */
export class McpInputVariableError extends UserError {
  readonly code = 'MCP_INPUT_VARIABLE';
  override readonly kind = 'usage';
  constructor(
    readonly server: string,
    readonly variable: string,
  ) {
    super(
      `The MCP server "${server}" uses \${input:${variable}}, which only VS Code can prompt for; put the value in an environment variable and write \${env:NAME} in its place (or give a config without it with --mcp-config).`,
    );
    this.name = 'McpInputVariableError';
  }
}

/** A configured MCP server did not start or did not answer the MCP handshake. */
export class McpServerStartError extends UserError {
  readonly code = 'MCP_SERVER_START_FAILED';
  constructor(
    readonly server: string,
    detail: string,
  ) {
    super(
      `The MCP server "${server}" did not start (${detail}); run its command by hand to see why, or fix its entry in the MCP config.`,
    );
    this.name = 'McpServerStartError';
  }
}

/** A tool call could not be made at all (the server went away mid-replay); a tool that answers with
 *  an error is not this: its error goes back to the model as the tool's result. */
export class McpToolCallError extends UserError {
  readonly code = 'MCP_TOOL_CALL_FAILED';
  constructor(
    readonly server: string,
    readonly tool: string,
    detail: string,
  ) {
    super(
      `The MCP server "${server}" could not run the tool ${tool} (${detail}); check that the server is still running and try again.`,
    );
    this.name = 'McpToolCallError';
  }
}

/** A tool call got no answer within the per-call timeout (McpToolHostOptions.callTimeoutMs, the CLI's
 *  --tool-timeout): the server is left running, the call is given up. */
export class McpToolTimeoutError extends UserError {
  readonly code = 'MCP_TOOL_TIMEOUT';
  constructor(
    readonly server: string,
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(
      `The MCP server "${server}" did not answer the call of the tool ${tool} within ${timeoutMs / 1000} s; raise the per-call timeout (--tool-timeout SECONDS) if the tool is slow, or check why it hangs.`,
    );
    this.name = 'McpToolTimeoutError';
  }
}
