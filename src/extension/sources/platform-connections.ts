// The platform connections of this VS Code, for every platform of the registry: name and settings
// (base URL, project...) in `traceReplay.<platform>.connections`, the secrets of each in
// SecretStorage (environment variables as a fallback). Builds the core's connection objects through
// the platform's descriptor; secrets never leave this file otherwise and are never logged.
import * as vscode from 'vscode';
import {
  DEFAULT_CONNECTION_NAME,
  type ConnectionInput,
  type PlatformConnection,
  type PlatformDescriptor,
} from '../../core/sources/platform';
import { PlatformConfigError } from '../../core/sources/platform-errors';
import { platformEnvVar } from '../../core/sources/platform-env';
import { PLATFORMS } from '../../core/sources/platform-registry';
import { platformKeyName, type ApiKeys } from '../keys/api-keys';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { affectsSetting, getSetting, SECTION, settingId } from '../common/settings';
import {
  CONNECTION_NAME,
  connectionEntries,
  withConnection,
  type Env,
  type PlatformConnectionEntry,
} from './platform-connection-list';

export interface NewPlatformConnection {
  name: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export function connectCommandTitle(platform: Pick<PlatformDescriptor, 'displayName'>): string {
  return `"Trace Replay: Connect ${platform.displayName}..."`;
}

function connectionsKey(platform: PlatformDescriptor): `${string}.connections` {
  return `${platform.id}.connections`;
}

export class PlatformConnections extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** A connection was added or changed, or one of the stored keys. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly keys: ApiKeys,
    private readonly log: Log,
    private readonly env: Env = process.env,
  ) {
    super();
    this.register(keys.onDidChange(() => this.changed.fire()));
    this.register(
      vscode.workspace.onDidChangeConfiguration(
        (e) => PLATFORMS.some((p) => affectsSetting(e, connectionsKey(p))) && this.changed.fire(),
      ),
    );
  }

  /** Every configured connection of `platform` (all platforms when absent); a default connection
   *  only when its required secrets are available. */
  async list(platform?: PlatformDescriptor): Promise<PlatformConnectionEntry[]> {
    const out: PlatformConnectionEntry[] = [];
    for (const p of platform ? [platform] : PLATFORMS) {
      out.push(...connectionEntries(p, getSetting(connectionsKey(p)), await this.defaultHasKeys(p), this.env));
    }
    return out;
  }

  /** Without asking SecretStorage: the entries of the settings, and the default ones whose
   *  environment has their keys. For labels that must be known synchronously. */
  listSync(platform?: PlatformDescriptor): PlatformConnectionEntry[] {
    return (platform ? [platform] : PLATFORMS).flatMap((p) =>
      connectionEntries(p, getSetting(connectionsKey(p)), this.envHasKeys(p), this.env),
    );
  }

  /** The named connection with its secrets. Throws PlatformConfigError (one sentence: what to set). */
  async connection(platform: PlatformDescriptor, name: string): Promise<PlatformConnection> {
    const entry = (await this.list(platform)).find((c) => c.name === name);
    const connect = connectCommandTitle(platform);
    const envVars = platform.secrets.filter((s) => !s.optional).map((s) => platformEnvVar(platform, name, s.envSuffix));
    const orEnv = envVars.length ? ` (or set ${envVars.join(' and ')})` : '';
    if (!entry) {
      if (name === DEFAULT_CONNECTION_NAME)
        throw new PlatformConfigError(`No ${platform.displayName} connection is set up; run ${connect}${orEnv}.`);
      throw new PlatformConfigError(
        `There is no ${platform.displayName} connection named "${name}" in ${settingId(connectionsKey(platform))}; add it with ${connect}.`,
      );
    }
    const input: ConnectionInput = { name, settings: { ...entry.settings }, secrets: {} };
    const missing: string[] = [];
    for (const s of platform.secrets) {
      const got = await this.keys.get(platformKeyName(platform.id, name, s.key));
      if (got) input.secrets[s.key] = got.value;
      else if (!s.optional) missing.push(s.label.toLowerCase());
    }
    if (missing.length) {
      throw new PlatformConfigError(
        `No ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} stored for the ${platform.displayName} connection "${name}"; run ${connect}${orEnv}.`,
      );
    }
    return platform.connection(input);
  }

  /** Stores the secrets and adds (or updates) the setting entry: in the workspace settings when the
   *  workspace already lists connections, else in the user settings. Validates through the
   *  descriptor first, so nothing is saved for a connection that cannot be built. */
  async save(platform: PlatformDescriptor, input: NewPlatformConnection): Promise<PlatformConnectionEntry> {
    const name = input.name.trim();
    if (!CONNECTION_NAME.test(name))
      throw new PlatformConfigError(`"${name}" cannot name a connection; use letters, digits, - and _.`);
    const built = platform.connection({ name, settings: input.settings, secrets: input.secrets });
    for (const s of platform.secrets) {
      const value = input.secrets[s.key]?.trim();
      const keyName = platformKeyName(platform.id, name, s.key);
      if (value) await this.keys.set(keyName, value);
      else await this.keys.delete(keyName);
    }
    const settings: Record<string, string> = { baseUrl: built.baseUrl };
    for (const s of platform.settings)
      if (s.key !== 'baseUrl' && input.settings[s.key]?.trim()) settings[s.key] = input.settings[s.key].trim();
    const config = vscode.workspace.getConfiguration(SECTION);
    const key = connectionsKey(platform);
    const inspected = config.inspect<unknown[]>(key);
    const target =
      inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    const current =
      target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
    await config.update(key, withConnection(current, { name, ...settings }), target);
    this.log.info(`${platform.displayName} connection "${name}" saved (${built.baseUrl}; keys in secret storage)`);
    const entry = (await this.list(platform)).find((c) => c.name === name);
    if (!entry)
      throw new PlatformConfigError(
        `The ${platform.displayName} connection "${name}" could not be saved to ${settingId(key)}.`,
      );
    return entry;
  }

  private async defaultHasKeys(platform: PlatformDescriptor): Promise<boolean> {
    const required = platform.secrets.filter((s) => !s.optional);
    if (required.length === 0) {
      if (this.envHasSettings(platform)) return true;
      for (const s of platform.secrets)
        if (await this.keys.has(platformKeyName(platform.id, DEFAULT_CONNECTION_NAME, s.key))) return true;
      return false;
    }
    for (const s of required)
      if (!(await this.keys.get(platformKeyName(platform.id, DEFAULT_CONNECTION_NAME, s.key)))) return false;
    return true;
  }

  private envHasKeys(platform: PlatformDescriptor): boolean {
    const required = platform.secrets.filter((s) => !s.optional);
    if (required.length === 0) return this.envHasSettings(platform);
    return required.every((s) => !!this.env[platformEnvVar(platform, DEFAULT_CONNECTION_NAME, s.envSuffix)]?.trim());
  }

  /** A platform without required keys (Phoenix) has a default connection when its environment
   *  names a server or a key. */
  private envHasSettings(platform: PlatformDescriptor): boolean {
    return [...platform.settings, ...platform.secrets].some(
      (s) => !!this.env[platformEnvVar(platform, DEFAULT_CONNECTION_NAME, s.envSuffix)]?.trim(),
    );
  }
}
