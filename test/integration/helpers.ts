// Shared by the integration specs: the activated extension, its fixtures, and a way to wait for
// the Traces view or a panel to show something (on their change events, never by sleeping).
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceReplayApi, TraceReplayExports } from '../../src/extension/extension';
import type { TracesTreeNode, TracesTreeProvider } from '../../src/extension/views/traces-tree';
import type { PanelProbe } from '../../src/extension/panels/panel-host';
import type { Envelope } from '../../src/protocol';

export const EXTENSION_ID = 'trace-replay.trace-replay';

export function extension(): vscode.Extension<TraceReplayExports> {
  const ext = vscode.extensions.getExtension<TraceReplayExports>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** The test hooks of the activated extension (exported only in ExtensionMode.Test, as here). */
export async function activatedApi(): Promise<TraceReplayApi> {
  const api = await extension().activate();
  assert.ok(api.testing, 'the extension exports its test hooks only when VS Code runs it for tests');
  return api.testing;
}

export function fixturePath(name: string): string {
  return path.join(extension().extensionPath, 'test', 'integration', 'fixtures', name);
}

/** Resolves with the root nodes once `predicate` holds for them, checking now and after every
 *  change event of the tree. Bounded by the mocha timeout. */
export function whenRoots(
  tree: TracesTreeProvider,
  predicate: (roots: TracesTreeNode[]) => boolean,
): Promise<TracesTreeNode[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = async (): Promise<void> => {
      try {
        const roots = await tree.getChildren();
        if (!settled && predicate(roots)) {
          settled = true;
          sub.dispose();
          resolve(roots);
        }
      } catch (err) {
        settled = true;
        sub.dispose();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const sub = tree.onDidChangeTreeData(() => void check());
    void check();
  });
}

export function traceRoot(roots: TracesTreeNode[], traceId: string): TracesTreeNode | undefined {
  return roots.find((n) => n.type === 'trace' && n.summary.id === traceId);
}

export function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

/** Every node under `node`, depth first, as [label, icon id, description] rows. */
export async function describeSubtree(tree: TracesTreeProvider, node: TracesTreeNode, depth = 0): Promise<string[][]> {
  const rows: string[][] = [];
  for (const child of await tree.getChildren(node)) {
    const item = tree.getTreeItem(child);
    rows.push([`${'  '.repeat(depth)}${label(item)}`, iconId(item) ?? '', String(item.description ?? '')]);
    rows.push(...(await describeSubtree(tree, child, depth + 1)));
  }
  return rows;
}

/** The column a panel ended up in (known to the extension host a moment after it opens). */
export function columnOf(panel: vscode.WebviewPanel): Promise<vscode.ViewColumn> {
  if (panel.viewColumn !== undefined) return Promise.resolve(panel.viewColumn);
  return new Promise((resolve) => {
    const sub = panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.viewColumn === undefined) return;
      sub.dispose();
      resolve(e.webviewPanel.viewColumn);
    });
  });
}

/** Resolves with the panel's content once `predicate` accepts it (now or after a change). */
export function whenShown(probe: PanelProbe, predicate: (m: Envelope) => boolean): Promise<Envelope> {
  if (probe.content && predicate(probe.content)) return Promise.resolve(probe.content);
  return new Promise((resolve) => {
    const sub = probe.onDidChangeContent((m) => {
      if (!predicate(m)) return;
      sub.dispose();
      resolve(m);
    });
  });
}
