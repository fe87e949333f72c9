// The one output channel of the extension. A LogOutputChannel, so the user picks the level and
// VS Code adds timestamps; every line is tagged with the component that wrote it. Credentials in
// URLs (a base URL with a password) are redacted from every line.
import * as vscode from 'vscode';
import { redactSecrets } from '../../core/util/redact-secrets';

export class Log {
  private constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly tag: string,
  ) {}

  /** Creates the channel; the caller owns it (dispose on deactivate). */
  static create(): { log: Log; channel: vscode.LogOutputChannel } {
    const channel = vscode.window.createOutputChannel('Trace Replay', { log: true });
    return { log: new Log(channel, 'extension'), channel };
  }

  /** A logger writing to the same channel under another component tag. */
  for(tag: string): Log {
    return new Log(this.channel, tag);
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.line(message), ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.line(message), ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.line(message), ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.line(message), ...args);
  }
  error(message: string, error?: unknown): void {
    // The error's text, not the object: its message and stack may quote a URL with a password.
    if (error instanceof Error) this.channel.error(this.line(message), redactSecrets(error.stack ?? error.message));
    else if (error !== undefined) this.channel.error(this.line(`${message}: ${String(error)}`));
    else this.channel.error(this.line(message));
  }

  private line(message: string): string {
    return `[${this.tag}] ${redactSecrets(message)}`;
  }

  show(): void {
    this.channel.show(true);
  }
}
