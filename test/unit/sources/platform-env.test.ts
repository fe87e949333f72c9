// Platform connections from environment variables named after the descriptor: <PREFIX>_<SUFFIX>
// for the default connection, <PREFIX>_<NAME>_<SUFFIX> for each name in <PREFIX>_CONNECTIONS; and
// the messages that say which variable to set. Two small descriptors stand in for platforms with
// an optional key (Phoenix-like) and a required one; Langfuse's descriptor is checked against them.
import { strict as assert } from 'node:assert';
import { langfusePlatform } from '../../../src/core/sources/langfuse/langfuse-platform';
import type { ConnectionInput, PlatformConnection, PlatformDescriptor } from '../../../src/core/sources/platform';
import {
  connectionInputFromEnv,
  connectionsFromEnvFor,
  findConnection,
  namedConnections,
  normalizePlatformUrl,
  platformEnvVar,
  urlHost,
} from '../../../src/core/sources/platform-env';
import { PlatformCapabilityError, PlatformConfigError } from '../../../src/core/sources/platform-errors';

interface TestConnection extends PlatformConnection {
  project: string;
  apiKey?: string;
}

function descriptor(
  id: string,
  displayName: string,
  envPrefix: string,
  keyOptional: boolean,
): PlatformDescriptor<TestConnection> {
  const d: PlatformDescriptor<TestConnection> = {
    id,
    displayName,
    envPrefix,
    settings: [
      { key: 'baseUrl', label: 'Base URL', default: 'http://localhost:6006', envSuffix: 'BASE_URL' },
      { key: 'project', label: 'Project', default: 'default', envSuffix: 'PROJECT' },
    ],
    secrets: [{ key: 'apiKey', label: 'API key', envSuffix: 'API_KEY', optional: keyOptional }],
    capabilities: ['traces'],
    connection(input: ConnectionInput): TestConnection {
      const apiKey = input.secrets.apiKey;
      if (!keyOptional && !apiKey)
        throw new PlatformConfigError(`The ${displayName} connection "${input.name}" needs an API key.`);
      const baseUrl = normalizePlatformUrl(
        input.settings.baseUrl ?? 'http://localhost:6006',
        platformEnvVar(d, input.name, 'BASE_URL'),
        'http://localhost:6006',
      );
      return { name: input.name, baseUrl, project: input.settings.project ?? 'default', ...(apiKey ? { apiKey } : {}) };
    },
    connectionsFromEnv: (env) => connectionsFromEnvFor(d, env),
    describe: (c) => `${urlHost(c.baseUrl)} / ${c.project}`,
    open: () => Promise.reject(new Error('not opened in these tests')),
  };
  return d;
}

const phoenixLike = descriptor('phoenix', 'Phoenix', 'PHOENIX', true);
const keyed = descriptor('keyed', 'Keyed', 'KEYED', false);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PlatformConfigError, String(err));
    assert.equal(err.kind, 'usage', 'a usage error (the CLI exits 2)');
    return err.message;
  }
  assert.fail('expected a PlatformConfigError');
}

describe('platform connections from the environment', () => {
  it('names variables after the prefix and the connection (upper-cased, other characters as _)', () => {
    assert.equal(platformEnvVar(phoenixLike, 'default', 'BASE_URL'), 'PHOENIX_BASE_URL');
    assert.equal(platformEnvVar(phoenixLike, 'prod', 'API_KEY'), 'PHOENIX_PROD_API_KEY');
    assert.equal(platformEnvVar(phoenixLike, 'self-hosted.eu', 'PROJECT'), 'PHOENIX_SELF_HOSTED_EU_PROJECT');
    assert.deepEqual(namedConnections(phoenixLike, { PHOENIX_CONNECTIONS: ' prod, default,,staging , prod' }), [
      'prod',
      'staging',
    ]);
    assert.deepEqual(namedConnections(phoenixLike, {}), []);
  });

  it('builds the default connection when any of its variables is set (blank ones do not count)', () => {
    assert.deepEqual(connectionsFromEnvFor(phoenixLike, {}), []);
    assert.deepEqual(connectionsFromEnvFor(phoenixLike, { PHOENIX_BASE_URL: '   ', PHOENIX_API_KEY: '' }), []);
    assert.equal(connectionInputFromEnv(phoenixLike, { PHOENIX_BASE_URL: ' ' }, 'default'), undefined);
    assert.deepEqual(connectionsFromEnvFor(phoenixLike, { PHOENIX_BASE_URL: ' https://phoenix.example.com/ ' }), [
      { name: 'default', baseUrl: 'https://phoenix.example.com', project: 'default' },
    ]);
    assert.deepEqual(
      connectionsFromEnvFor(phoenixLike, { PHOENIX_API_KEY: 'k' }),
      [{ name: 'default', baseUrl: 'http://localhost:6006', project: 'default', apiKey: 'k' }],
      'the other settings take their defaults',
    );
  });

  it('builds each named connection from its own variables, the default one first', () => {
    const env = {
      PHOENIX_PROJECT: 'main',
      PHOENIX_CONNECTIONS: 'prod,self-hosted',
      PHOENIX_PROD_BASE_URL: 'https://prod.example.com',
      PHOENIX_PROD_API_KEY: 'k-prod',
      PHOENIX_SELF_HOSTED_PROJECT: 'agents',
    };
    assert.deepEqual(connectionsFromEnvFor(phoenixLike, env), [
      { name: 'default', baseUrl: 'http://localhost:6006', project: 'main' },
      { name: 'prod', baseUrl: 'https://prod.example.com', project: 'default', apiKey: 'k-prod' },
      { name: 'self-hosted', baseUrl: 'http://localhost:6006', project: 'agents' },
    ]);
    // Named connections without a default one.
    assert.deepEqual(
      connectionsFromEnvFor(keyed, { KEYED_CONNECTIONS: 'a', KEYED_A_API_KEY: 'k' }).map((c) => c.name),
      ['a'],
    );
  });

  it('says which variables a listed connection lacks: its required secrets, else its settings', () => {
    assert.equal(
      messageOf(() => connectionsFromEnvFor(keyed, { KEYED_CONNECTIONS: 'x' })),
      'KEYED_CONNECTIONS names "x" but KEYED_X_API_KEY is not set.',
    );
    assert.equal(
      messageOf(() => connectionsFromEnvFor(phoenixLike, { PHOENIX_CONNECTIONS: 'eu-2' })),
      'PHOENIX_CONNECTIONS names "eu-2" but PHOENIX_EU_2_BASE_URL and PHOENIX_EU_2_PROJECT are not set.',
    );
  });

  it("passes on the descriptor's own refusals (a missing key, a bad URL), naming the variable and never a value", () => {
    assert.equal(
      messageOf(() => connectionsFromEnvFor(keyed, { KEYED_PROJECT: 'p' })),
      'The Keyed connection "default" needs an API key.',
    );
    const bad = messageOf(() =>
      connectionsFromEnvFor(phoenixLike, {
        PHOENIX_CONNECTIONS: 'prod',
        PHOENIX_PROD_BASE_URL: 'phoenix.example.com',
        PHOENIX_PROD_API_KEY: 'secret-value',
      }),
    );
    assert.equal(bad, 'PHOENIX_PROD_BASE_URL "phoenix.example.com" is not a URL; use e.g. http://localhost:6006.');
    assert.ok(!bad.includes('secret-value'));
    assert.match(
      messageOf(() => normalizePlatformUrl('ftp://x', 'PHOENIX_BASE_URL', 'http://localhost:6006')),
      /^PHOENIX_BASE_URL "ftp:\/\/x" must start with http:\/\/ or https:\/\/\.$/,
    );
  });

  it('finds a connection by name (the first without one), or says what to set', () => {
    const conns = connectionsFromEnvFor(phoenixLike, {
      PHOENIX_BASE_URL: 'http://a:6006',
      PHOENIX_CONNECTIONS: 'prod',
      PHOENIX_PROD_PROJECT: 'p',
    });
    assert.equal(findConnection(phoenixLike, conns).name, 'default');
    assert.equal(findConnection(phoenixLike, conns, 'prod').project, 'p');
    assert.equal(
      messageOf(() => findConnection(phoenixLike, conns, 'nope')),
      'There is no Phoenix connection named "nope"; configured: default, prod; to add it, list it in PHOENIX_CONNECTIONS and set PHOENIX_NOPE_BASE_URL and PHOENIX_NOPE_PROJECT.',
    );
    // Nothing configured: the required secrets first, then the settings; optional secrets are not demanded.
    assert.equal(
      messageOf(() => findConnection(phoenixLike, [])),
      'No Phoenix connection is configured; set PHOENIX_BASE_URL and PHOENIX_PROJECT.',
    );
    assert.equal(
      messageOf(() => findConnection(keyed, [], 'x')),
      'No Keyed connection is configured; set KEYED_API_KEY, KEYED_BASE_URL and KEYED_PROJECT.',
    );
    assert.equal(
      messageOf(() => findConnection(langfusePlatform, [])),
      'No Langfuse connection is configured; set LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL.',
      'as 0.1 said it',
    );
  });

  it("reads Langfuse's standard and named variables the same way as the generic rules", () => {
    const env = {
      LANGFUSE_BASE_URL: 'https://us.cloud.langfuse.com/',
      LANGFUSE_PUBLIC_KEY: 'pk',
      LANGFUSE_SECRET_KEY: 'sk',
      LANGFUSE_CONNECTIONS: 'self-hosted',
      LANGFUSE_SELF_HOSTED_BASE_URL: 'https://lf.example.com',
      LANGFUSE_SELF_HOSTED_PUBLIC_KEY: 'pk2',
      LANGFUSE_SELF_HOSTED_SECRET_KEY: 'sk2',
    };
    assert.deepEqual(langfusePlatform.connectionsFromEnv(env), connectionsFromEnvFor(langfusePlatform, env));
    assert.deepEqual(
      langfusePlatform.connectionsFromEnv(env).map((c) => [c.name, c.baseUrl]),
      [
        ['default', 'https://us.cloud.langfuse.com'],
        ['self-hosted', 'https://lf.example.com'],
      ],
    );
    assert.equal(langfusePlatform.describe(langfusePlatform.connectionsFromEnv(env)[0]), 'us.cloud.langfuse.com');
  });

  it('tells usage errors (configuration, a missing capability) from the platform saying no', () => {
    assert.equal(new PlatformCapabilityError('no prompts here').kind, 'usage');
    assert.equal(new PlatformConfigError('no connection').kind, 'usage');
    assert.equal(new PlatformConfigError('no connection').next, undefined, 'no platform named: no action');
    assert.deepEqual(new PlatformConfigError('bad key', { platform: 'phoenix', connection: 'eu' }).next, {
      kind: 'connect-platform',
      platform: 'phoenix',
      connection: 'eu',
    });
  });
});
