// Live tools through the MCP servers of an mcp.json (see mcp-config.ts), with the official
// @modelcontextprotocol/sdk client: the servers are started (stdio) or connected (http, sse) on first
// use, once, their tools listed (a name offered by two servers: the first server in the file wins,
// with a warning), calls go to the server offering the name, close() ends every server process.
// A stdio server inherits the environment as VS Code starts it (the process environment, the
// config's envFile and env on top). Its stderr is kept (last lines) to say why it failed; messages
// never show a server's env or header values.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ToolDefinition } from '../model/trace';
import { errorMessage } from '../util/error-message';
import { redactSecrets } from '../util/redact-secrets';
import { secretValues, type McpConfig, type McpServerConfig, type McpStdioServer } from './mcp-config';
import { McpServerStartError, McpToolCallError, McpToolTimeoutError } from './mcp-errors';
import { mcpSdk } from './mcp-sdk';
import type { OfferedTool, ToolHost } from './tool-host';

export interface McpToolHostOptions {
  /** How long a server may take to start and answer the handshake and tools/list (default 30 s). */
  startTimeoutMs?: number;
  /** How long one tool call may take (default DEFAULT_TOOL_CALL_TIMEOUT_MS); beyond it the call is
   *  given up with McpToolTimeoutError. */
  callTimeoutMs?: number;
  /** The environment a stdio server inherits (default process.env). */
  baseEnv?: Record<string, string | undefined>;
}

const STDERR_LINES = 20;

/** The default per-call timeout of a live tool (the CLI's --tool-timeout). */
export const DEFAULT_TOOL_CALL_TIMEOUT_MS = 60_000;

/** One configured server and its connection. */
class ServerConnection {
  readonly client: Client = new (mcpSdk().Client)({ name: 'trace-replay', version: '1' }, { capabilities: {} });
  private readonly stderrLines: string[] = [];
  private partial = '';
  private readonly secrets: string[];

  constructor(
    readonly config: McpServerConfig,
    private readonly options: McpToolHostOptions,
  ) {
    this.secrets = secretValues(config).sort((a, b) => b.length - a.length);
  }

  /** Text about this server with its env and header values (and URL passwords) hidden. */
  redact(text: string): string {
    let out = redactSecrets(text);
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  lastStderrLine(): string | undefined {
    const lines = [...this.stderrLines, this.partial].map((l) => l.trim()).filter((l) => l !== '');
    return lines.length > 0 ? this.redact(lines[lines.length - 1]) : undefined;
  }

  private stdioTransport(config: McpStdioServer): Transport {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.options.baseEnv ?? process.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(config.env)) {
      if (v === null) delete env[k];
      else env[k] = v;
    }
    const transport = new (mcpSdk().StdioClientTransport)({
      command: config.command,
      args: config.args,
      env,
      stderr: 'pipe',
      ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString('utf8')).split(/\r?\n/);
      this.partial = lines.pop() ?? '';
      this.stderrLines.push(...lines);
      if (this.stderrLines.length > STDERR_LINES) this.stderrLines.splice(0, this.stderrLines.length - STDERR_LINES);
    });
    return transport;
  }

  private transport(): Transport {
    const { config } = this;
    if (config.type === 'stdio') return this.stdioTransport(config);
    const requestInit: RequestInit = { headers: config.headers };
    const sdk = mcpSdk();
    return config.type === 'sse'
      ? new sdk.SSEClientTransport(new URL(config.url), { requestInit })
      : new sdk.StreamableHTTPClientTransport(new URL(config.url), { requestInit });
  }

  /** Connects and lists the server's tools (all pages). */
  async start(signal?: AbortSignal): Promise<ToolDefinition[]> {
    const timeout = this.options.startTimeoutMs ?? 30_000;
    try {
      await this.client.connect(this.transport(), { signal, timeout });
      const tools: ToolDefinition[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.listTools(cursor !== undefined ? { cursor } : undefined, { signal, timeout });
        for (const t of page.tools) {
          const def: ToolDefinition = { name: t.name, parameters: t.inputSchema };
          if (t.description !== undefined) def.description = t.description;
          tools.push(def);
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return tools;
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new McpServerStartError(this.config.name, this.failureDetail(err));
    }
  }

  failureDetail(err: unknown): string {
    const stderr = this.lastStderrLine();
    const what = this.redact(errorMessage(err));
    return stderr !== undefined ? `${what}; its stderr said: ${stderr}` : `${what}; it wrote nothing to stderr`;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** One MCP content block as text; what cannot be text is described, with a warning. */
function blockText(block: Record<string, unknown>, warnings: string[], tool: string): string {
  switch (block.type) {
    case 'text':
      return String(block.text);
    case 'resource': {
      const resource = block.resource as Record<string, unknown>;
      if (typeof resource.text === 'string') return resource.text;
      warnings.push(`tool ${tool} returned a binary resource (${String(resource.uri)}); the model got only its URI.`);
      return `[resource ${String(resource.uri)}]`;
    }
    case 'resource_link':
      return `[resource ${String(block.uri)}]`;
    default: {
      const mime = typeof block.mimeType === 'string' ? ` ${block.mimeType}` : '';
      warnings.push(
        `tool ${tool} returned ${String(block.type)}${mime} content, which the replay passes to the model as a placeholder text.`,
      );
      return `[${String(block.type)}${mime}]`;
    }
  }
}

/** A tools/call result as the text of a tool_result. */
export function toolResultText(result: Record<string, unknown>, tool: string): { content: string; warnings: string[] } {
  const warnings: string[] = [];
  const blocks = Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : [];
  if (blocks.length === 0 && result.structuredContent !== undefined)
    return { content: JSON.stringify(result.structuredContent), warnings };
  if (blocks.length === 0 && 'toolResult' in result) return { content: JSON.stringify(result.toolResult), warnings };
  return { content: blocks.map((b) => blockText(b, warnings, tool)).join('\n'), warnings };
}

export function createMcpToolHost(config: McpConfig, options: McpToolHostOptions = {}): ToolHost {
  const connections = config.servers.map((s) => new ServerConnection(s, options));
  const warnings: string[] = [...config.warnings];
  const byName = new Map<string, { offered: OfferedTool; connection: ServerConnection }>();
  let started: Promise<ReadonlyMap<string, OfferedTool>> | undefined;
  let closed = false;

  async function startAll(signal?: AbortSignal): Promise<ReadonlyMap<string, OfferedTool>> {
    const lists = await Promise.all(connections.map((c) => c.start(signal)));
    lists.forEach((tools, i) => {
      const connection = connections[i];
      for (const definition of tools) {
        const first = byName.get(definition.name);
        if (first) {
          warnings.push(
            `The tool ${definition.name} is offered by MCP servers "${first.offered.server}" and "${connection.config.name}"; the replay calls the first one in the config.`,
          );
          continue;
        }
        byName.set(definition.name, { offered: { server: connection.config.name, definition }, connection });
      }
    });
    return new Map([...byName].map(([name, { offered }]) => [name, offered]));
  }

  return {
    warnings,
    tools(signal) {
      if (closed) return Promise.reject(new Error('the MCP tool host is closed'));
      started ??= startAll(signal);
      return started;
    },
    async call(name, args, signal) {
      await this.tools(signal);
      const entry = byName.get(name);
      if (!entry) throw new Error(`no configured MCP server offers the tool ${name}`);
      const { connection } = entry;
      const timeout = options.callTimeoutMs ?? DEFAULT_TOOL_CALL_TIMEOUT_MS;
      try {
        const result = await connection.client.callTool({ name, arguments: args }, undefined, { signal, timeout });
        const text = toolResultText(result, name);
        return {
          server: connection.config.name,
          content: text.content,
          isError: result.isError === true,
          warnings: text.warnings,
        };
      } catch (err) {
        if (signal?.aborted) throw err;
        const { McpError, ErrorCode } = mcpSdk();
        if (err instanceof McpError && err.code === ErrorCode.RequestTimeout)
          throw new McpToolTimeoutError(connection.config.name, name, timeout);
        if (
          err instanceof McpError &&
          err.code !== ErrorCode.ConnectionClosed &&
          err.code !== ErrorCode.RequestTimeout
        ) {
          // The server refused the call (unknown arguments, ...): the model sees the error as the result.
          const content = connection.redact(errorMessage(err));
          return {
            server: connection.config.name,
            content,
            isError: true,
            warnings: [`MCP server "${connection.config.name}" refused the call of ${name}: ${content}`],
          };
        }
        throw new McpToolCallError(connection.config.name, name, connection.failureDetail(err));
      }
    },
    async close() {
      closed = true;
      await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    },
  };
}
