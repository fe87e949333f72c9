// API keys in VS Code's SecretStorage under typed names. Values never leave this file except to
// build ProviderConfigs; nothing here logs a value (only which key changed).
import * as vscode from 'vscode';
import { Disposable } from './lifecycle';

const PREFIX = 'traceReplay.apiKey.';

/** openai | anthropic | langfuse.publicKey | langfuse.secretKey | endpoint.<profile name> */
export type ApiKeyName = 'openai' | 'anthropic' | 'langfuse.publicKey' | 'langfuse.secretKey' | `endpoint.${string}`;

export function endpointKeyName(profile: string): ApiKeyName {
  return `endpoint.${profile.toLowerCase()}`;
}

/** The environment variable read when no key is stored: OPENAI_API_KEY, ANTHROPIC_API_KEY,
 *  LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY, and `<PROFILE>_API_KEY` for an endpoint profile. */
export function envVarFor(name: ApiKeyName): string {
  switch (name) {
    case 'openai':
      return 'OPENAI_API_KEY';
    case 'anthropic':
      return 'ANTHROPIC_API_KEY';
    case 'langfuse.publicKey':
      return 'LANGFUSE_PUBLIC_KEY';
    case 'langfuse.secretKey':
      return 'LANGFUSE_SECRET_KEY';
    default:
      return `${name.slice('endpoint.'.length).toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
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
    const env = this.env[envVarFor(name)]?.trim();
    return env ? { value: env, from: 'env' } : undefined;
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
