// The "Traces" view: its TreeView and the commands that act on the view as a whole.
import * as vscode from 'vscode';
import { CommandId, ContextKey, TRACES_VIEW_ID } from '../common/command-ids';
import { parseTracesFilterQuery, TracesFilterQueryError, type TracesFilterQuery } from './traces-filter-query';
import type { TraceSources } from '../sources/trace-sources';
import type { TracesTreeNode, TracesTreeProvider } from './traces-tree';

export function registerTracesView(tree: TracesTreeProvider, sources: TraceSources): vscode.Disposable[] {
  const view: vscode.TreeView<TracesTreeNode> = vscode.window.createTreeView(TRACES_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true, // "Replay Selected Traces" replays a multi-selection as one batch
  });
  // The description names the source (when a platform is set up at all) and the filter.
  const describe = (): void => {
    const source = tree.source;
    const showSource = source.kind !== 'local' || sources.connections.listSync().length > 0;
    const parts = [showSource ? source.label : undefined, tree.filter ? `Filter: ${tree.filter.query}` : undefined];
    view.description = parts.filter(Boolean).join(' · ') || undefined;
  };
  const showFilter = (filter: TracesFilterQuery | undefined): void => {
    describe();
    void vscode.commands.executeCommand('setContext', ContextKey.TracesFiltered, filter !== undefined);
  };
  showFilter(tree.filter);
  return [
    view,
    tree.onDidChangeFilter(showFilter),
    sources.onDidChangeActive(describe),
    sources.onDidChangeConnections(describe),
    vscode.commands.registerCommand(CommandId.RefreshTraces, () => tree.refresh()),
    // Returns once a platform page is read (tests and callers can wait for it).
    vscode.commands.registerCommand(CommandId.LoadMoreTraces, () => tree.loadMore()),
    vscode.commands.registerCommand(CommandId.FilterTraces, (query?: unknown) => filterTraces(tree, query)),
    vscode.commands.registerCommand(CommandId.ClearTracesFilter, () => tree.setFilter(undefined)),
  ];
}

/** With a string argument applies it at once (a bad query throws); otherwise asks for one. */
async function filterTraces(tree: TracesTreeProvider, query: unknown): Promise<void> {
  if (typeof query === 'string') {
    tree.setFilter(parseTracesFilterQuery(query));
    return;
  }
  const typed = await vscode.window.showInputBox({
    title: 'Filter Traces',
    prompt:
      'Words match name, model, prompt or service; add model:<m> prompt:<p> since:YYYY-MM-DD until:YYYY-MM-DD. Empty clears.',
    placeHolder: 'model:gpt-4o-mini since:2025-06-01 weather',
    value: tree.filter?.query ?? '',
    validateInput: (value) => {
      try {
        parseTracesFilterQuery(value);
        return undefined;
      } catch (err) {
        if (err instanceof TracesFilterQueryError) return err.message;
        throw err;
      }
    },
  });
  if (typed === undefined) return; // Escape keeps the current filter
  tree.setFilter(parseTracesFilterQuery(typed));
}
