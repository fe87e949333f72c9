// One webview panel of Trace Replay: options (scripts on, only the bundle and codicons folders
// readable), the CSP'd HTML shell, the `ready` handshake (nothing is posted before the webview
// says it listens; the latest state waits until then) and dispatch of typed messages.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { codiconsDirs } from '../../core/report/report-assets';
import { isMessage, ReadyMessage, type Envelope, type PanelKind } from '../../protocol';
import type { Log } from '../common/log';
import type { Notifications } from '../common/notifications';
import { buildWebviewHtml, makeNonce } from './webview-html';

/** What every panel needs from the extension; the handlers are wired by the integrator. */
export interface PanelContext {
  extensionUri: vscode.Uri;
  log?: Log;
  /** Where a failed action of the panel is reported. */
  notifications: Notifications;
}

export const VIEW_TYPES: Record<PanelKind, string> = {
  comparison: 'traceReplay.comparison',
  trace: 'traceReplay.traceDetail',
  batch: 'traceReplay.batch',
};

function bundleDir(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** The codicons folder: a copy in dist/webview/codicons when packaging made one, else the npm package. */
function codiconsDir(extensionUri: vscode.Uri): vscode.Uri {
  const found = codiconsDirs(extensionUri.fsPath).find((d) => existsSync(path.join(d, 'codicon.css')));
  return vscode.Uri.file(found ?? codiconsDirs(extensionUri.fsPath)[1]);
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  // No retainContextWhenHidden: a hidden panel is rebuilt from its state (ids) when shown again.
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [bundleDir(extensionUri), codiconsDir(extensionUri)],
  };
}

export type MessageHandler = (message: Envelope) => void | Promise<void>;

/** What the integration tests (through activate()'s API) see of an open panel: the page it
 *  loaded, what the host posted, and the way in for a message as if the webview had sent it. */
export interface PanelProbe {
  readonly panel: vscode.WebviewPanel;
  readonly kind: PanelKind;
  /** The webview said `ready` (the page loaded and listens). */
  readonly isReady: boolean;
  /** What the panel shows now (posted, or waiting for the webview's `ready`). */
  readonly content: Envelope | undefined;
  /** Fires when the panel is given new content. */
  readonly onDidChangeContent: vscode.Event<Envelope>;
  /** The last message the webview took delivery of (a hidden webview takes none). */
  readonly lastPosted: Envelope | undefined;
  /** Fires after each delivered message. */
  readonly onDidPost: vscode.Event<Envelope>;
  /** Handles `message` exactly as one from the webview. */
  dispatch(message: unknown): Promise<void>;
}

export class PanelHost implements vscode.Disposable, PanelProbe {
  private ready = false;
  private posted: Envelope | undefined;
  private readonly postEmitter = new vscode.EventEmitter<Envelope>();
  readonly onDidPost = this.postEmitter.event;
  private readonly contentEmitter = new vscode.EventEmitter<Envelope>();
  readonly onDidChangeContent = this.contentEmitter.event;
  /** The panel's current content; posted on every `ready` (a webview reloads when moved between windows). */
  private state: Envelope | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly kind: PanelKind,
    private readonly context: PanelContext,
    private readonly onMessage: MessageHandler,
    onDispose: () => void,
  ) {
    panel.webview.options = webviewOptions(context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'trace-replay.svg');
    panel.webview.html = this.html(panel.title);
    this.subscriptions.push(
      this.postEmitter,
      this.contentEmitter,
      panel.webview.onDidReceiveMessage((m) => void this.dispatch(m)),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  private html(title: string): string {
    const w = this.panel.webview;
    const bundle = bundleDir(this.context.extensionUri);
    return buildWebviewHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.css')).toString(),
      codiconsUri: w
        .asWebviewUri(vscode.Uri.joinPath(codiconsDir(this.context.extensionUri), 'codicon.css'))
        .toString(),
      panel: this.kind,
      title,
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  get content(): Envelope | undefined {
    return this.state;
  }

  get lastPosted(): Envelope | undefined {
    return this.posted;
  }

  private send(message: Envelope): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered || this.disposed) return;
        this.posted = message;
        this.postEmitter.fire(message);
      },
      (err: unknown) => this.context.log?.error('posting to the webview failed', err),
    );
  }

  async dispatch(message: unknown): Promise<void> {
    if (isMessage(ReadyMessage, message)) {
      // A reload of the webview (or its first load) starts a new handshake: post the state again.
      this.ready = true;
      if (this.state) this.send(this.state);
      return;
    }
    if (typeof message !== 'object' || message === null || typeof (message as Envelope).method !== 'string') {
      this.context.log?.warn(`ignoring a malformed message from the ${this.kind} panel`);
      return;
    }
    try {
      await this.onMessage(message as Envelope);
    } catch (err) {
      void this.context.notifications.reportError(
        err,
        `complete "${(message as Envelope).method}" in the ${this.kind} panel`,
      );
    }
  }

  /** Shows `message` now if the webview listens, else as soon as it says `ready`. */
  show(message: Envelope): void {
    this.state = message;
    if (this.ready) this.send(message);
    this.contentEmitter.fire(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.subscriptions.splice(0).reverse()) d.dispose();
  }
}
