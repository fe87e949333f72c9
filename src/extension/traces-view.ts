// The "Traces" view: its TreeView and the commands that act on the view as a whole.
import * as vscode from 'vscode';
import { CommandId, TRACES_VIEW_ID } from './command-ids';
import type { TracesTreeNode, TracesTreeProvider } from './traces-tree';

export function registerTracesView(tree: TracesTreeProvider): vscode.Disposable[] {
  const view: vscode.TreeView<TracesTreeNode> = vscode.window.createTreeView(TRACES_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true, // "Replay Selected Traces" replays a multi-selection as one batch
  });
  return [
    view,
    vscode.commands.registerCommand(CommandId.RefreshTraces, () => tree.refresh()),
    vscode.commands.registerCommand(CommandId.LoadMoreTraces, () => tree.loadMore()),
  ];
}
