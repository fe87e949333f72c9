// Platform connections from environment variables, named after the descriptor: for the default
// connection <PREFIX>_<SUFFIX> (e.g. PHOENIX_BASE_URL, PHOENIX_API_KEY), and one per name listed in
// <PREFIX>_CONNECTIONS (comma-separated) from <PREFIX>_<NAME>_<SUFFIX> (NAME upper-cased, anything
// but letters and digits as '_'). The CLI reads connections this way; the extension uses the same
// names as the fallback of its settings and SecretStorage.
import { PlatformConfigError } from './platform-errors';
import {
  DEFAULT_CONNECTION_NAME,
  type ConnectionInput,
  type Env,
  type PlatformConnection,
  type PlatformDescriptor,
} from './platform';

/** What `--source` takes for a connection: `<platform>` for the default one, `<platform>:<name>`. */
export function platformSourceId(platform: string, connectionName: string): string {
  return connectionName === DEFAULT_CONNECTION_NAME ? platform : `${platform}:${connectionName}`;
}

/** The environment variable of a setting or secret of a connection. */
export function platformEnvVar(
  descriptor: Pick<PlatformDescriptor, 'envPrefix'>,
  connection: string,
  suffix: string,
): string {
  if (connection === DEFAULT_CONNECTION_NAME) return `${descriptor.envPrefix}_${suffix}`;
  return `${descriptor.envPrefix}_${connection.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${suffix}`;
}

/** "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The named connection's input as the environment has it; undefined when none of its variables
 *  is set. */
export function connectionInputFromEnv(
  descriptor: Pick<PlatformDescriptor, 'envPrefix' | 'settings' | 'secrets'>,
  env: Env,
  name: string,
): ConnectionInput | undefined {
  const get = (suffix: string): string | undefined => {
    const v = env[platformEnvVar(descriptor, name, suffix)]?.trim();
    return v ? v : undefined;
  };
  const input: ConnectionInput = { name, settings: {}, secrets: {} };
  let any = false;
  for (const s of descriptor.settings) {
    const v = [s.envSuffix, ...(s.envSuffixAliases ?? [])].map(get).find((x) => x !== undefined);
    if (v !== undefined) any = true;
    input.settings[s.key] = v;
  }
  for (const s of descriptor.secrets) {
    const v = get(s.envSuffix);
    if (v !== undefined) any = true;
    input.secrets[s.key] = v;
  }
  return any ? input : undefined;
}

/** The names listed in <PREFIX>_CONNECTIONS, without 'default' and duplicates. */
export function namedConnections(descriptor: Pick<PlatformDescriptor, 'envPrefix'>, env: Env): string[] {
  const names = (env[`${descriptor.envPrefix}_CONNECTIONS`] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return [...new Set(names)].filter((n) => n !== DEFAULT_CONNECTION_NAME);
}

/** Every connection the environment configures: the default one when any of its variables is
 *  set, then each named one (which must have its variables). */
export function connectionsFromEnvFor<C extends PlatformConnection>(descriptor: PlatformDescriptor<C>, env: Env): C[] {
  const out: C[] = [];
  const base = connectionInputFromEnv(descriptor, env, DEFAULT_CONNECTION_NAME);
  if (base) out.push(descriptor.connection(base));
  for (const name of namedConnections(descriptor, env)) {
    const input = connectionInputFromEnv(descriptor, env, name);
    if (!input) {
      const required = descriptor.secrets.filter((s) => !s.optional);
      const vars = (required.length > 0 ? required : descriptor.settings).map((s) =>
        platformEnvVar(descriptor, name, s.envSuffix),
      );
      throw new PlatformConfigError(
        `${descriptor.envPrefix}_CONNECTIONS names "${name}" but ${listOf(vars)} ${vars.length > 1 ? 'are' : 'is'} not set.`,
        { platform: descriptor.id, connection: name },
      );
    }
    out.push(descriptor.connection(input));
  }
  return out;
}

/** The named connection (the first one when no name is given), or a PlatformConfigError saying
 *  what to set. */
export function findConnection<C extends PlatformConnection>(
  descriptor: PlatformDescriptor<C>,
  connections: C[],
  name?: string,
): C {
  const found = name === undefined ? connections[0] : connections.find((c) => c.name === name);
  if (found) return found;
  if (connections.length === 0) {
    const vars = [...descriptor.secrets.filter((s) => !s.optional), ...descriptor.settings].map((s) =>
      platformEnvVar(descriptor, DEFAULT_CONNECTION_NAME, s.envSuffix),
    );
    throw new PlatformConfigError(`No ${descriptor.displayName} connection is configured; set ${listOf(vars)}.`, {
      platform: descriptor.id,
    });
  }
  // The variables a named connection needs, as connectionsFromEnvFor demands them.
  const required = descriptor.secrets.filter((s) => !s.optional);
  const vars = (required.length > 0 ? required : descriptor.settings).map((s) =>
    platformEnvVar(descriptor, name!, s.envSuffix),
  );
  throw new PlatformConfigError(
    `There is no ${descriptor.displayName} connection named "${name}"; configured: ${connections.map((c) => c.name).join(', ')}; to add it, list it in ${descriptor.envPrefix}_CONNECTIONS and set ${listOf(vars)}.`,
    { platform: descriptor.id, connection: name },
  );
}

/** Trims and drops trailing slashes; only http(s) URLs are accepted. `platform`: whose connection
 *  the URL belongs to (the error's connect-platform action). */
export function normalizePlatformUrl(raw: string, where: string, example: string, platform?: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new PlatformConfigError(`${where} "${trimmed}" is not a URL; use e.g. ${example}.`, { platform });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlatformConfigError(`${where} "${trimmed}" must start with http:// or https://.`, { platform });
  }
  return trimmed;
}

/** Host shown to people: "cloud.langfuse.com". */
export function urlHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
