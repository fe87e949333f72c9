// Live tools in VS Code (tool policy `live`): the MCP servers of the workspace's `.vscode/mcp.json`,
// offered only in a trusted workspace and only where replays run here (not on a Redis queue). The
// servers start once, on first use (the wizard's pick or a job), and are shared by every job; they are
// closed when the file changes (a file watcher) and on dispose. `${input:ID}` variables of the file
// are asked in an input box (a password box when the file's `inputs` entry says `password: true`) and
// kept until the file changes. The wizard reads availability() and prepare(); the engine gets
// toolHost(), a delegate that starts the servers when a job first needs them.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { ToolPolicyError } from '../../core/replay/replay-fork';
import { parseJsonc } from '../../core/tools/jsonc';
import { liveToolsSummary } from '../../core/tools/live-tools-summary';
import { readMcpConfig, workspaceMcpConfigPath } from '../../core/tools/mcp-config';
import { createMcpToolHost } from '../../core/tools/mcp-tool-host';
import type { ToolHost } from '../../core/tools/tool-host';
import { errorMessage } from '../../core/util/error-message';
import { UserError } from '../../core/util/user-error';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { workspaceDir } from '../common/workspace-paths';

/** The user closed the box of an `${input:ID}` the MCP config needs: the servers were not started. */
export class McpInputCancelledError extends UserError {
  readonly code = 'MCP_INPUT_CANCELLED';
  override readonly kind = 'cancelled';
  constructor(
    readonly server: string,
    readonly variable: string,
  ) {
    super(
      `The MCP server "${server}" needs \${input:${variable}}, and its box was closed without a value; pick Live again and enter it to run the tools live.`,
    );
    this.name = 'McpInputCancelledError';
  }
}

export type LiveAvailability = { ok: true; file: string } | { ok: false; reason: string };

/** What the wizard asks of live tools. */
export interface LiveToolsQuestion {
  /** Whether live can be picked now, or the one sentence saying why not and the fix. */
  availability(): LiveAvailability;
  /** Starts the servers (once) and returns the line naming the tools that will really run; rejects
   *  with the typed error (a server that does not start, a bad config, a closed input box). */
  prepare(): Promise<string>;
}

/** Where `${input:ID}` answers come from (tests may replace it). */
export type InputAsker = (
  server: string,
  input: { id: string; description?: string; password?: boolean },
) => Thenable<string | undefined>;

const askInWindow: InputAsker = (server, input) =>
  vscode.window.showInputBox({
    title: `MCP server "${server}": \${input:${input.id}}`,
    prompt: input.description ?? `The value of \${input:${input.id}} in .vscode/mcp.json`,
    password: input.password === true,
    ignoreFocusOut: true,
  });

interface Started {
  host: ToolHost;
  summary: string;
}

export class LiveTools extends Disposable implements LiveToolsQuestion {
  private starting: Promise<Started> | undefined;
  private started: ToolHost | undefined;
  /** Why the servers did not start; live is not offered again until the file changes. */
  private failure: string | undefined;
  private readonly answers = new Map<string, string>();
  /** The file's text the servers (or their failure) came from: an event that leaves it as it was
   *  (a second event of one save, a touch) changes nothing. */
  private basis: string | undefined;
  private watcher: vscode.Disposable | undefined;
  /** Tests answer the `${input:ID}` boxes here; undefined: VS Code's input box. */
  askInput: InputAsker | undefined;
  private readonly resetEmitter = this.register(new vscode.EventEmitter<string>());
  /** The file (or the folders) changed and the servers started from it are closed: why. */
  readonly onDidReset = this.resetEmitter.event;

  /** The delegate the engine holds: every call goes to the servers started now (started on demand). */
  private readonly delegate: ToolHost;

  constructor(
    private readonly log: Log,
    /** Replays run on the workers of a Redis queue (they have no MCP servers). */
    private readonly runsOnWorkers: () => boolean,
  ) {
    super();
    const current = (): ToolHost | undefined => this.started;
    this.delegate = {
      tools: (signal) => this.open().then(({ host }) => host.tools(signal)),
      call: async (name, args, signal) => (await this.open()).host.call(name, args, signal),
      get warnings() {
        return current()?.warnings ?? [];
      },
      // Owned here: closed when the file changes and on dispose, not by a job.
      close: () => Promise.resolve(),
    };
    this.watch();
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch('the workspace folders changed')));
    this.register(toDisposable(() => this.watcher?.dispose()));
    this.register(toDisposable(() => void this.reset()));
  }

  /** The workspace's `.vscode/mcp.json`, or undefined without a folder on disk. */
  configPath(): string | undefined {
    const dir = workspaceDir();
    return dir !== undefined ? workspaceMcpConfigPath(dir) : undefined;
  }

  availability(): LiveAvailability {
    if (!vscode.workspace.isTrusted)
      return {
        ok: false,
        reason:
          'Live tools run the tools of .vscode/mcp.json for real, which only a trusted workspace may do; trust this workspace (Workspaces: Manage Workspace Trust) to pick Live.',
      };
    if (this.runsOnWorkers())
      return {
        ok: false,
        reason:
          'Live tools run on the MCP servers of this workspace, and replays run on the workers of a Redis queue (traceReplay.queue.redisUrl), which have none; clear that setting to replay here with live tools.',
      };
    const file = this.configPath();
    if (file === undefined)
      return {
        ok: false,
        reason:
          'Live tools call the MCP servers of a workspace folder’s .vscode/mcp.json, and no folder is open; open the folder that has one.',
      };
    if (!fs.existsSync(file))
      return {
        ok: false,
        reason:
          'Live tools call the MCP servers of .vscode/mcp.json, which this workspace does not have; add your servers there (MCP: Add Server...) to pick Live.',
      };
    if (this.failure !== undefined) return { ok: false, reason: this.failure };
    return { ok: true, file };
  }

  async prepare(): Promise<string> {
    return (await this.open()).summary;
  }

  /** For ReplayServices.toolHost: the delegate where live tools can run, else undefined (the engine
   *  then refuses live jobs). */
  toolHost(): ToolHost | undefined {
    return vscode.workspace.isTrusted && !this.runsOnWorkers() ? this.delegate : undefined;
  }

  private open(): Promise<Started> {
    if (this.isDisposed) return Promise.reject(new Error('live tools are closed'));
    const available = this.availability();
    if (!available.ok && this.starting === undefined) return Promise.reject(new ToolPolicyError(available.reason));
    this.starting ??= this.start(available.ok ? available.file : this.configPath()!).catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start(file: string): Promise<Started> {
    const workspaceFolder = workspaceDir();
    this.basis = await readFile(file, 'utf8').catch(() => undefined);
    await this.askInputs(file, workspaceFolder);
    const config = await readMcpConfig(file, { workspaceFolder, input: (_server, id) => this.answers.get(id) });
    const host = createMcpToolHost(config);
    try {
      const summary = liveToolsSummary(
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Starting the MCP servers of .vscode/mcp.json' },
          () => host.tools(),
        ),
      );
      for (const warning of host.warnings) this.log.warn(`live tools: ${warning}`);
      this.log.info(`live tools from ${file} run for real: ${summary}`);
      this.started = host;
      return { host, summary };
    } catch (err) {
      await host.close().catch(() => undefined);
      if (err instanceof UserError && err.kind !== 'cancelled') this.failure = err.message;
      this.log.warn(`live tools: ${errorMessage(err)}`);
      throw err;
    }
  }

  /** Asks every `${input:ID}` of the file that has no answer yet (a first read finds them). */
  private async askInputs(file: string, workspaceFolder: string | undefined): Promise<void> {
    const needed: { server: string; id: string }[] = [];
    await readMcpConfig(file, {
      workspaceFolder,
      input: (server, id) => {
        if (!this.answers.has(id) && !needed.some((n) => n.id === id)) needed.push({ server, id });
        return this.answers.get(id) ?? '';
      },
    });
    if (needed.length === 0) return;
    const declared = await declaredInputs(file);
    for (const { server, id } of needed) {
      const answer = await (this.askInput ?? askInWindow)(server, { id, ...declared.get(id) });
      if (answer === undefined) throw new McpInputCancelledError(server, id);
      this.answers.set(id, answer);
    }
  }

  /** Watches `.vscode/mcp.json` of the first folder: any change closes the servers. */
  private watch(why?: string): void {
    this.watcher?.dispose();
    if (why) void this.reset(why);
    const dir = workspaceDir();
    if (dir === undefined) {
      this.watcher = undefined;
      return;
    }
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dir), '.vscode/mcp.json'),
    );
    const file = workspaceMcpConfigPath(dir);
    const changed = async (): Promise<void> => {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (this.basis !== undefined && text === this.basis) return;
      await this.reset(text === undefined ? '.vscode/mcp.json was deleted' : '.vscode/mcp.json changed');
    };
    this.watcher = vscode.Disposable.from(
      watcher,
      watcher.onDidChange(changed),
      watcher.onDidCreate(changed),
      watcher.onDidDelete(changed),
    );
  }

  /** Closes the servers (the next use starts them from the file as it is then). */
  private async reset(why?: string): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.started = undefined;
    this.failure = undefined;
    this.basis = undefined;
    this.answers.clear();
    const open = await starting?.catch(() => undefined);
    if (open) {
      if (why) this.log.info(`live tools: ${why}; the MCP servers are closed (the next live replay starts them again)`);
      await open.host.close().catch((err: unknown) => this.log.warn(`closing the MCP servers: ${errorMessage(err)}`));
    }
    if (why && !this.isDisposed) this.resetEmitter.fire(why);
  }
}

/** The `inputs` entries of an mcp.json by id (description, password). */
async function declaredInputs(file: string): Promise<Map<string, { description?: string; password?: boolean }>> {
  const out = new Map<string, { description?: string; password?: boolean }>();
  try {
    const value = parseJsonc(await readFile(file, 'utf8')) as { inputs?: unknown };
    if (!Array.isArray(value.inputs)) return out;
    for (const entry of value.inputs as Record<string, unknown>[]) {
      if (typeof entry?.id !== 'string') continue;
      out.set(entry.id, {
        ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
        ...(entry.password === true ? { password: true } : {}),
      });
    }
  } catch {
    // readMcpConfig read the same file a moment ago; a box without a description still asks.
  }
  return out;
}
