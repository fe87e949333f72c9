// Which Langfuse connections the extension knows: the entries of `traceReplay.langfuse.connections`,
// plus the unnamed `default` one when its keys are stored or the LANGFUSE_* environment variables
// are set. Source ids are the CLI's `--source` values (`langfuse`, `langfuse:<name>`). No `vscode`
// import, so unit tests run it in plain Node.
import { DEFAULT_CONNECTION_NAME, DEFAULT_LANGFUSE_BASE_URL } from '../core/sources/langfuse/langfuse-config';
import { LOCAL_SOURCE_ID } from '../core/sources/local-source';

export type Env = Record<string, string | undefined>;

export interface LangfuseConnectionEntry {
  name: string;
  /** As configured (checked when the connection is opened). */
  baseUrl: string;
  /** `langfuse` for the default connection, `langfuse:<name>` for the others. */
  sourceId: string;
  /** "Langfuse (cloud.langfuse.com)", "Langfuse prod (langfuse.example.com)": the core source's label. */
  label: string;
  /** Listed in the setting (false: the default connection from stored keys / the environment). */
  inSettings: boolean;
}

/** Letters, digits, `-` and `_`: the name goes into SecretStorage key names and env var names. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export function langfuseSourceId(connectionName: string): string {
  return connectionName === DEFAULT_CONNECTION_NAME ? 'langfuse' : `langfuse:${connectionName}`;
}

/** The connection name of a Langfuse source id; undefined for `local` or anything else. */
export function connectionNameOf(sourceId: string): string | undefined {
  if (sourceId === 'langfuse') return DEFAULT_CONNECTION_NAME;
  if (sourceId.startsWith('langfuse:') && sourceId.length > 'langfuse:'.length) return sourceId.slice('langfuse:'.length);
  return undefined;
}

export function isLocalSourceId(sourceId: string): boolean {
  return sourceId === LOCAL_SOURCE_ID;
}

function host(baseUrl: string): string {
  try {
    return new URL(baseUrl.trim()).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

export function connectionLabel(name: string, baseUrl: string): string {
  return `Langfuse${name === DEFAULT_CONNECTION_NAME ? '' : ` ${name}`} (${host(baseUrl)})`;
}

/** The environment variable read when a key of `connectionName` is not stored: LANGFUSE_PUBLIC_KEY
 *  for the default connection, LANGFUSE_<NAME>_PUBLIC_KEY for a named one (the CLI's convention). */
export function langfuseEnvVar(connectionName: string, key: 'PUBLIC_KEY' | 'SECRET_KEY' | 'BASE_URL'): string {
  if (connectionName === DEFAULT_CONNECTION_NAME) return `LANGFUSE_${key}`;
  return `LANGFUSE_${connectionName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${key}`;
}

function isSetting(value: unknown): value is { name: string; baseUrl: string } {
  const v = value as { name?: unknown; baseUrl?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.baseUrl === 'string';
}

/** The connections in the order the switcher shows them. Entries with an invalid or repeated name
 *  are left out (the settings schema already warns about them). `defaultHasKeys`: the unnamed keys
 *  are stored, or the environment has them. */
export function langfuseConnectionEntries(settings: unknown, defaultHasKeys: boolean, env: Env = {}): LangfuseConnectionEntry[] {
  const out: LangfuseConnectionEntry[] = [];
  for (const raw of Array.isArray(settings) ? settings : []) {
    if (!isSetting(raw)) continue;
    const name = raw.name.trim();
    if (!CONNECTION_NAME.test(name) || out.some(c => c.name === name)) continue;
    out.push({ name, baseUrl: raw.baseUrl.trim(), sourceId: langfuseSourceId(name), label: connectionLabel(name, raw.baseUrl), inSettings: true });
  }
  if (defaultHasKeys && !out.some(c => c.name === DEFAULT_CONNECTION_NAME)) {
    const baseUrl = env.LANGFUSE_BASE_URL?.trim() || env.LANGFUSE_HOST?.trim() || DEFAULT_LANGFUSE_BASE_URL;
    out.unshift({ name: DEFAULT_CONNECTION_NAME, baseUrl, sourceId: 'langfuse', label: connectionLabel(DEFAULT_CONNECTION_NAME, baseUrl), inSettings: false });
  }
  return out;
}

/** `list` with `entry` added, or replacing the entry of the same name (settings keep only name and URL). */
export function withConnection(list: unknown, entry: { name: string; baseUrl: string }): { name: string; baseUrl: string }[] {
  const kept = (Array.isArray(list) ? list : []).filter(isSetting).filter(c => c.name.trim() !== entry.name);
  return [...kept.map(c => ({ name: c.name, baseUrl: c.baseUrl })), { name: entry.name, baseUrl: entry.baseUrl }];
}

/** A name for a new connection: `default` while there is none, else one from the host
 *  (us.cloud.langfuse.com -> us-cloud, langfuse.example.com -> example), made unique. */
export function suggestConnectionName(baseUrl: string, taken: string[]): string {
  if (!taken.includes(DEFAULT_CONNECTION_NAME)) return DEFAULT_CONNECTION_NAME;
  const parts = host(baseUrl).replace(/:\d+$/, '').split('.').filter(p => p && p !== 'langfuse' && p !== 'com' && p !== 'www');
  const base = (parts.slice(0, 2).join('-').replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'langfuse').slice(0, 40);
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}
