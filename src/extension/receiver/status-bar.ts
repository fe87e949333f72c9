// The status-bar item that is visible while the OTLP receiver listens.
import * as vscode from 'vscode';
import { CommandId } from '../common/command-ids';
import { Disposable } from '../common/lifecycle';

export class ReceiverStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('traceReplay.receiver', vscode.StatusBarAlignment.Left, 0),
  );
  private shownText: string | undefined;

  constructor() {
    super();
    this.item.name = 'Trace Replay OTLP Receiver';
    this.item.command = { command: CommandId.CopyReceiverEndpoint, title: 'Copy OTLP Endpoint' };
  }

  showRunning(port: number, endpoint: string): void {
    this.shownText = `$(broadcast) OTLP :${port}`;
    this.item.text = this.shownText;
    this.item.tooltip = `Trace Replay is receiving OTLP traces at ${endpoint}\nClick to copy the endpoint.`;
    this.item.show();
  }

  hide(): void {
    this.shownText = undefined;
    this.item.hide();
  }

  /** What the item shows, or undefined while hidden (the status bar API cannot be read back). */
  text(): string | undefined {
    return this.shownText;
  }
}
