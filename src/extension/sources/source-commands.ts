// "Switch Trace Source..." (which source the Traces view lists: the local store or a platform
// connection) and "Connect <Platform>..." (its settings — base URL, project... —, a name, and its
// keys; the keys go to SecretStorage, the rest to `traceReplay.<platform>.connections`). One flow
// for every platform of the registry, driven by its descriptor.
import { errorMessage } from '../../core/util/error-message';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LOCAL_SOURCE_ID } from '../../core/sources/local-source';
import type { ConnectionSecret, ConnectionSetting, PlatformDescriptor } from '../../core/sources/platform';
import { normalizePlatformUrl } from '../../core/sources/platform-env';
import { findPlatform, PLATFORMS } from '../../core/sources/platform-registry';
import { CommandId, connectCommandId } from '../common/command-ids';
import type { Notifications } from '../common/notifications';
import { CONNECTION_NAME, suggestConnectionName } from './platform-connection-list';
import type { NewPlatformConnection } from './platform-connections';
import type { StoreHost } from '../store/store-host';
import type { TraceSources } from './trace-sources';

/** Args of Connect <Platform>...: any of the connection's name, settings and secrets, given either
 *  nested or flat by their keys (`{ name, baseUrl, publicKey, secretKey }` for Langfuse). */
export interface ConnectPlatformOptions {
  platform?: string;
  name?: string;
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
  [key: string]: unknown;
}

interface SourceItem extends vscode.QuickPickItem {
  sourceId?: string;
  connect?: PlatformDescriptor;
}

function isOptions(v: unknown): v is ConnectPlatformOptions {
  return typeof v === 'object' && v !== null && !('type' in v);
}

async function pickSource(sources: TraceSources, stores: StoreHost): Promise<SourceItem | undefined> {
  const active = sources.active().id;
  const mark = (id: string): string | undefined => (id === active ? 'active' : undefined);
  const items: SourceItem[] = [
    {
      label: '$(database) Local store',
      description: mark(LOCAL_SOURCE_ID),
      detail: path.basename(stores.storeDir()),
      sourceId: LOCAL_SOURCE_ID,
    },
  ];
  for (const c of await sources.connections.list()) {
    items.push({
      label: `$(cloud) ${c.label}`,
      description: mark(c.sourceId),
      detail: c.settings.baseUrl,
      sourceId: c.sourceId,
    });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  for (const p of PLATFORMS)
    items.push({
      label: `$(plug) Connect ${p.displayName}…`,
      detail: p.keysHelp ? `keys: ${p.keysHelp}` : undefined,
      connect: p,
    });
  return vscode.window.showQuickPick(items, {
    title: 'Trace Replay: Switch Trace Source',
    placeHolder: 'Which traces the Traces view lists',
  });
}

async function askSetting(
  platform: PlatformDescriptor,
  s: ConnectionSetting,
  preset: string | undefined,
  step: string,
): Promise<string | undefined> {
  const title = `Trace Replay: Connect ${platform.displayName} (${step})`;
  const validate = (v: string): string | undefined => {
    if (s.key !== 'baseUrl')
      return v.trim() || s.default !== undefined ? undefined : `Type the ${s.label.toLowerCase()}.`;
    try {
      normalizePlatformUrl(v, `the ${platform.displayName} base URL`, s.placeholder ?? s.default ?? 'https://...');
      return undefined;
    } catch (err) {
      return errorMessage(err);
    }
  };
  if (s.choices?.length) {
    const items: (vscode.QuickPickItem & { value?: string })[] = [
      ...s.choices.map((c) => ({ label: c.label, description: c.value, value: c.value })),
      { label: 'Self-hosted or other…', description: `type the ${s.label.toLowerCase()}` },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: `Where is the ${platform.displayName} project?`,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.value) return picked.value;
  }
  const value = await vscode.window.showInputBox({
    title,
    prompt: `${s.label} of the ${platform.displayName} ${s.key === 'baseUrl' ? 'server' : 'connection'}${s.default !== undefined ? ` (default: ${s.default})` : ''}`,
    placeHolder: s.placeholder ?? s.default,
    value: preset ?? s.default ?? '',
    ignoreFocusOut: true,
    validateInput: validate,
  });
  return value === undefined ? undefined : value.trim() || s.default;
}

async function askSecret(platform: PlatformDescriptor, s: ConnectionSecret, step: string): Promise<string | undefined> {
  const where = platform.keysHelp ? ` (${platform.keysHelp})` : '';
  const optional = s.optional ? '; leave it empty when the server needs none' : "; kept in VS Code's secret storage";
  return vscode.window.showInputBox({
    title: `Trace Replay: Connect ${platform.displayName} (${step})`,
    prompt: `${s.label} of the ${platform.displayName} project${where}${optional}`,
    placeHolder: s.placeholder,
    password: !s.visible,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() || s.optional
        ? undefined
        : `Paste the key from ${platform.keysHelp ?? `the ${platform.displayName} settings`}.`,
  });
}

function given(options: ConnectPlatformOptions, key: string, nested: 'settings' | 'secrets'): string | undefined {
  const v = options[nested]?.[key] ?? options[key];
  return typeof v === 'string' ? v : undefined;
}

async function askConnection(
  sources: TraceSources,
  platform: PlatformDescriptor,
  options: ConnectPlatformOptions,
): Promise<NewPlatformConnection | undefined> {
  const existing = await sources.connections.list(platform);
  const known = existing.find((c) => c.name === options.name);
  const steps = platform.settings.length + 1 + platform.secrets.length;
  let step = 0;
  const next = (): string => `${++step}/${steps}`;
  const settings: Record<string, string> = {};
  const [first, ...rest] = platform.settings;
  if (first) {
    const v =
      given(options, first.key, 'settings') ?? (await askSetting(platform, first, known?.settings[first.key], next()));
    if (v === undefined) return undefined;
    settings[first.key] = v;
  }
  const taken = existing.map((c) => c.name);
  const name =
    options.name ??
    (await vscode.window.showInputBox({
      title: `Trace Replay: Connect ${platform.displayName} (${next()})`,
      prompt: 'A name for this connection (the name of an existing one updates it)',
      value: suggestConnectionName(platform, settings.baseUrl ?? '', taken),
      ignoreFocusOut: true,
      validateInput: (v) =>
        CONNECTION_NAME.test(v.trim()) ? undefined : 'Use letters, digits, - and _ (e.g. prod or eu-cloud).',
    }));
  if (name === undefined) return undefined;
  if (options.name !== undefined) step++;
  for (const s of rest) {
    const v = given(options, s.key, 'settings') ?? (await askSetting(platform, s, known?.settings[s.key], next()));
    if (v === undefined) return undefined;
    settings[s.key] = v;
  }
  const secrets: Record<string, string> = {};
  for (const s of platform.secrets) {
    const v = given(options, s.key, 'secrets') ?? (await askSecret(platform, s, next()));
    if (v === undefined) return undefined;
    secrets[s.key] = v;
  }
  return { name: name.trim(), settings, secrets };
}

function connectCommand(sources: TraceSources, notifications: Notifications, fixed?: PlatformDescriptor) {
  // Saves the connection and shows its traces; returns its source id.
  return async (arg?: unknown): Promise<string | undefined> => {
    const options = isOptions(arg) ? arg : {};
    let platform = fixed ?? (options.platform ? findPlatform(options.platform) : undefined);
    try {
      if (!platform) {
        const picked = await vscode.window.showQuickPick(
          PLATFORMS.map((p) => ({ label: p.displayName, platform: p })),
          { title: 'Trace Replay: Connect Platform', placeHolder: 'Which platform keeps your traces?' },
        );
        if (!picked) return undefined;
        platform = picked.platform;
      }
      const input = await askConnection(sources, platform, options);
      if (!input) return undefined;
      const entry = await sources.connections.save(platform, input);
      await sources.setActive(entry.sourceId);
      void notifications.info(`The Traces view now lists ${entry.label}; its keys are in VS Code's secret storage.`);
      return entry.sourceId;
    } catch (err) {
      // A platform error that means "fix the connection" carries Connect <Platform>... as its button.
      void notifications.reportError(err, `connect ${platform?.displayName ?? 'the platform'}`);
      return undefined;
    }
  };
}

export function registerSourceCommands(
  sources: TraceSources,
  stores: StoreHost,
  notifications: Notifications,
): vscode.Disposable[] {
  return [
    // Returns the id of the source now shown (undefined when nothing changed).
    vscode.commands.registerCommand(CommandId.SwitchTraceSource, async (arg?: unknown) => {
      try {
        if (typeof arg === 'string') return (await sources.setActive(arg)).id;
        const picked = await pickSource(sources, stores);
        if (!picked) return undefined;
        if (picked.connect)
          return await vscode.commands.executeCommand<string | undefined>(CommandId.ConnectPlatform, {
            platform: picked.connect.id,
          });
        return picked.sourceId !== undefined ? (await sources.setActive(picked.sourceId)).id : undefined;
      } catch (err) {
        void notifications.reportError(err, 'switch the trace source');
        return undefined;
      }
    }),
    vscode.commands.registerCommand(CommandId.ConnectPlatform, connectCommand(sources, notifications)),
    // The palette entries of the platforms the registry has ("Connect Langfuse...", "Connect Arize Phoenix...").
    ...PLATFORMS.map((p) =>
      vscode.commands.registerCommand(connectCommandId(p), connectCommand(sources, notifications, p)),
    ),
  ];
}
