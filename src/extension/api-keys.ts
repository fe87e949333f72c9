// API keys in VS Code's SecretStorage under typed names. Values never leave this file except to
// build ProviderConfigs; nothing here logs a value (only which key changed).
import * as vscode from 'vscode';
import type { ProviderAdapter } from '../core/llm/provider-adapter';
import { allProviders } from '../core/llm/provider-registry';
import { DEFAULT_CONNECTION_NAME } from '../core/sources/langfuse/langfuse-config';
import { langfuseEnvVar } from './langfuse-connection-list';
import { Disposable } from './lifecycle';

const PREFIX = 'traceReplay.apiKey.';

/** A provider adapter's secretId (openai, anthropic, azure, ...: see provider-registry.ts). */
export type ProviderKeyName = string;

/** A provider's key (its adapter's secretId) | endpoint.<profile name> | langfuse.publicKey |
 *  langfuse.secretKey (the default Langfuse connection) | langfuse.<connection>.publicKey |
 *  langfuse.<connection>.secretKey */
export type ApiKeyName =
  | ProviderKeyName | `endpoint.${string}`
  | 'langfuse.publicKey' | 'langfuse.secretKey' | `langfuse.${string}.publicKey` | `langfuse.${string}.secretKey`;

/** The name an adapter's key is kept under: its secretId (also accepted with this file's prefix). */
export function providerKeyName(adapter: ProviderAdapter): ProviderKeyName {
  return adapter.secretId.startsWith(PREFIX) ? adapter.secretId.slice(PREFIX.length) : adapter.secretId;
}

function adapterOfKey(name: ApiKeyName): ProviderAdapter | undefined {
  return allProviders().find(a => a.credentials === 'api-key' && a.configsFromEnv === undefined && providerKeyName(a) === name);
}

/** The key pair of a Langfuse connection; the default one keeps the unnamed names. */
export function langfuseKeyNames(connection: string): { publicKey: ApiKeyName; secretKey: ApiKeyName } {
  if (connection === DEFAULT_CONNECTION_NAME) return { publicKey: 'langfuse.publicKey', secretKey: 'langfuse.secretKey' };
  return { publicKey: `langfuse.${connection}.publicKey`, secretKey: `langfuse.${connection}.secretKey` };
}

const NAMED_LANGFUSE_KEY = /^langfuse\.(.+)\.(publicKey|secretKey)$/;

export function endpointKeyName(profile: string): ApiKeyName {
  return `endpoint.${profile.toLowerCase()}`;
}

/** The environment variables read, in order, when no key is stored: a provider's own (its adapter's
 *  keyEnvVars: OPENAI_API_KEY, ANTHROPIC_API_KEY, AZURE_OPENAI_API_KEY, ...), else envVarFor's one. */
export function envVarsFor(name: ApiKeyName): readonly string[] {
  const adapter = adapterOfKey(name);
  return adapter !== undefined && adapter.keyEnvVars.length > 0 ? adapter.keyEnvVars : [envVarFor(name)];
}

/** The (first) environment variable read when no key is stored: a provider's own (OPENAI_API_KEY,
 *  ANTHROPIC_API_KEY, ...), LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY, LANGFUSE_<CONNECTION>_PUBLIC_KEY
 *  / _SECRET_KEY for a named Langfuse connection, and `<PROFILE>_API_KEY` for an endpoint profile. */
export function envVarFor(name: ApiKeyName): string {
  const adapter = adapterOfKey(name);
  if (adapter !== undefined && adapter.keyEnvVars.length > 0) return adapter.keyEnvVars[0];
  switch (name) {
    case 'langfuse.publicKey':
      return 'LANGFUSE_PUBLIC_KEY';
    case 'langfuse.secretKey':
      return 'LANGFUSE_SECRET_KEY';
    default: {
      const langfuse = NAMED_LANGFUSE_KEY.exec(name);
      if (langfuse) return langfuseEnvVar(langfuse[1], langfuse[2] === 'publicKey' ? 'PUBLIC_KEY' : 'SECRET_KEY');
      return `${name.replace(/^endpoint\./, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
    }
  }
}

export class ApiKeys extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Any stored key was set or deleted (in this window or another one). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.register(secrets.onDidChange(e => e.key.startsWith(PREFIX) && this.changed.fire()));
  }

  /** The stored key, else the environment variable (a fallback for CI and remote hosts), else undefined. */
  async get(name: ApiKeyName): Promise<{ value: string; from: 'secret' | 'env' } | undefined> {
    const stored = await this.secrets.get(PREFIX + name);
    if (stored) return { value: stored, from: 'secret' };
    for (const variable of envVarsFor(name)) {
      const env = this.env[variable]?.trim();
      if (env) return { value: env, from: 'env' };
    }
    return undefined;
  }

  async has(name: ApiKeyName): Promise<boolean> {
    return (await this.secrets.get(PREFIX + name)) !== undefined;
  }

  async set(name: ApiKeyName, value: string): Promise<void> {
    await this.secrets.store(PREFIX + name, value);
  }

  async delete(name: ApiKeyName): Promise<void> {
    await this.secrets.delete(PREFIX + name);
  }
}
