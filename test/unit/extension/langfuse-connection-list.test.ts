import * as assert from 'node:assert';
import {
  connectionLabel, connectionNameOf, langfuseConnectionEntries, langfuseEnvVar, langfuseSourceId, suggestConnectionName, withConnection,
} from '../../../src/extension/langfuse-connection-list';

describe('Langfuse connections of the extension', () => {
  it('lists the setting entries, skipping malformed and repeated names', () => {
    const entries = langfuseConnectionEntries([
      { name: 'prod', baseUrl: 'https://langfuse.example.com/' },
      { name: 'prod', baseUrl: 'https://other.example.com' },
      { name: 'bad name', baseUrl: 'https://x.example.com' },
      { name: 'eu', baseUrl: 'https://cloud.langfuse.com' },
      'not an object',
    ], false);
    assert.deepStrictEqual(entries.map(e => [e.name, e.sourceId, e.label, e.inSettings]), [
      ['prod', 'langfuse:prod', 'Langfuse prod (langfuse.example.com)', true],
      ['eu', 'langfuse:eu', 'Langfuse eu (cloud.langfuse.com)', true],
    ]);
    assert.deepStrictEqual(langfuseConnectionEntries('not an array', false), []);
  });

  it('adds the unnamed default connection when its keys exist, with the environment\'s base URL', () => {
    assert.deepStrictEqual(langfuseConnectionEntries([], false, { LANGFUSE_BASE_URL: 'https://us.cloud.langfuse.com' }), []);
    const [fromKeys] = langfuseConnectionEntries([], true);
    assert.deepStrictEqual(fromKeys, {
      name: 'default', baseUrl: 'https://cloud.langfuse.com', sourceId: 'langfuse', label: 'Langfuse (cloud.langfuse.com)', inSettings: false,
    });
    const [fromEnv] = langfuseConnectionEntries([{ name: 'x', baseUrl: 'http://127.0.0.1:3000' }], true, { LANGFUSE_HOST: 'https://us.cloud.langfuse.com' });
    assert.strictEqual(fromEnv.baseUrl, 'https://us.cloud.langfuse.com', 'LANGFUSE_HOST as the SDKs read it; listed first');
    // A `default` entry in the settings gives the unnamed keys a base URL; it is not listed twice.
    const configured = langfuseConnectionEntries([{ name: 'default', baseUrl: 'http://127.0.0.1:3000' }], true);
    assert.deepStrictEqual(configured.map(e => [e.sourceId, e.baseUrl, e.inSettings]), [['langfuse', 'http://127.0.0.1:3000', true]]);
  });

  it('maps connection names to the CLI\'s source ids and environment variables', () => {
    assert.strictEqual(langfuseSourceId('default'), 'langfuse');
    assert.strictEqual(langfuseSourceId('eu-cloud'), 'langfuse:eu-cloud');
    assert.strictEqual(connectionNameOf('langfuse'), 'default');
    assert.strictEqual(connectionNameOf('langfuse:eu-cloud'), 'eu-cloud');
    assert.strictEqual(connectionNameOf('local'), undefined);
    assert.strictEqual(connectionNameOf('langfuse:'), undefined);
    assert.strictEqual(langfuseEnvVar('default', 'PUBLIC_KEY'), 'LANGFUSE_PUBLIC_KEY');
    assert.strictEqual(langfuseEnvVar('eu-cloud', 'SECRET_KEY'), 'LANGFUSE_EU_CLOUD_SECRET_KEY');
    assert.strictEqual(connectionLabel('default', 'not a url'), 'Langfuse (not a url)');
  });

  it('adds or replaces an entry by name, keeping only name and base URL', () => {
    const list = [{ name: 'a', baseUrl: 'https://a.example.com', extra: 1 }, { name: 'b', baseUrl: 'https://b.example.com' }];
    assert.deepStrictEqual(withConnection(list, { name: 'a', baseUrl: 'https://new.example.com' }), [
      { name: 'b', baseUrl: 'https://b.example.com' },
      { name: 'a', baseUrl: 'https://new.example.com' },
    ]);
    assert.deepStrictEqual(withConnection(undefined, { name: 'c', baseUrl: 'https://c.example.com' }), [{ name: 'c', baseUrl: 'https://c.example.com' }]);
  });

  it('suggests "default" first, then a unique name from the host', () => {
    assert.strictEqual(suggestConnectionName('https://cloud.langfuse.com', []), 'default');
    assert.strictEqual(suggestConnectionName('https://us.cloud.langfuse.com', ['default']), 'us-cloud');
    assert.strictEqual(suggestConnectionName('https://langfuse.example.com', ['default', 'example']), 'example-2');
    assert.strictEqual(suggestConnectionName('http://127.0.0.1:3000', ['default']), '127-0');
  });
});
