// The "Traces" view: its TreeView and the commands that act on the view as a whole.
import * as vscode from 'vscode';
import { CommandId, TRACES_VIEW_ID } from './command-ids';
import type { TracesTreeNode, TracesTreeProvider } from './traces-tree';

export function registerTracesView(tree: TracesTreeProvider): vscode.Disposable[] {
  const view: vscode.TreeView<TracesTreeNode> = vscode.window.createTreeView(TRACES_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  return [
    view,
    vscode.commands.registerCommand(CommandId.RefreshTraces, () => tree.refresh()),
    vscode.commands.registerCommand(CommandId.LoadMoreTraces, () => tree.loadMore()),
  ];
}
