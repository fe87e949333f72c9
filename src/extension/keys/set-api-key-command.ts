// "Trace Replay: Set API Key...": pick the provider, type the key into a password box. An empty
// answer removes the stored key. The key itself is never logged or shown. Args: { key } (an
// ApiKeyName) or { provider } (a provider id or endpoint profile name: a UserError's set-api-key
// action) skips the pick — the "Set API Key..." button of a toast opens that provider's box;
// resolves true when a key was stored.
import * as vscode from 'vscode';
import { DEFAULT_CONNECTION_NAME } from '../../core/sources/platform';
import { PLATFORMS } from '../../core/sources/platform-registry';
import { apiKeyProviders, providerById } from '../../core/llm/provider-registry';
import {
  endpointKeyName,
  envVarsFor,
  platformKeyName,
  providerKeyName,
  type ApiKeyName,
  type ApiKeys,
} from './api-keys';
import { connectionEntries } from '../sources/platform-connection-list';
import { CommandId } from '../common/command-ids';
import type { Log } from '../common/log';
import type { Notifications } from '../common/notifications';
import { endpointProfiles } from './provider-settings';
import { getSetting } from '../common/settings';

interface KeyItem extends vscode.QuickPickItem {
  key: ApiKeyName;
}

async function keyItems(keys: ApiKeys): Promise<KeyItem[]> {
  const entries: [ApiKeyName, string][] = [
    // Every provider of the registry whose key is one secret, then the endpoint profiles.
    ...apiKeyProviders().map((a) => [providerKeyName(a), a.displayName] as [ApiKeyName, string]),
    ...endpointProfiles().map(
      (p) => [endpointKeyName(p.name), `Endpoint "${p.name}" (${p.baseUrl})`] as [ApiKeyName, string],
    ),
    // Each platform's keys: the default connection's, then those of its named connections
    // (traceReplay.<platform>.connections; "Connect <Platform>..." asks for them all at once).
    ...PLATFORMS.flatMap((p) => [
      ...p.secrets.map(
        (s) =>
          [platformKeyName(p.id, DEFAULT_CONNECTION_NAME, s.key), `${p.displayName} ${s.label.toLowerCase()}`] as [
            ApiKeyName,
            string,
          ],
      ),
      ...connectionEntries(p, getSetting(`${p.id}.connections`), false)
        .filter((c) => c.name !== DEFAULT_CONNECTION_NAME)
        .flatMap((c) =>
          p.secrets.map(
            (s) =>
              [platformKeyName(p.id, c.name, s.key), `${p.displayName} "${c.name}" ${s.label.toLowerCase()}`] as [
                ApiKeyName,
                string,
              ],
          ),
        ),
    ]),
  ];
  return Promise.all(
    entries.map(async ([key, label]) => ({
      key,
      label,
      description: (await keys.has(key)) ? 'stored' : `not stored (falls back to ${envVarsFor(key).join(' / ')})`,
    })),
  );
}

export type SetApiKeyOptions = { key: ApiKeyName } | { provider: string };

/** The key an argument names: { key } as given; { provider }: an endpoint profile's key, else the
 *  provider's own (as the replay key check names it). */
function keyOf(arg: unknown): ApiKeyName | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { key, provider } = arg as { key?: unknown; provider?: unknown };
  if (typeof key === 'string') return key;
  if (typeof provider !== 'string' || !provider) return undefined;
  if (endpointProfiles().some((p) => p.name === provider)) return endpointKeyName(provider);
  const adapter = providerById(provider);
  return adapter ? providerKeyName(adapter) : provider;
}

export function registerSetApiKeyCommand(keys: ApiKeys, log: Log, notifications: Notifications): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.SetApiKey, async (arg?: unknown): Promise<boolean> => {
    const items = await keyItems(keys);
    const key = keyOf(arg);
    const preset = key !== undefined ? (items.find((i) => i.key === key) ?? { key, label: key }) : undefined;
    const picked =
      preset ??
      (await vscode.window.showQuickPick(items, {
        title: 'Trace Replay: Set API Key',
        placeHolder: 'Which key?',
        ignoreFocusOut: true,
      }));
    if (!picked) return false;
    const stored = await keys.has(picked.key);
    const value = await vscode.window.showInputBox({
      title: `Trace Replay: ${picked.label}`,
      prompt: stored
        ? 'A key is stored; enter a new one, or leave empty to remove it.'
        : "The key is kept in VS Code's secret storage.",
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value.trim() === '') {
      if (!stored) return false;
      await keys.delete(picked.key);
      log.info(`API key removed: ${picked.key}`);
      void notifications.info(`The ${picked.label} key was removed.`);
      return false;
    }
    await keys.set(picked.key, value.trim());
    log.info(`API key stored: ${picked.key}`);
    void notifications.info(`The ${picked.label} key is stored.`);
    return true;
  });
}
