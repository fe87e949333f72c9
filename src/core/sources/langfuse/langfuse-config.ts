// Langfuse connections: base URL (a cloud region or a self-hosted server) and the project's key pair.
// The CLI reads them from the standard Langfuse environment variables; the extension keeps the keys
// in SecretStorage and builds the same objects.
import { LangfuseConfigError } from './langfuse-errors';

export interface LangfuseConnection {
  /** 'default' for the unnamed connection from LANGFUSE_BASE_URL / LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY. */
  name: string;
  /** Without a trailing slash, e.g. https://cloud.langfuse.com. */
  baseUrl: string;
  publicKey: string;
  secretKey: string;
}

export const LANGFUSE_CLOUD_REGIONS = {
  eu: 'https://cloud.langfuse.com',
  us: 'https://us.cloud.langfuse.com',
} as const;

/** The Langfuse SDKs' default when no base URL is set. */
export const DEFAULT_LANGFUSE_BASE_URL = LANGFUSE_CLOUD_REGIONS.eu;

export const DEFAULT_CONNECTION_NAME = 'default';

/** Trims and drops trailing slashes; only http(s) URLs are accepted. */
export function normalizeBaseUrl(raw: string, where = 'the Langfuse base URL'): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new LangfuseConfigError(
      `${where} "${trimmed}" is not a URL; use e.g. ${DEFAULT_LANGFUSE_BASE_URL} or your self-hosted server's address.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LangfuseConfigError(`${where} "${trimmed}" must start with http:// or https://.`);
  }
  return trimmed;
}

export function langfuseConnection(input: {
  name?: string;
  baseUrl?: string;
  publicKey: string;
  secretKey: string;
}): LangfuseConnection {
  return {
    name: input.name ?? DEFAULT_CONNECTION_NAME,
    baseUrl: normalizeBaseUrl(input.baseUrl ?? DEFAULT_LANGFUSE_BASE_URL),
    publicKey: input.publicKey.trim(),
    secretKey: input.secretKey.trim(),
  };
}

type Env = Record<string, string | undefined>;

function fromPrefix(env: Env, prefix: string, name: string): LangfuseConnection | undefined {
  const get = (key: string): string | undefined => {
    const v = env[`${prefix}${key}`]?.trim();
    return v ? v : undefined;
  };
  const publicKey = get('PUBLIC_KEY');
  const secretKey = get('SECRET_KEY');
  const baseVar = get('BASE_URL') !== undefined ? `${prefix}BASE_URL` : `${prefix}HOST`;
  const baseUrl = get('BASE_URL') ?? get('HOST');
  if (!publicKey && !secretKey) return undefined;
  // Only variable names go into the message: the values are secrets.
  if (!publicKey)
    throw new LangfuseConfigError(
      `${prefix}SECRET_KEY is set but ${prefix}PUBLIC_KEY is not; set both keys of the Langfuse project.`,
    );
  if (!secretKey)
    throw new LangfuseConfigError(
      `${prefix}PUBLIC_KEY is set but ${prefix}SECRET_KEY is not; set both keys of the Langfuse project.`,
    );
  return {
    name,
    baseUrl: baseUrl ? normalizeBaseUrl(baseUrl, baseVar) : DEFAULT_LANGFUSE_BASE_URL,
    publicKey,
    secretKey,
  };
}

/** Connections from the environment: the standard LANGFUSE_BASE_URL (or LANGFUSE_HOST),
 *  LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY as 'default', plus one per name listed in
 *  LANGFUSE_CONNECTIONS (comma-separated), read from LANGFUSE_<NAME>_BASE_URL / _PUBLIC_KEY /
 *  _SECRET_KEY (NAME upper-cased, '-' as '_'). */
export function langfuseConnectionsFromEnv(env: Env = process.env): LangfuseConnection[] {
  const out: LangfuseConnection[] = [];
  const base = fromPrefix(env, 'LANGFUSE_', DEFAULT_CONNECTION_NAME);
  if (base) out.push(base);
  const names = (env.LANGFUSE_CONNECTIONS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    if (name === DEFAULT_CONNECTION_NAME || out.some((c) => c.name === name)) continue;
    const prefix = `LANGFUSE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
    const conn = fromPrefix(env, prefix, name);
    if (!conn)
      throw new LangfuseConfigError(
        `LANGFUSE_CONNECTIONS names "${name}" but ${prefix}PUBLIC_KEY and ${prefix}SECRET_KEY are not set.`,
        name,
      );
    out.push(conn);
  }
  return out;
}

/** The named connection (the first one when no name is given). */
export function findLangfuseConnection(connections: LangfuseConnection[], name?: string): LangfuseConnection {
  const found = name === undefined ? connections[0] : connections.find((c) => c.name === name);
  if (found) return found;
  if (connections.length === 0) {
    throw new LangfuseConfigError(
      'No Langfuse connection is configured; set LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL.',
    );
  }
  throw new LangfuseConfigError(
    `There is no Langfuse connection named "${name}"; configured: ${connections.map((c) => c.name).join(', ')}.`,
    name,
  );
}

/** Host shown to people: "cloud.langfuse.com". */
export function connectionHost(connection: LangfuseConnection): string {
  try {
    return new URL(connection.baseUrl).host;
  } catch {
    return connection.baseUrl;
  }
}
