// A registry adapter's config in VS Code: the environment as the adapter reads it, the stored key
// over the env one, the settings (traceReplay.providers.<id>.<key>) over both; not offered when set
// up nowhere.
import assert from 'node:assert/strict';
import type { ProviderAdapter } from '../../../src/core/llm/provider-adapter';
import { providerById } from '../../../src/core/llm/provider-registry';
import { adapterConfig, type AdapterConfigSources } from '../../../src/extension/provider-config-sources';

const KEY_SOURCE = 'the key with "Trace Replay: Set API Key..." or the X environment variable';

function adapter(id: string): ProviderAdapter {
  const a = providerById(id);
  assert.ok(a, `${id} is registered`);
  return a;
}

function sources(id: string, init: { env?: NodeJS.ProcessEnv; key?: string; settings?: Record<string, string> }): AdapterConfigSources {
  return {
    env: init.env ?? {},
    key: init.key,
    setting: s => init.settings?.[`${id}.${s.key}`] ?? '',
    keySource: KEY_SOURCE,
  };
}

describe('extension: provider configs from settings, SecretStorage and the environment', () => {
  it('openai: the stored key and the baseUrl setting', () => {
    assert.deepEqual(adapterConfig(adapter('openai'), sources('openai', { key: 'sk-stored', settings: { 'openai.baseUrl': ' http://proxy.local/v1 ' } })),
      { kind: 'openai', baseURL: 'http://proxy.local/v1', apiKey: 'sk-stored', keySource: KEY_SOURCE });
  });

  it('a setting wins over the environment, the environment over the default; the stored key over the env key', () => {
    const env = { OPENAI_BASE_URL: 'http://env.local/v1', OPENAI_API_KEY: 'sk-env' };
    assert.equal(adapterConfig(adapter('openai'), sources('openai', { env }))?.baseURL, 'http://env.local/v1');
    assert.equal(adapterConfig(adapter('openai'), sources('openai', { env }))?.apiKey, 'sk-env');
    const both = adapterConfig(adapter('openai'), sources('openai', { env, key: 'sk-stored', settings: { 'openai.baseUrl': 'http://setting.local/v1' } }));
    assert.equal(both?.baseURL, 'http://setting.local/v1');
    assert.equal(both?.apiKey, 'sk-stored');
    assert.equal(adapterConfig(adapter('openai'), sources('openai', {}))?.baseURL, adapter('openai').defaultBaseURL);
  });

  it('a keyed provider with no key keeps its config, naming where the key goes', () => {
    const c = adapterConfig(adapter('anthropic'), sources('anthropic', {}));
    assert.equal(c?.apiKey, undefined);
    assert.equal(c?.keySource, KEY_SOURCE);
  });

  it('azure: not offered when set up nowhere; its endpoint and api-version settings, the stored key', () => {
    assert.equal(adapterConfig(adapter('azure'), sources('azure', {})), undefined);
    assert.deepEqual(adapterConfig(adapter('azure'), sources('azure', { settings: { 'azure.endpoint': 'https://res.openai.azure.com', 'azure.apiVersion': '2024-10-21' } })),
      { kind: 'azure', baseURL: 'https://res.openai.azure.com', apiVersion: '2024-10-21', keySource: KEY_SOURCE });
    assert.deepEqual(adapterConfig(adapter('azure'), sources('azure', { key: 'az-stored', env: { AZURE_OPENAI_ENDPOINT: 'https://env.openai.azure.com' } })),
      { kind: 'azure', baseURL: 'https://env.openai.azure.com', apiKey: 'az-stored', keySource: KEY_SOURCE });
    assert.deepEqual(adapterConfig(adapter('azure'), sources('azure', { key: 'az-stored' })), { kind: 'azure', apiKey: 'az-stored', keySource: KEY_SOURCE },
      'a stored key alone offers it (execute then names the missing endpoint)');
  });

  it('the offline stand-in is always there and needs no key', () => {
    assert.deepEqual(adapterConfig(adapter('offline'), sources('offline', { key: 'ignored' })), { kind: 'offline', keyOptional: true });
  });

  it('an AWS-credential provider (Bedrock) takes its region setting and no key', () => {
    const bedrock = adapter('bedrock');
    assert.equal(adapterConfig(bedrock, sources('bedrock', {})), undefined, 'no region anywhere: not offered');
    const c = adapterConfig(bedrock, sources('bedrock', { key: 'not-used', settings: { 'bedrock.region': 'eu-west-1' } }));
    assert.equal(c?.kind, 'bedrock');
    assert.equal(c?.region, 'eu-west-1');
    assert.equal(c?.apiKey, undefined);
    assert.equal(adapterConfig(bedrock, sources('bedrock', { env: { AWS_REGION: 'us-east-2' }, settings: { 'bedrock.region': 'eu-west-1' } }))?.region, 'eu-west-1');
  });
});
