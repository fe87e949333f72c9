// API keys in VS Code's SecretStorage under typed names. Values never leave this file except to
// build ProviderConfigs; nothing here logs a value (only which key changed).
import * as vscode from 'vscode';
import type { ProviderAdapter } from '../../core/llm/provider-adapter';
import { allProviders } from '../../core/llm/provider-registry';
import { DEFAULT_CONNECTION_NAME } from '../../core/sources/platform';
import { platformEnvVar } from '../../core/sources/platform-env';
import { findPlatform } from '../../core/sources/platform-registry';
import { Disposable } from '../common/lifecycle';

const PREFIX = 'traceReplay.apiKey.';

/** A provider adapter's secretId (openai, anthropic, azure, ...: see provider-registry.ts). */
export type ProviderKeyName = string;

/** A provider's key (its adapter's secretId) | endpoint.<profile name> | a platform connection's
 *  secret: <platform>.<secret> for the default connection (langfuse.publicKey, phoenix.apiKey),
 *  <platform>.<connection>.<secret> for a named one (langfuse.prod.secretKey). */
export type ApiKeyName = ProviderKeyName | `endpoint.${string}` | `${string}.${string}`;

/** The name an adapter's key is kept under: its secretId (also accepted with this file's prefix). */
export function providerKeyName(adapter: ProviderAdapter): ProviderKeyName {
  return adapter.secretId.startsWith(PREFIX) ? adapter.secretId.slice(PREFIX.length) : adapter.secretId;
}

function adapterOfKey(name: ApiKeyName): ProviderAdapter | undefined {
  return allProviders().find(
    (a) => a.credentials === 'api-key' && a.configsFromEnv === undefined && providerKeyName(a) === name,
  );
}

export { platformKeyName } from '../sources/platform-connection-list';

/** The platform, connection and secret a key name is of; undefined for provider and endpoint keys. */
function platformKeyOf(name: ApiKeyName): { platform: string; connection: string; envSuffix: string } | undefined {
  const parts = name.split('.');
  const platform = findPlatform(parts[0]);
  if (!platform || parts.length < 2) return undefined;
  const secret = platform.secrets.find((s) => s.key === parts[parts.length - 1]);
  if (!secret) return undefined;
  const connection = parts.length === 2 ? DEFAULT_CONNECTION_NAME : parts.slice(1, -1).join('.');
  return { platform: platform.id, connection, envSuffix: secret.envSuffix };
}

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
 *  ANTHROPIC_API_KEY, ...), a platform connection's (LANGFUSE_PUBLIC_KEY, PHOENIX_API_KEY,
 *  LANGFUSE_<CONNECTION>_SECRET_KEY, ...; see platform-env.ts), and `<PROFILE>_API_KEY` for an
 *  endpoint profile. */
export function envVarFor(name: ApiKeyName): string {
  const adapter = adapterOfKey(name);
  if (adapter !== undefined && adapter.keyEnvVars.length > 0) return adapter.keyEnvVars[0];
  const platformKey = platformKeyOf(name);
  if (platformKey)
    return platformEnvVar(findPlatform(platformKey.platform)!, platformKey.connection, platformKey.envSuffix);
  return `${name
    .replace(/^endpoint\./, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
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
    this.register(secrets.onDidChange((e) => e.key.startsWith(PREFIX) && this.changed.fire()));
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
