// Reads the MCP servers a user configured for VS Code: the workspace's `.vscode/mcp.json` (or a file in
// that format given with --mcp-config). Format: `{"servers": {"<name>": {...}}, "inputs": [...]}` with
// comments allowed; a server is `stdio` (command, args, env, envFile, cwd) or `http` / `sse` (url,
// headers); without `type`, a command means stdio and a url http. Values may use ${workspaceFolder},
// ${workspaceFolderBasename}, ${userHome}, ${pathSeparator} (${/}) and ${env:NAME}; ${input:ID} is
// answered by the caller's `input` (VS Code could prompt) or refused with McpInputVariableError.
// Servers come back in file order (the first server offering a tool name wins, see mcp-tool-host.ts).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../util/error-message';
import { parseEnvFile } from './env-file';
import { parseJsonc } from './jsonc';
import { McpConfigError, McpInputVariableError } from './mcp-errors';

export interface McpStdioServer {
  name: string;
  type: 'stdio';
  command: string;
  args: string[];
  /** The config's env on top of its envFile; a null value removes an inherited variable. */
  env: Record<string, string | null>;
  cwd?: string;
}

export interface McpHttpServer {
  name: string;
  /** `http`: Streamable HTTP; `sse`: the older HTTP+SSE transport. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = McpStdioServer | McpHttpServer;

export interface McpConfig {
  /** The file the servers were read from. */
  path: string;
  servers: McpServerConfig[];
  /** What was guessed or left out (an ${env:NAME} that is not set, ...). */
  warnings: string[];
}

export interface McpConfigContext {
  /** ${workspaceFolder}; default: the folder holding `.vscode/` for a `.vscode/mcp.json`, else the
   *  current directory. Relative `cwd` and `envFile` paths are resolved against it. */
  workspaceFolder?: string;
  /** Where ${env:NAME} is read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Answers ${input:ID} for a server; undefined (or no function): McpInputVariableError. */
  input?(server: string, id: string): string | undefined;
}

/** `.vscode/mcp.json` of a workspace folder. */
export function workspaceMcpConfigPath(folder: string): string {
  return path.join(folder, '.vscode', 'mcp.json');
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function defaultWorkspaceFolder(file: string): string {
  const dir = path.dirname(path.resolve(file));
  return path.basename(dir) === '.vscode' ? path.dirname(dir) : process.cwd();
}

class Resolver {
  constructor(
    private readonly file: string,
    private readonly folder: string,
    private readonly ctx: McpConfigContext,
    private readonly warnings: string[],
  ) {}

  /** The value with every ${...} variable replaced; `where` names the field in messages. */
  resolve(server: string, where: string, value: string): string {
    return value.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name === 'workspaceFolder' || name === 'workspaceRoot') return this.folder;
      if (name === 'workspaceFolderBasename') return path.basename(this.folder);
      if (name === 'userHome') return os.homedir();
      if (name === 'pathSeparator' || name === '/') return path.sep;
      if (name === 'cwd') return process.cwd();
      if (name.startsWith('env:')) {
        const key = name.slice(4);
        const found = (this.ctx.env ?? process.env)[key];
        if (found === undefined) {
          this.warnings.push(
            `MCP server "${server}": ${where} uses \${env:${key}}, which is not set; it was left empty (set ${key} before the replay).`,
          );
          return '';
        }
        return found;
      }
      if (name.startsWith('input:')) {
        const id = name.slice(6);
        const answer = this.ctx.input?.(server, id);
        if (answer === undefined) throw new McpInputVariableError(server, id);
        return answer;
      }
      throw new McpConfigError(
        this.file,
        `uses ${whole} in ${where} of server "${server}", a variable only VS Code can resolve (supported here: \${workspaceFolder}, \${userHome}, \${env:NAME})`,
      );
    });
  }
}

function stringField(file: string, server: string, entry: Json, key: string): string | undefined {
  const v = entry[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '')
    throw new McpConfigError(file, `has a "${key}" for server "${server}" that is not a non-empty string`);
  return v;
}

function stringMap(file: string, server: string, entry: Json, key: string): Record<string, string | null> {
  const v = entry[key];
  if (v === undefined) return {};
  if (!isRecord(v)) throw new McpConfigError(file, `has a "${key}" for server "${server}" that is not an object`);
  const out: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(v)) {
    if (value === null) out[k] = null;
    else if (typeof value === 'string') out[k] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[k] = String(value);
    else throw new McpConfigError(file, `has a "${key}.${k}" for server "${server}" that is not a string`);
  }
  return out;
}

async function envFileValues(file: string, server: string, envPath: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(envPath, 'utf8');
  } catch (err) {
    throw new McpConfigError(
      file,
      `names the envFile ${envPath} for server "${server}", which cannot be read (${errorMessage(err)})`,
    );
  }
  const parsed = parseEnvFile(text);
  if (parsed.badLines.length > 0)
    throw new McpConfigError(
      file,
      `names the envFile ${envPath} for server "${server}", whose line ${parsed.badLines.join(', ')} is not KEY=value`,
    );
  return parsed.values;
}

async function readServer(
  file: string,
  name: string,
  entry: unknown,
  resolver: Resolver,
  folder: string,
): Promise<McpServerConfig> {
  if (!isRecord(entry)) throw new McpConfigError(file, `has a server "${name}" that is not an object`);
  const declared = stringField(file, name, entry, 'type');
  const type = declared ?? (entry.command !== undefined ? 'stdio' : entry.url !== undefined ? 'http' : undefined);
  if (type === undefined)
    throw new McpConfigError(file, `has a server "${name}" with neither a "command" (stdio) nor a "url" (http)`);
  const r = (where: string, v: string): string => resolver.resolve(name, where, v);
  if (type === 'stdio') {
    const command = stringField(file, name, entry, 'command');
    if (command === undefined) throw new McpConfigError(file, `has a stdio server "${name}" without a "command"`);
    const args = entry.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' && typeof a !== 'number'))
      throw new McpConfigError(file, `has "args" for server "${name}" that are not a list of strings`);
    const env: Record<string, string | null> = {};
    const envFile = stringField(file, name, entry, 'envFile');
    if (envFile !== undefined) {
      const envPath = path.resolve(folder, r('envFile', envFile));
      Object.assign(env, await envFileValues(file, name, envPath));
    }
    for (const [k, v] of Object.entries(stringMap(file, name, entry, 'env')))
      env[k] = v === null ? null : r(`env.${k}`, v);
    const server: McpStdioServer = {
      name,
      type: 'stdio',
      command: r('command', command),
      args: (args as (string | number)[]).map((a, i) => r(`args[${i}]`, String(a))),
      env,
    };
    const cwd = stringField(file, name, entry, 'cwd');
    if (cwd !== undefined) server.cwd = path.resolve(folder, r('cwd', cwd));
    return server;
  }
  if (type === 'http' || type === 'sse') {
    const url = stringField(file, name, entry, 'url');
    if (url === undefined) throw new McpConfigError(file, `has an ${type} server "${name}" without a "url"`);
    const resolved = r('url', url);
    if (!URL.canParse(resolved) || !/^https?:$/.test(new URL(resolved).protocol))
      throw new McpConfigError(file, `has a "url" for server "${name}" that is not an http(s) URL`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(stringMap(file, name, entry, 'headers')))
      if (v !== null) headers[k] = r(`headers.${k}`, v);
    return { name, type, url: resolved, headers };
  }
  throw new McpConfigError(file, `gives server "${name}" the type "${type}" (known: stdio, http, sse)`);
}

/** The servers of an mcp.json text (`file` names it in messages). */
export async function parseMcpConfig(text: string, file: string, ctx: McpConfigContext = {}): Promise<McpConfig> {
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (err) {
    throw new McpConfigError(file, `is not valid JSON (${errorMessage(err)})`);
  }
  if (!isRecord(value)) throw new McpConfigError(file, 'is not a JSON object');
  // Claude Desktop / Copilot CLI files keep their servers under mcpServers, in the same shape.
  const servers = value.servers ?? value.mcpServers;
  if (!isRecord(servers)) throw new McpConfigError(file, 'has no "servers" object');
  const folder = path.resolve(ctx.workspaceFolder ?? defaultWorkspaceFolder(file));
  const warnings: string[] = [];
  const resolver = new Resolver(file, folder, ctx, warnings);
  const out: McpServerConfig[] = [];
  for (const [name, entry] of Object.entries(servers)) out.push(await readServer(file, name, entry, resolver, folder));
  if (out.length === 0) throw new McpConfigError(file, 'configures no server');
  return { path: file, servers: out, warnings };
}

/** Reads and validates an mcp.json file. */
export async function readMcpConfig(file: string, ctx: McpConfigContext = {}): Promise<McpConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new McpConfigError(file, missing ? 'does not exist' : `cannot be read (${errorMessage(err)})`);
  }
  return parseMcpConfig(text, file, ctx);
}

/** Every value of a server's config that may be a secret (env values, header values, the url's
 *  userinfo is handled by redactSecrets): what messages about the server must never show. */
export function secretValues(server: McpServerConfig): string[] {
  const values = server.type === 'stdio' ? Object.values(server.env) : Object.values(server.headers);
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
