// Phoenix connections from settings and from the environment: defaults, Phoenix's own variable
// names as fallbacks, named connections, and half-configured ones refused naming the variable.
import { strict as assert } from 'node:assert';
import { PlatformConfigError } from '../../../src/core/sources/platform-errors';
import { findPlatform } from '../../../src/core/sources/platform-registry';
import { findConnection } from '../../../src/core/sources/platform-env';
import { phoenixPlatform } from '../../../src/core/sources/phoenix/phoenix-platform';

describe('Phoenix connections', () => {
  it("is a registered platform with the issue's capabilities and setting names", () => {
    assert.equal(findPlatform('phoenix'), phoenixPlatform);
    assert.deepEqual([...phoenixPlatform.capabilities], ['traces', 'prompts', 'scores', 'writeBack', 'writeScores']);
    assert.equal(phoenixPlatform.promptLabelWord, 'tag');
    assert.deepEqual(
      phoenixPlatform.settings.map((s) => [s.key, s.envSuffix, s.default]),
      [
        ['baseUrl', 'BASE_URL', 'http://localhost:6006'],
        ['project', 'PROJECT', 'default'],
      ],
    );
    assert.deepEqual(
      phoenixPlatform.secrets.map((s) => [s.key, s.envSuffix, s.optional]),
      [['apiKey', 'API_KEY', true]],
    );
  });

  it('builds a connection from settings with defaults, without a key for a server without authentication', () => {
    const c = phoenixPlatform.connection({ name: 'default', settings: {}, secrets: {} });
    assert.deepEqual(c, { name: 'default', baseUrl: 'http://localhost:6006', project: 'default' });
    const d = phoenixPlatform.connection({
      name: 'prod',
      settings: { baseUrl: ' https://px.example.com/ ', project: 'support-bot' },
      secrets: { apiKey: ' k ' },
    });
    assert.deepEqual(d, { name: 'prod', baseUrl: 'https://px.example.com', project: 'support-bot', apiKey: 'k' });
    assert.equal(phoenixPlatform.describe(d), 'px.example.com / support-bot');
  });

  it('reads PHOENIX_BASE_URL / PHOENIX_PROJECT / PHOENIX_API_KEY for the default connection', () => {
    const [c] = phoenixPlatform.connectionsFromEnv({
      PHOENIX_BASE_URL: 'http://px:6006',
      PHOENIX_PROJECT: 'p1',
      PHOENIX_API_KEY: 'secret',
    });
    assert.deepEqual(c, { name: 'default', baseUrl: 'http://px:6006', project: 'p1', apiKey: 'secret' });
    // Only a key: a local Phoenix with authentication on, default project.
    const [k] = phoenixPlatform.connectionsFromEnv({ PHOENIX_API_KEY: 'secret' });
    assert.deepEqual(k, { name: 'default', baseUrl: 'http://localhost:6006', project: 'default', apiKey: 'secret' });
    assert.deepEqual(phoenixPlatform.connectionsFromEnv({}), []);
  });

  it("falls back to the variables Phoenix's clients read (PHOENIX_ENDPOINT, PHOENIX_COLLECTOR_ENDPOINT, PHOENIX_PROJECT_NAME), ours first", () => {
    const [a] = phoenixPlatform.connectionsFromEnv({
      PHOENIX_COLLECTOR_ENDPOINT: 'https://app.phoenix.arize.com/s/me/v1/traces',
      PHOENIX_PROJECT_NAME: 'chat',
    });
    assert.deepEqual(a, { name: 'default', baseUrl: 'https://app.phoenix.arize.com/s/me', project: 'chat' });
    const [b] = phoenixPlatform.connectionsFromEnv({
      PHOENIX_ENDPOINT: 'http://one:6006',
      PHOENIX_COLLECTOR_ENDPOINT: 'http://two:6006',
    });
    assert.equal(b.baseUrl, 'http://one:6006');
    const [c] = phoenixPlatform.connectionsFromEnv({
      PHOENIX_BASE_URL: 'http://ours:6006',
      PHOENIX_ENDPOINT: 'http://one:6006',
      PHOENIX_PROJECT: 'x',
      PHOENIX_PROJECT_NAME: 'y',
    });
    assert.equal(c.baseUrl, 'http://ours:6006');
    assert.equal(c.project, 'x');
  });

  it('reads named connections from PHOENIX_CONNECTIONS and PHOENIX_<NAME>_*', () => {
    const list = phoenixPlatform.connectionsFromEnv({
      PHOENIX_BASE_URL: 'http://local:6006',
      PHOENIX_CONNECTIONS: 'staging, eu-prod',
      PHOENIX_STAGING_BASE_URL: 'https://staging.px',
      PHOENIX_EU_PROD_BASE_URL: 'https://eu.px',
      PHOENIX_EU_PROD_PROJECT: 'bot',
      PHOENIX_EU_PROD_API_KEY: 'k2',
    });
    assert.deepEqual(
      list.map((c) => [c.name, c.baseUrl, c.project, c.apiKey]),
      [
        ['default', 'http://local:6006', 'default', undefined],
        ['staging', 'https://staging.px', 'default', undefined],
        ['eu-prod', 'https://eu.px', 'bot', 'k2'],
      ],
    );
    assert.equal(findConnection(phoenixPlatform, list, 'eu-prod').project, 'bot');
  });

  it('refuses half-configured connections naming the variable to set, never the key', () => {
    assert.throws(
      () => phoenixPlatform.connectionsFromEnv({ PHOENIX_CONNECTIONS: 'staging' }),
      (e: unknown) => e instanceof PlatformConfigError && /PHOENIX_STAGING_BASE_URL/.test(e.message),
    );
    assert.throws(
      () =>
        phoenixPlatform.connectionsFromEnv({ PHOENIX_CONNECTIONS: 'staging', PHOENIX_STAGING_API_KEY: 'sekrit-key' }),
      (e: unknown) =>
        e instanceof PlatformConfigError &&
        /PHOENIX_STAGING_API_KEY is set but PHOENIX_STAGING_BASE_URL is not/.test(e.message) &&
        !e.message.includes('sekrit-key'),
    );
    assert.throws(
      () => phoenixPlatform.connectionsFromEnv({ PHOENIX_BASE_URL: 'localhost:6006' }),
      (e: unknown) =>
        e instanceof PlatformConfigError && /PHOENIX_BASE_URL "localhost:6006" must start with http/.test(e.message),
    );
    assert.throws(
      () => phoenixPlatform.connectionsFromEnv({ PHOENIX_COLLECTOR_ENDPOINT: 'not a url' }),
      (e: unknown) =>
        e instanceof PlatformConfigError && /PHOENIX_COLLECTOR_ENDPOINT "not a url" is not a URL/.test(e.message),
    );
    assert.throws(
      () => findConnection(phoenixPlatform, []),
      (e: unknown) =>
        e instanceof PlatformConfigError &&
        /No Arize Phoenix connection is configured; set PHOENIX_BASE_URL and PHOENIX_PROJECT/.test(e.message),
    );
  });
});
