// Read-only documents for VS Code's diff editor: the original and replayed side of one LLM span's
// input or output (see diff-args.ts), served by a content provider (untitled documents would ask
// to be saved). The tab title names the call ("#2 gpt-4o-mini · output: original ↔ replay").
import * as vscode from 'vscode';
import type { DiffTexts } from './diff-args';

export const DIFF_SCHEME = 'trace-replay-diff';

export type OpenDiffArgs = DiffTexts;

export class DiffDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  private put(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  async open(a: OpenDiffArgs): Promise<void> {
    const ext = a.language === 'json' ? 'json' : 'txt';
    const base = `/${encodeURIComponent(a.replayId)}/${encodeURIComponent(a.spanId)}/${a.side}`;
    const left = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `${base}/original.${ext}` });
    const right = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `${base}/replay.${ext}` });
    this.put(left, a.original);
    this.put(right, a.replay);
    await vscode.commands.executeCommand('vscode.diff', left, right, a.title, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

/** Registers the provider; push the returned disposable onto context.subscriptions. */
export function registerDiffDocuments(): { documents: DiffDocuments; disposable: vscode.Disposable } {
  const documents = new DiffDocuments();
  const registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, documents);
  return { documents, disposable: vscode.Disposable.from(registration, documents) };
}
