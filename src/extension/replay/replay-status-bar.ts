// "Replays: 2 running, 1 queued" in the status bar while replays are active; hidden when idle.
import * as vscode from 'vscode';
import { REPLAYS_VIEW_ID } from '../common/command-ids';
import { Disposable } from '../common/lifecycle';
import type { ReplaysModel } from '../views/replays-model';

export class ReplayStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('traceReplay.replays', vscode.StatusBarAlignment.Left, 0),
  );
  private shownText: string | undefined;

  constructor(model: ReplaysModel) {
    super();
    this.item.name = 'Trace Replay Replays';
    this.item.command = { command: `${REPLAYS_VIEW_ID}.focus`, title: 'Show Replays' };
    this.item.tooltip = 'Trace Replay: replays in progress. Click to show the Replays view.';
    this.register(model.onDidChangeCounts((c) => this.update(c.running, c.pending)));
  }

  private update(running: number, pending: number): void {
    if (!running && !pending) {
      this.shownText = undefined;
      this.item.hide();
      return;
    }
    const parts = [running ? `${running} running` : '', pending ? `${pending} queued` : ''].filter(Boolean);
    this.shownText = `Replays: ${parts.join(', ')}`;
    this.item.text = `$(sync~spin) ${this.shownText}`;
    this.item.show();
  }

  /** What the item shows (without the icon), or undefined while hidden. */
  text(): string | undefined {
    return this.shownText;
  }
}
