// The one output channel of the extension. A LogOutputChannel, so the user picks the level and
// VS Code adds timestamps; every line is tagged with the component that wrote it.
import * as vscode from 'vscode';

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
    this.channel.trace(`[${this.tag}] ${message}`, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(`[${this.tag}] ${message}`, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(`[${this.tag}] ${message}`, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(`[${this.tag}] ${message}`, ...args);
  }
  error(message: string, error?: unknown): void {
    if (error instanceof Error) this.channel.error(`[${this.tag}] ${message}`, error);
    else if (error !== undefined) this.channel.error(`[${this.tag}] ${message}: ${String(error)}`);
    else this.channel.error(`[${this.tag}] ${message}`);
  }

  show(): void {
    this.channel.show(true);
  }
}
