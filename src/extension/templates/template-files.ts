// Which workspace files are prompt templates (the `traceReplay.prompts.fileGlob` setting): found
// with findFiles, kept current by file watchers, and published as the context key
// `traceReplay.templateFiles` so the explorer/editor menus show "Replay with This Prompt Version"
// only on them (`resourcePath in traceReplay.templateFiles`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ContextKey } from '../common/command-ids';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { affectsSetting, getSetting } from '../common/settings';

const MAX_FILES = 2000;
const COALESCE_MS = 200;

export class TemplateFiles extends Disposable {
  private files: Promise<vscode.Uri[]> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storeDir: () => string,
    private readonly log: Log,
  ) {
    super();
    this.watch();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsSetting(e, 'prompts.fileGlob')) return;
        this.watch();
        void this.refresh();
      }),
    );
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()));
    this.register(toDisposable(() => (clearTimeout(this.timer), this.watcher?.dispose())));
  }

  glob(): string {
    return getSetting('prompts.fileGlob').trim() || '**/*.prompt';
  }

  /** The template files of the workspace, sorted by path (cached; see refresh). */
  list(): Promise<vscode.Uri[]> {
    this.files ??= this.find();
    return this.files;
  }

  /** Searches again and republishes the context key; resolves with the new list. */
  refresh(): Promise<vscode.Uri[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.files = this.find();
    return this.files;
  }

  async isTemplate(uri: vscode.Uri): Promise<boolean> {
    return (await this.list()).some((u) => u.toString() === uri.toString());
  }

  private watch(): void {
    this.watcher?.dispose();
    this.watcher = vscode.workspace.createFileSystemWatcher(this.glob(), false, true, false);
    const later = (): void => {
      this.timer ??= setTimeout(() => void this.refresh(), COALESCE_MS);
    };
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
  }

  private async find(): Promise<vscode.Uri[]> {
    try {
      const found = await vscode.workspace.findFiles(this.glob(), '**/node_modules/**', MAX_FILES);
      // Template snapshots of unsaved edits live in the store folder; they are not the user's files.
      const store = this.storeDir() + path.sep;
      const files = found.filter((u) => !u.fsPath.startsWith(store)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      const keys = [...new Set(files.flatMap((u) => [u.fsPath, u.path]))];
      await vscode.commands.executeCommand('setContext', ContextKey.TemplateFiles, keys);
      this.log.debug(`${files.length} prompt template file(s) match ${this.glob()}`);
      this.changed.fire();
      return files;
    } catch (err) {
      this.log.error('finding prompt template files failed', err);
      return [];
    }
  }
}
