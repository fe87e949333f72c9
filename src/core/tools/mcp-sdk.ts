// The @modelcontextprotocol/sdk client modules, loaded on first use: only a replay with live tools
// pays for loading them (the CLI keeps the package outside its bundle, see esbuild.mjs; the other
// bundles keep the module and only its evaluation waits for the first call).
import type * as ClientModule from '@modelcontextprotocol/sdk/client/index.js';
import type * as SseModule from '@modelcontextprotocol/sdk/client/sse.js';
import type * as StdioModule from '@modelcontextprotocol/sdk/client/stdio.js';
import type * as StreamableHttpModule from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type * as TypesModule from '@modelcontextprotocol/sdk/types.js';

export interface McpSdk {
  Client: typeof ClientModule.Client;
  SSEClientTransport: typeof SseModule.SSEClientTransport;
  StdioClientTransport: typeof StdioModule.StdioClientTransport;
  StreamableHTTPClientTransport: typeof StreamableHttpModule.StreamableHTTPClientTransport;
  McpError: typeof TypesModule.McpError;
  ErrorCode: typeof TypesModule.ErrorCode;
}

let loaded: McpSdk | undefined;

export function mcpSdk(): McpSdk {
  /* eslint-disable @typescript-eslint/no-require-imports -- the lazy load this file is for */
  loaded ??= {
    Client: (require('@modelcontextprotocol/sdk/client/index.js') as typeof ClientModule).Client,
    SSEClientTransport: (require('@modelcontextprotocol/sdk/client/sse.js') as typeof SseModule).SSEClientTransport,
    StdioClientTransport: (require('@modelcontextprotocol/sdk/client/stdio.js') as typeof StdioModule)
      .StdioClientTransport,
    StreamableHTTPClientTransport: (
      require('@modelcontextprotocol/sdk/client/streamableHttp.js') as typeof StreamableHttpModule
    ).StreamableHTTPClientTransport,
    McpError: (require('@modelcontextprotocol/sdk/types.js') as typeof TypesModule).McpError,
    ErrorCode: (require('@modelcontextprotocol/sdk/types.js') as typeof TypesModule).ErrorCode,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}
