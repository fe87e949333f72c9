// Arize Phoenix connections: a server's base URL, the project whose traces are read (and into
// which replays are written), and an API key when the server has authentication on (a local
// Phoenix usually runs without).
//
// From the environment (the CLI; the extension falls back to the same names): PHOENIX_BASE_URL,
// PHOENIX_PROJECT and PHOENIX_API_KEY for the default connection, and PHOENIX_<NAME>_BASE_URL /
// _PROJECT / _API_KEY for each name listed in PHOENIX_CONNECTIONS (platform-env.ts). For the
// default connection the variables Phoenix's own clients read are accepted too, below ours:
// PHOENIX_ENDPOINT, then PHOENIX_COLLECTOR_ENDPOINT (its /v1/traces path dropped, as Phoenix's
// client does) for the base URL, and PHOENIX_PROJECT_NAME for the project.
import { DEFAULT_CONNECTION_NAME, type ConnectionInput, type Env, type PlatformConnection } from '../platform';
import { normalizePlatformUrl, platformEnvVar } from '../platform-env';
import { PhoenixConfigError } from './phoenix-errors';

export interface PhoenixConnection extends PlatformConnection {
  /** A project name (or a project id); Phoenix's default project is "default". */
  project: string;
  apiKey?: string;
}

export const DEFAULT_PHOENIX_BASE_URL = 'http://localhost:6006';
export const DEFAULT_PHOENIX_PROJECT = 'default';
export const PHOENIX_ENV_PREFIX = 'PHOENIX';

/** Base-URL variables of Phoenix's clients, read (in this order) when PHOENIX_BASE_URL is unset. */
const BASE_URL_FALLBACKS = ['PHOENIX_ENDPOINT', 'PHOENIX_COLLECTOR_ENDPOINT'] as const;
const PROJECT_FALLBACK = 'PHOENIX_PROJECT_NAME';

/** A collector endpoint may carry the OTLP path; the API's base URL does not. */
export function stripOtlpPath(url: string): string {
  return url.replace(/\/+v1\/traces\/?(?=$|[?#])/, '');
}

export function phoenixConnection(input: ConnectionInput, baseUrlVar = 'the Phoenix base URL'): PhoenixConnection {
  const rawBase = input.settings.baseUrl?.trim() || DEFAULT_PHOENIX_BASE_URL;
  const baseUrl = normalizePlatformUrl(stripOtlpPath(rawBase), baseUrlVar, DEFAULT_PHOENIX_BASE_URL, 'phoenix');
  const project = input.settings.project?.trim() || DEFAULT_PHOENIX_PROJECT;
  const conn: PhoenixConnection = { name: input.name, baseUrl, project };
  const apiKey = input.secrets.apiKey?.trim();
  if (apiKey) conn.apiKey = apiKey;
  return conn;
}

/** The environment with Phoenix's own variable names copied onto ours where ours are unset
 *  (default connection only). */
export function withPhoenixEnvFallbacks(env: Env): Env {
  const out: Env = { ...env };
  const set = (name: string): boolean => (env[name]?.trim() ?? '') !== '';
  if (!set('PHOENIX_BASE_URL')) {
    const from = BASE_URL_FALLBACKS.find(set);
    if (from) out.PHOENIX_BASE_URL = env[from];
  }
  if (!set('PHOENIX_PROJECT') && set(PROJECT_FALLBACK)) out.PHOENIX_PROJECT = env[PROJECT_FALLBACK];
  return out;
}

/** The variable a connection's base URL came from, for error messages. */
export function baseUrlVariable(env: Env, name: string): string {
  const own = platformEnvVar({ envPrefix: PHOENIX_ENV_PREFIX }, name, 'BASE_URL');
  if (name !== DEFAULT_CONNECTION_NAME || (env[own]?.trim() ?? '') !== '') return own;
  return BASE_URL_FALLBACKS.find((v) => (env[v]?.trim() ?? '') !== '') ?? own;
}

/** A named connection must say where its server is: a key or a project alone would silently
 *  point at the default http://localhost:6006. */
export function requireNamedBaseUrl(input: ConnectionInput): void {
  if (input.name === DEFAULT_CONNECTION_NAME || input.settings.baseUrl?.trim()) return;
  const set = [...(input.secrets.apiKey ? ['API_KEY'] : []), ...(input.settings.project ? ['PROJECT'] : [])].map((s) =>
    platformEnvVar({ envPrefix: PHOENIX_ENV_PREFIX }, input.name, s),
  );
  const baseVar = platformEnvVar({ envPrefix: PHOENIX_ENV_PREFIX }, input.name, 'BASE_URL');
  throw new PhoenixConfigError(
    `${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set but ${baseVar} is not; set the Phoenix server's address for the connection "${input.name}".`,
    input.name,
  );
}
