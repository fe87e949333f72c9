// The aggregate of a batch of replays (confidence intervals, win / loss / tie), one panel per set
// of replay ids. It only displays; it posts nothing the host must handle.
import * as vscode from 'vscode';
import { envelope, ShowBatchMessage, type BatchShowParams, type Envelope } from '../../protocol';
import { PanelHost, VIEW_TYPES, type PanelContext } from './panel-host';
import { PanelRegistry } from './panel-registry';

export type BatchPanelData = BatchShowParams;

const keyOf = (d: BatchPanelData): string => [...d.batch.replayIds].sort().join(',');

export class BatchPanel {
  private static readonly open = new PanelRegistry<BatchPanel>();
  /** The panel's host side (tests read what it posted through activate()'s API). */
  readonly host: PanelHost;
  private readonly key: string;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: PanelContext,
    data: BatchPanelData,
  ) {
    this.key = keyOf(data);
    this.host = new PanelHost(
      panel,
      'batch',
      context,
      (m) => this.receive(m),
      () => BatchPanel.open.forget(this),
    );
    BatchPanel.open.track(this, this.key);
    this.host.show(envelope(ShowBatchMessage, data));
  }

  /** The replays the panel aggregates (the comparable ones of the batch). */
  get replayIds(): string[] {
    return this.key.split(',');
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  static show(
    context: PanelContext,
    data: BatchPanelData,
    options: { column?: vscode.ViewColumn; beside?: boolean } = {},
  ): BatchPanel {
    const existing = BatchPanel.open.get(keyOf(data));
    if (existing) {
      existing.host.show(envelope(ShowBatchMessage, data));
      existing.panel.reveal();
      return existing;
    }
    const column = options.column ?? (options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPES.batch,
      data.title ?? `Batch: ${data.batch.count} replays`,
      column,
      {},
    );
    return new BatchPanel(panel, context, data);
  }

  static restore(context: PanelContext, panel: vscode.WebviewPanel, data: BatchPanelData): BatchPanel {
    return BatchPanel.open.restore(keyOf(data), panel, () => new BatchPanel(panel, context, data));
  }

  /** The open panel of exactly these replays (any order), if any. */
  static get(jobIds: readonly string[]): BatchPanel | undefined {
    return BatchPanel.open.get([...jobIds].sort().join(','));
  }

  private receive(m: Envelope): void {
    this.context.log?.warn(`batch panel: unexpected message ${m.method}`);
  }

  dispose(): void {
    this.host.panel.dispose();
  }
}
