// "One panel per id" for every panel kind: the open panels of a kind by the id they show (a replay
// id, a trace id, a set of replay ids), kept current as a panel switches to another id and when
// it closes. Restoring a panel after a reload goes through here too: when a panel with that id is
// open already (the user opened it before VS Code restored the saved one), the restored duplicate
// is closed instead of being left as an empty tab.
import type * as vscode from 'vscode';

export interface RegisteredPanel {
  readonly panel: vscode.WebviewPanel;
}

export class PanelRegistry<P extends RegisteredPanel> {
  private readonly open = new Map<string, P>();

  get(id: string): P | undefined {
    return this.open.get(id);
  }

  all(): P[] {
    return [...this.open.values()];
  }

  /** Files `panel` under `id` (from now on, and no longer under `previous`). */
  track(panel: P, id: string, previous?: string): void {
    if (previous !== undefined && this.open.get(previous) === panel) this.open.delete(previous);
    this.open.set(id, panel);
  }

  /** Forgets a closed panel. */
  forget(panel: P): void {
    for (const [id, p] of this.open) if (p === panel) this.open.delete(id);
  }

  /** Adopts a webview panel VS Code restored after a reload: built by `create`, unless a panel
   *  with this id is open already — then the restored one is closed and the open one kept. */
  restore(id: string, restored: vscode.WebviewPanel, create: () => P): P {
    const existing = this.open.get(id);
    if (!existing) return create();
    if (existing.panel !== restored) restored.dispose();
    return existing;
  }
}
