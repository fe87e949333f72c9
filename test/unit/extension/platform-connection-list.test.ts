import * as assert from 'node:assert';
import { langfusePlatform } from '../../../src/core/sources/langfuse/langfuse-platform';
import type { PlatformDescriptor } from '../../../src/core/sources/platform';
import { platformEnvVar } from '../../../src/core/sources/platform-env';
import { findPlatform } from '../../../src/core/sources/platform-registry';
import {
  connectionEntries,
  connectionLabel,
  parseSourceId,
  platformKeyName,
  platformSourceId,
  suggestConnectionName,
  withConnection,
} from '../../../src/extension/sources/platform-connection-list';

const langfuse = langfusePlatform as unknown as PlatformDescriptor;
const phoenix = findPlatform('phoenix')!;

describe('Platform connections of the extension', () => {
  it('lists the setting entries, skipping malformed and repeated names', () => {
    const entries = connectionEntries(
      langfuse,
      [
        { name: 'prod', baseUrl: 'https://langfuse.example.com/' },
        { name: 'prod', baseUrl: 'https://other.example.com' },
        { name: 'bad name', baseUrl: 'https://x.example.com' },
        { name: 'eu', baseUrl: 'https://cloud.langfuse.com' },
        { name: 'nourl' },
        'not an object',
      ],
      false,
    );
    assert.deepStrictEqual(
      entries.map((e) => [e.name, e.sourceId, e.label, e.inSettings]),
      [
        ['prod', 'langfuse:prod', 'Langfuse prod (langfuse.example.com)', true],
        ['eu', 'langfuse:eu', 'Langfuse eu (cloud.langfuse.com)', true],
        // Langfuse's base URL has a default (the EU cloud), so an entry without one is that.
        ['nourl', 'langfuse:nourl', 'Langfuse nourl (cloud.langfuse.com)', true],
      ],
    );
    assert.deepStrictEqual(connectionEntries(langfuse, 'not an array', false), []);
  });

  it("adds the unnamed default connection when its keys exist, with the environment's base URL", () => {
    assert.deepStrictEqual(
      connectionEntries(langfuse, [], false, { LANGFUSE_BASE_URL: 'https://us.cloud.langfuse.com' }),
      [],
    );
    const [fromKeys] = connectionEntries(langfuse, [], true);
    assert.deepStrictEqual(fromKeys, {
      platform: 'langfuse',
      name: 'default',
      settings: { baseUrl: 'https://cloud.langfuse.com' },
      sourceId: 'langfuse',
      label: 'Langfuse (cloud.langfuse.com)',
      inSettings: false,
    });
    const [fromEnv] = connectionEntries(langfuse, [{ name: 'x', baseUrl: 'http://127.0.0.1:3000' }], true, {
      LANGFUSE_HOST: 'https://us.cloud.langfuse.com',
    });
    assert.strictEqual(
      fromEnv.settings.baseUrl,
      'https://us.cloud.langfuse.com',
      'LANGFUSE_HOST as the SDKs read it; listed first',
    );
    // A `default` entry in the settings gives the unnamed keys a base URL; it is not listed twice.
    const configured = connectionEntries(langfuse, [{ name: 'default', baseUrl: 'http://127.0.0.1:3000' }], true);
    assert.deepStrictEqual(
      configured.map((e) => [e.sourceId, e.settings.baseUrl, e.inSettings]),
      [['langfuse', 'http://127.0.0.1:3000', true]],
    );
  });

  it('lists Phoenix connections with their project, defaults filled in', () => {
    const entries = connectionEntries(
      phoenix,
      [{ name: 'prod', baseUrl: 'https://phoenix.example.com', project: 'support-bot' }, { name: 'local' }],
      true,
      { PHOENIX_PROJECT: 'evals' },
    );
    assert.deepStrictEqual(
      entries.map((e) => [e.sourceId, e.label]),
      [
        ['phoenix', 'Arize Phoenix (localhost:6006 / evals)'],
        ['phoenix:prod', 'Arize Phoenix prod (phoenix.example.com / support-bot)'],
        ['phoenix:local', 'Arize Phoenix local (localhost:6006 / default)'],
      ],
    );
  });

  it("maps connection names to the CLI's source ids and environment variables", () => {
    assert.strictEqual(platformSourceId('langfuse', 'default'), 'langfuse');
    assert.strictEqual(platformSourceId('phoenix', 'eu-cloud'), 'phoenix:eu-cloud');
    assert.deepStrictEqual(parseSourceId('langfuse')?.connection, 'default');
    assert.deepStrictEqual(parseSourceId('langfuse:eu-cloud')?.connection, 'eu-cloud');
    assert.strictEqual(parseSourceId('phoenix:prod')?.platform.id, 'phoenix');
    assert.strictEqual(parseSourceId('local'), undefined);
    assert.strictEqual(parseSourceId('langfuse:'), undefined);
    assert.strictEqual(parseSourceId('datadog'), undefined);
    assert.strictEqual(platformEnvVar(langfuse, 'default', 'PUBLIC_KEY'), 'LANGFUSE_PUBLIC_KEY');
    assert.strictEqual(platformEnvVar(langfuse, 'eu-cloud', 'SECRET_KEY'), 'LANGFUSE_EU_CLOUD_SECRET_KEY');
    assert.strictEqual(platformEnvVar(phoenix, 'prod', 'API_KEY'), 'PHOENIX_PROD_API_KEY');
    assert.strictEqual(connectionLabel(langfuse, 'default', { baseUrl: 'not a url' }), 'Langfuse (not a url)');
    assert.deepStrictEqual(
      [
        platformKeyName('langfuse', 'default', 'publicKey'),
        platformKeyName('langfuse', 'prod', 'secretKey'),
        platformKeyName('phoenix', 'default', 'apiKey'),
      ],
      ['langfuse.publicKey', 'langfuse.prod.secretKey', 'phoenix.apiKey'],
    );
  });

  it('adds or replaces an entry by name', () => {
    const list = [
      { name: 'a', baseUrl: 'https://a.example.com' },
      { name: 'b', baseUrl: 'https://b.example.com' },
      'junk',
    ];
    assert.deepStrictEqual(withConnection(list, { name: 'a', baseUrl: 'https://new.example.com' }), [
      { name: 'b', baseUrl: 'https://b.example.com' },
      { name: 'a', baseUrl: 'https://new.example.com' },
    ]);
    assert.deepStrictEqual(withConnection(undefined, { name: 'c', baseUrl: 'https://c.example.com', project: 'p' }), [
      { name: 'c', baseUrl: 'https://c.example.com', project: 'p' },
    ]);
  });

  it('suggests "default" first, then a unique name from the host', () => {
    assert.strictEqual(suggestConnectionName(langfuse, 'https://cloud.langfuse.com', []), 'default');
    assert.strictEqual(suggestConnectionName(langfuse, 'https://us.cloud.langfuse.com', ['default']), 'us-cloud');
    assert.strictEqual(
      suggestConnectionName(langfuse, 'https://langfuse.example.com', ['default', 'example']),
      'example-2',
    );
    assert.strictEqual(suggestConnectionName(phoenix, 'http://127.0.0.1:6006', ['default']), '127-0');
  });
});
