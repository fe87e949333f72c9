// "Switch Trace Source..." (which source the Traces view lists: the local store or a Langfuse
// connection) and "Connect Langfuse..." (base URL, name, public and secret key; the keys go to
// SecretStorage, the name and URL to `traceReplay.langfuse.connections`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGFUSE_CLOUD_REGIONS, normalizeBaseUrl } from '../core/sources/langfuse/langfuse-config';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import { LOCAL_SOURCE_ID } from '../core/sources/local-source';
import { CommandId } from './command-ids';
import { CONNECTION_NAME, suggestConnectionName } from './langfuse-connection-list';
import type { NewLangfuseConnection } from './langfuse-connections';
import type { Log } from './log';
import type { StoreHost } from './store-host';
import type { TraceSources } from './trace-sources';

export type ConnectLangfuseOptions = Partial<NewLangfuseConnection>;

interface SourceItem extends vscode.QuickPickItem {
  sourceId?: string;
  connect?: boolean;
}

const TITLE = 'Trace Replay: Connect Langfuse';

function isOptions(v: unknown): v is ConnectLangfuseOptions {
  return typeof v === 'object' && v !== null && !('type' in v);
}

/** A Langfuse (or source) error as one sentence; other errors are logged with a pointer to the output. */
function showError(log: Log, what: string, err: unknown): void {
  if (err instanceof LangfuseError) {
    const fixable = ['config', 'unauthorized', 'forbidden', 'bad-url'].includes(err.code);
    const actions = fixable ? ['Connect Langfuse...'] : [];
    void vscode.window.showErrorMessage(`Trace Replay: ${err.message}`, ...actions).then(c => c && vscode.commands.executeCommand(CommandId.ConnectLangfuse));
    return;
  }
  log.error(`${what} failed`, err);
  void vscode.window.showErrorMessage(`Trace Replay could not ${what}. See the Trace Replay output for details.`, 'Open Output').then(c => c && log.show());
}

async function pickSource(sources: TraceSources, stores: StoreHost): Promise<SourceItem | undefined> {
  const active = sources.active().id;
  const mark = (id: string): string | undefined => (id === active ? 'active' : undefined);
  const items: SourceItem[] = [
    { label: '$(database) Local store', description: mark(LOCAL_SOURCE_ID), detail: path.basename(stores.storeDir()), sourceId: LOCAL_SOURCE_ID },
  ];
  for (const c of await sources.connections.list()) {
    items.push({ label: `$(cloud) ${c.label}`, description: mark(c.sourceId), detail: c.baseUrl, sourceId: c.sourceId });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(plug) Connect Langfuse…', detail: 'Langfuse Cloud or a self-hosted server', connect: true });
  return vscode.window.showQuickPick(items, { title: 'Trace Replay: Switch Trace Source', placeHolder: 'Which traces the Traces view lists' });
}

async function askBaseUrl(preset: string | undefined): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { url?: string })[] = [
    { label: 'Langfuse Cloud (EU)', description: LANGFUSE_CLOUD_REGIONS.eu, url: LANGFUSE_CLOUD_REGIONS.eu },
    { label: 'Langfuse Cloud (US)', description: LANGFUSE_CLOUD_REGIONS.us, url: LANGFUSE_CLOUD_REGIONS.us },
    { label: 'Self-hosted or other…', description: 'type the base URL' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (1/4)`, placeHolder: 'Where is the Langfuse project?', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.url) return picked.url;
  return vscode.window.showInputBox({
    title: `${TITLE} (1/4)`, prompt: 'Base URL of the Langfuse server', placeHolder: 'https://langfuse.example.com', value: preset ?? '', ignoreFocusOut: true,
    validateInput: v => {
      try {
        normalizeBaseUrl(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
}

async function askConnection(sources: TraceSources, options: ConnectLangfuseOptions): Promise<NewLangfuseConnection | undefined> {
  const existing = await sources.connections.list();
  const known = existing.find(c => c.name === options.name);
  const baseUrl = options.baseUrl ?? (await askBaseUrl(known?.baseUrl));
  if (baseUrl === undefined) return undefined;
  const taken = existing.map(c => c.name);
  const name = options.name ?? (await vscode.window.showInputBox({
    title: `${TITLE} (2/4)`, prompt: 'A name for this connection (the name of an existing one updates it)',
    value: suggestConnectionName(baseUrl, taken), ignoreFocusOut: true,
    validateInput: v => (CONNECTION_NAME.test(v.trim()) ? undefined : 'Use letters, digits, - and _ (e.g. prod or eu-cloud).'),
  }));
  if (name === undefined) return undefined;
  const required = (v: string): string | undefined => (v.trim() ? undefined : 'Paste the key from the Langfuse project settings -> API keys.');
  const publicKey = options.publicKey ?? (await vscode.window.showInputBox({
    title: `${TITLE} (3/4)`, prompt: 'Public key of the Langfuse project (project settings -> API keys)', placeHolder: 'pk-lf-…', ignoreFocusOut: true, validateInput: required,
  }));
  if (publicKey === undefined) return undefined;
  const secretKey = options.secretKey ?? (await vscode.window.showInputBox({
    title: `${TITLE} (4/4)`, prompt: 'Secret key of the Langfuse project; kept in VS Code\'s secret storage', placeHolder: 'sk-lf-…', password: true, ignoreFocusOut: true, validateInput: required,
  }));
  if (secretKey === undefined) return undefined;
  return { name: name.trim(), baseUrl, publicKey, secretKey };
}

export function registerSourceCommands(sources: TraceSources, stores: StoreHost, log: Log): vscode.Disposable[] {
  return [
    // Returns the id of the source now shown (undefined when nothing changed).
    vscode.commands.registerCommand(CommandId.SwitchTraceSource, async (arg?: unknown) => {
      try {
        if (typeof arg === 'string') return (await sources.setActive(arg)).id;
        const picked = await pickSource(sources, stores);
        if (!picked) return undefined;
        if (picked.connect) return await vscode.commands.executeCommand<string | undefined>(CommandId.ConnectLangfuse);
        return picked.sourceId !== undefined ? (await sources.setActive(picked.sourceId)).id : undefined;
      } catch (err) {
        showError(log, 'switch the trace source', err);
        return undefined;
      }
    }),
    // Saves the connection and shows its traces; returns its source id.
    vscode.commands.registerCommand(CommandId.ConnectLangfuse, async (arg?: unknown) => {
      try {
        const input = await askConnection(sources, isOptions(arg) ? arg : {});
        if (!input) return undefined;
        const entry = await sources.connections.save(input);
        await sources.setActive(entry.sourceId);
        void vscode.window.showInformationMessage(`Trace Replay: the Traces view now lists ${entry.label}; its keys are in VS Code's secret storage.`);
        return entry.sourceId;
      } catch (err) {
        showError(log, 'connect Langfuse', err);
        return undefined;
      }
    }),
  ];
}
