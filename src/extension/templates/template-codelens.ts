// The CodeLens at the top of a prompt-template file: "Replay N traces that used this prompt".
// Counted lazily (in resolveCodeLens) and cached per document version and store state.
import * as vscode from 'vscode';
import { CommandId } from '../common/command-ids';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { currentTemplate, templateUses } from '../replay/replay-with-template-command';
import type { StoreHost } from '../store/store-host';
import type { TemplateFiles } from './template-files';
import { errorMessage } from '../../core/util/error-message';

class TemplateLens extends vscode.CodeLens {
  constructor(readonly document: vscode.TextDocument) {
    super(new vscode.Range(0, 0, 0, 0));
  }
}

export class TemplateCodeLensProvider extends Disposable implements vscode.CodeLensProvider<TemplateLens> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  private storeGeneration = 0;
  private readonly cache = new Map<string, { key: string; title: Promise<string> }>();

  constructor(
    private readonly stores: StoreHost,
    private readonly templates: TemplateFiles,
    private readonly log: Log,
  ) {
    super();
    this.register(
      stores.onDidChangeTraces(() => {
        this.storeGeneration++;
        this.changed.fire();
      }),
    );
    this.register(templates.onDidChange(() => this.changed.fire()));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<TemplateLens[]> {
    return (await this.templates.isTemplate(document.uri)) ? [new TemplateLens(document)] : [];
  }

  async resolveCodeLens(lens: TemplateLens): Promise<TemplateLens> {
    const { document } = lens;
    const title = await this.title(document);
    const replayable = /^Replay /.test(title);
    lens.command = replayable
      ? {
          title,
          command: CommandId.ReplayWithTemplate,
          arguments: [document.uri],
          tooltip: "Replay them with this file's current content",
        }
      : { title, command: '' };
    return lens;
  }

  /** What the lens says for this document version (cached). */
  title(document: vscode.TextDocument): Promise<string> {
    const key = `${document.version}/${this.storeGeneration}`;
    const cached = this.cache.get(document.uri.toString());
    if (cached?.key === key) return cached.title;
    const title = this.count(document);
    this.cache.set(document.uri.toString(), { key, title });
    return title;
  }

  private async count(document: vscode.TextDocument): Promise<string> {
    try {
      const { template } = await currentTemplate(document.uri);
      const found = await templateUses(this.stores, document.uri, template);
      const n = found.uses.length;
      const more = found.capped ? ` (of the newest ${found.scanned})` : '';
      if (!n) return `No recorded traces use this prompt${more}`;
      return `Replay ${n} trace${n === 1 ? '' : 's'} that used this prompt${more}`;
    } catch (err) {
      this.log.debug(`CodeLens for ${document.uri.fsPath}: ${errorMessage(err)}`);
      return 'Trace Replay cannot read this prompt template';
    }
  }
}
