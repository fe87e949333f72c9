// The Langfuse connections of this VS Code: name and base URL in `traceReplay.langfuse.connections`,
// the public and secret key of each in SecretStorage (environment variables as a fallback). Builds
// the core's LangfuseConnection objects; keys never leave this file otherwise and are never logged.
import * as vscode from 'vscode';
import { DEFAULT_CONNECTION_NAME, langfuseConnection, normalizeBaseUrl, type LangfuseConnection } from '../core/sources/langfuse/langfuse-config';
import { LangfuseConfigError } from '../core/sources/langfuse/langfuse-errors';
import { langfuseKeyNames, type ApiKeys } from './api-keys';
import {
  CONNECTION_NAME, langfuseConnectionEntries, langfuseEnvVar, withConnection, type Env, type LangfuseConnectionEntry,
} from './langfuse-connection-list';
import { Disposable } from './lifecycle';
import type { Log } from './log';
import { affectsSetting, getSetting, SECTION, settingId } from './settings';

export interface NewLangfuseConnection {
  name: string;
  baseUrl: string;
  publicKey: string;
  secretKey: string;
}

const CONNECT = '"Trace Replay: Connect Langfuse..."';

export class LangfuseConnections extends Disposable {
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
    this.register(vscode.workspace.onDidChangeConfiguration(e => affectsSetting(e, 'langfuse.connections') && this.changed.fire()));
  }

  /** Every configured connection (the default one only when its keys are available). */
  async list(): Promise<LangfuseConnectionEntry[]> {
    const { publicKey } = langfuseKeyNames(DEFAULT_CONNECTION_NAME);
    return langfuseConnectionEntries(getSetting('langfuse.connections'), (await this.keys.get(publicKey)) !== undefined, this.env);
  }

  /** Without asking SecretStorage: the entries of the setting, and the default one when the
   *  environment has its key. For labels that must be known synchronously. */
  listSync(): LangfuseConnectionEntry[] {
    return langfuseConnectionEntries(getSetting('langfuse.connections'), !!this.env.LANGFUSE_PUBLIC_KEY?.trim(), this.env);
  }

  /** The named connection with its keys. Throws LangfuseConfigError (one sentence: what to set). */
  async connection(name: string): Promise<LangfuseConnection> {
    const entry = (await this.list()).find(c => c.name === name);
    const names = langfuseKeyNames(name);
    if (!entry) {
      if (name === DEFAULT_CONNECTION_NAME) {
        throw new LangfuseConfigError(`No Langfuse connection is set up; run ${CONNECT} (or set ${langfuseEnvVar(name, 'PUBLIC_KEY')} and ${langfuseEnvVar(name, 'SECRET_KEY')}).`);
      }
      throw new LangfuseConfigError(`There is no Langfuse connection named "${name}" in ${settingId('langfuse.connections')}; add it with ${CONNECT}.`);
    }
    const [publicKey, secretKey] = await Promise.all([this.keys.get(names.publicKey), this.keys.get(names.secretKey)]);
    if (!publicKey || !secretKey) {
      const missing = !publicKey && !secretKey ? 'No keys are' : !publicKey ? 'No public key is' : 'No secret key is';
      throw new LangfuseConfigError(`${missing} stored for the Langfuse connection "${name}"; run ${CONNECT} (or set ${langfuseEnvVar(name, 'PUBLIC_KEY')} and ${langfuseEnvVar(name, 'SECRET_KEY')}).`);
    }
    const baseUrl = normalizeBaseUrl(entry.baseUrl, `the base URL of the Langfuse connection "${name}"`);
    return langfuseConnection({ name, baseUrl, publicKey: publicKey.value, secretKey: secretKey.value });
  }

  /** Stores the keys and adds (or updates) the setting entry: in the workspace settings when the
   *  workspace already lists connections, else in the user settings. */
  async save(input: NewLangfuseConnection): Promise<LangfuseConnectionEntry> {
    const name = input.name.trim();
    if (!CONNECTION_NAME.test(name)) throw new LangfuseConfigError(`"${name}" cannot name a connection; use letters, digits, - and _.`);
    const baseUrl = normalizeBaseUrl(input.baseUrl);
    const names = langfuseKeyNames(name);
    await this.keys.set(names.publicKey, input.publicKey.trim());
    await this.keys.set(names.secretKey, input.secretKey.trim());
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<unknown[]>('langfuse.connections');
    const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
    await config.update('langfuse.connections', withConnection(current, { name, baseUrl }), target);
    this.log.info(`Langfuse connection "${name}" saved (${baseUrl}; keys in secret storage)`);
    const entry = (await this.list()).find(c => c.name === name);
    if (!entry) throw new LangfuseConfigError(`The Langfuse connection "${name}" could not be saved to ${settingId('langfuse.connections')}.`);
    return entry;
  }
}
