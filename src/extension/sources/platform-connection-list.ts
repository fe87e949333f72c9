// Which platform connections the extension knows: for each platform of the registry, the entries of
// its `traceReplay.<id>.connections` setting, plus the unnamed `default` one when its keys are
// stored or its environment variables are set. Source ids are the CLI's `--source` values
// (`langfuse`, `langfuse:<name>`, `phoenix`, ...). No `vscode` import, so unit tests run it in plain
// Node.
import { DEFAULT_CONNECTION_NAME, type Env, type PlatformDescriptor } from '../../core/sources/platform';
import { parseSourceSpec, SourceSpecError, type SourceSpec } from '../../core/sources/open-source';
import { platformEnvVar, platformSourceId, urlHost } from '../../core/sources/platform-env';

export type { Env };

export interface PlatformConnectionEntry {
  /** The platform's id. */
  platform: string;
  name: string;
  /** As configured (checked when the connection is opened): baseUrl, and e.g. Phoenix's project. */
  settings: Record<string, string>;
  /** `<platform>` for the default connection, `<platform>:<name>` for the others. */
  sourceId: string;
  /** "Langfuse (cloud.langfuse.com)", "Arize Phoenix prod (phoenix.example.com / support-bot)". */
  label: string;
  /** Listed in the setting (false: the default connection from stored keys / the environment). */
  inSettings: boolean;
}

/** Letters, digits, `-` and `_`: the name goes into SecretStorage key names and env var names. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export { platformSourceId };

/** The SecretStorage name (after `traceReplay.apiKey.`) of a platform connection's secret; the
 *  default connection keeps the unnamed names (langfuse.publicKey, phoenix.apiKey). */
export function platformKeyName(platform: string, connection: string, secret: string): string {
  return connection === DEFAULT_CONNECTION_NAME ? `${platform}.${secret}` : `${platform}.${connection}.${secret}`;
}

/** The platform and connection of a source id (the CLI's --source rule, parseSourceSpec);
 *  undefined for `local` or anything unknown. */
export function parseSourceId(sourceId: string): { platform: PlatformDescriptor; connection: string } | undefined {
  let spec: SourceSpec;
  try {
    spec = parseSourceSpec(sourceId);
  } catch (err) {
    if (err instanceof SourceSpecError) return undefined;
    throw err;
  }
  return spec.kind === 'platform'
    ? { platform: spec.platform, connection: spec.connection ?? DEFAULT_CONNECTION_NAME }
    : undefined;
}

/** "Langfuse (cloud.langfuse.com)", "Arize Phoenix prod (localhost:6006 / support-bot)": the host,
 *  then the other settings that differ from their default. */
export function connectionLabel(
  platform: PlatformDescriptor,
  name: string,
  settings: Record<string, string | undefined>,
): string {
  const baseUrl = settings.baseUrl ?? platform.settings.find((s) => s.key === 'baseUrl')?.default ?? '';
  const extra = platform.settings
    .filter((s) => s.key !== 'baseUrl')
    .map((s) => settings[s.key] ?? s.default)
    .filter((v): v is string => !!v);
  return `${platform.displayName}${name === DEFAULT_CONNECTION_NAME ? '' : ` ${name}`} (${[urlHost(baseUrl.trim()), ...extra].join(' / ')})`;
}

function settingsOf(platform: PlatformDescriptor, raw: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const s of platform.settings) {
    const v = raw[s.key];
    if (v === undefined) {
      if (s.default === undefined) return undefined;
      continue;
    }
    if (typeof v !== 'string') return undefined;
    out[s.key] = v.trim();
  }
  return out;
}

/** The connections of one platform in the order the switcher shows them. Entries with an invalid
 *  or repeated name are left out (the settings schema already warns about them). `defaultHasKeys`:
 *  the unnamed keys are stored, or the environment has them. */
export function connectionEntries(
  platform: PlatformDescriptor,
  setting: unknown,
  defaultHasKeys: boolean,
  env: Env = {},
): PlatformConnectionEntry[] {
  const out: PlatformConnectionEntry[] = [];
  for (const raw of Array.isArray(setting) ? setting : []) {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { name?: unknown }).name !== 'string') continue;
    const name = (raw as { name: string }).name.trim();
    const settings = settingsOf(platform, raw as Record<string, unknown>);
    if (!settings || !CONNECTION_NAME.test(name) || out.some((c) => c.name === name)) continue;
    out.push({
      platform: platform.id,
      name,
      settings,
      sourceId: platformSourceId(platform.id, name),
      label: connectionLabel(platform, name, settings),
      inSettings: true,
    });
  }
  if (defaultHasKeys && !out.some((c) => c.name === DEFAULT_CONNECTION_NAME)) {
    const settings: Record<string, string> = {};
    for (const s of platform.settings) {
      const v =
        [s.envSuffix, ...(s.envSuffixAliases ?? [])]
          .map((suffix) => env[platformEnvVar(platform, DEFAULT_CONNECTION_NAME, suffix)]?.trim())
          .find(Boolean) || s.default;
      if (v !== undefined) settings[s.key] = v;
    }
    out.unshift({
      platform: platform.id,
      name: DEFAULT_CONNECTION_NAME,
      settings,
      sourceId: platform.id,
      label: connectionLabel(platform, DEFAULT_CONNECTION_NAME, settings),
      inSettings: false,
    });
  }
  return out;
}

/** `list` with `entry` added, or replacing the entry of the same name. */
export function withConnection(
  list: unknown,
  entry: { name: string } & Record<string, string>,
): Record<string, string>[] {
  const kept = (Array.isArray(list) ? list : [])
    .filter(
      (c): c is Record<string, string> =>
        typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string',
    )
    .filter((c) => c.name.trim() !== entry.name);
  return [...kept, { ...entry }];
}

/** A name for a new connection: `default` while there is none, else one from the host
 *  (us.cloud.langfuse.com -> us-cloud, langfuse.example.com -> example), made unique. */
export function suggestConnectionName(
  platform: Pick<PlatformDescriptor, 'id'>,
  baseUrl: string,
  taken: string[],
): string {
  if (!taken.includes(DEFAULT_CONNECTION_NAME)) return DEFAULT_CONNECTION_NAME;
  const parts = urlHost(baseUrl)
    .replace(/:\d+$/, '')
    .split('.')
    .filter((p) => p && p !== platform.id && p !== 'com' && p !== 'www');
  const base = (
    parts
      .slice(0, 2)
      .join('-')
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || platform.id
  ).slice(0, 40);
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}
