// Paths the settings and replays give relative to the workspace: resolved against the first
// folder on disk, the same way everywhere in the extension.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The first workspace folder on the local file system, if any. */
export function workspaceDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

/** An absolute path as is; a relative one under the workspace folder; undefined without a folder. */
export function resolveInWorkspace(p: string): string | undefined {
  if (path.isAbsolute(p)) return p;
  const dir = workspaceDir();
  return dir ? path.join(dir, p) : undefined;
}
