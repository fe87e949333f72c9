// A built-in provider's config, built by core for the CLI and the extension alike: the environment
// as the adapter reads it, (in VS Code) the stored key over the env one, the settings
// (traceReplay.providers.<id>.<key>) over both; not offered when set up nowhere.
import assert from 'node:assert/strict';
import type { ProviderAdapter } from '../../../src/core/llm/provider-adapter';
import {
  builtInProviderConfig,
  builtInProviderConfigs,
  providerConfigsFromEnv,
  type BuiltInConfigSources,
} from '../../../src/core/llm/provider-configs';
import { pickerProviders, providerById } from '../../../src/core/llm/provider-registry';

const KEY_SOURCE = 'the key with "Trace Replay: Set API Key..." or the X environment variable';

function adapter(id: string): ProviderAdapter {
  const a = providerById(id);
  assert.ok(a, `${id} is registered`);
  return a;
}

function sources(
  id: string,
  init: { env?: NodeJS.ProcessEnv; key?: string; settings?: Record<string, string> },
): BuiltInConfigSources {
  return {
    env: init.env ?? {},
    key: (a) => (a.id === id ? init.key : undefined),
    setting: (a, s) => init.settings?.[`${a.id}.${s.key}`] ?? '',
    keySource: () => KEY_SOURCE,
  };
}

describe('built-in provider configs (VS Code: settings, SecretStorage and the environment)', () => {
  it('openai: the stored key and the baseUrl setting', () => {
    assert.deepEqual(
      builtInProviderConfig(
        adapter('openai'),
        sources('openai', { key: 'sk-stored', settings: { 'openai.baseUrl': ' http://proxy.local/v1 ' } }),
      ),
      { kind: 'openai', baseURL: 'http://proxy.local/v1', apiKey: 'sk-stored', keySource: KEY_SOURCE },
    );
  });

  it('a setting wins over the environment, the environment over the default; the stored key over the env key', () => {
    const env = { OPENAI_BASE_URL: 'http://env.local/v1', OPENAI_API_KEY: 'sk-env' };
    assert.equal(builtInProviderConfig(adapter('openai'), sources('openai', { env }))?.baseURL, 'http://env.local/v1');
    assert.equal(builtInProviderConfig(adapter('openai'), sources('openai', { env }))?.apiKey, 'sk-env');
    const both = builtInProviderConfig(
      adapter('openai'),
      sources('openai', { env, key: 'sk-stored', settings: { 'openai.baseUrl': 'http://setting.local/v1' } }),
    );
    assert.equal(both?.baseURL, 'http://setting.local/v1');
    assert.equal(both?.apiKey, 'sk-stored');
    assert.equal(
      builtInProviderConfig(adapter('openai'), sources('openai', {}))?.baseURL,
      adapter('openai').defaultBaseURL,
    );
  });

  it('a keyed provider with no key keeps its config, naming where the key goes', () => {
    const c = builtInProviderConfig(adapter('anthropic'), sources('anthropic', {}));
    assert.equal(c?.apiKey, undefined);
    assert.equal(c?.keySource, KEY_SOURCE);
  });

  it('azure: not offered when set up nowhere; its endpoint and api-version settings, the stored key', () => {
    assert.equal(builtInProviderConfig(adapter('azure'), sources('azure', {})), undefined);
    assert.deepEqual(
      builtInProviderConfig(
        adapter('azure'),
        sources('azure', {
          settings: { 'azure.endpoint': 'https://res.openai.azure.com', 'azure.apiVersion': '2024-10-21' },
        }),
      ),
      { kind: 'azure', baseURL: 'https://res.openai.azure.com', apiVersion: '2024-10-21', keySource: KEY_SOURCE },
    );
    assert.deepEqual(
      builtInProviderConfig(
        adapter('azure'),
        sources('azure', { key: 'az-stored', env: { AZURE_OPENAI_ENDPOINT: 'https://env.openai.azure.com' } }),
      ),
      { kind: 'azure', baseURL: 'https://env.openai.azure.com', apiKey: 'az-stored', keySource: KEY_SOURCE },
    );
    assert.deepEqual(
      builtInProviderConfig(adapter('azure'), sources('azure', { key: 'az-stored' })),
      { kind: 'azure', apiKey: 'az-stored', keySource: KEY_SOURCE },
      'a stored key alone offers it (execute then names the missing endpoint)',
    );
  });

  it('the offline stand-in is always there and needs no key', () => {
    assert.deepEqual(builtInProviderConfig(adapter('offline'), sources('offline', { key: 'ignored' })), {
      kind: 'offline',
      keyOptional: true,
    });
  });

  it('an AWS-credential provider (Bedrock) takes its region setting and no key', () => {
    const bedrock = adapter('bedrock');
    assert.equal(builtInProviderConfig(bedrock, sources('bedrock', {})), undefined, 'no region anywhere: not offered');
    const c = builtInProviderConfig(
      bedrock,
      sources('bedrock', { key: 'not-used', settings: { 'bedrock.region': 'eu-west-1' } }),
    );
    assert.equal(c?.kind, 'bedrock');
    assert.equal(c?.region, 'eu-west-1');
    assert.equal(c?.apiKey, undefined);
    assert.equal(
      builtInProviderConfig(
        bedrock,
        sources('bedrock', { env: { AWS_REGION: 'us-east-2' }, settings: { 'bedrock.region': 'eu-west-1' } }),
      )?.region,
      'eu-west-1',
    );
  });
});

describe('built-in provider configs (CLI: the environment only)', () => {
  const env = {
    OPENAI_API_KEY: 'sk-env',
    ANTHROPIC_BASE_URL: 'http://anthropic.local',
    AWS_REGION: 'us-east-2',
    TRACE_REPLAY_ENDPOINTS: '{"ollama":{"baseURL":"http://127.0.0.1:11434/v1"}}',
  };

  it('are what each adapter reads from the environment, keySource naming its env var', () => {
    const configs = builtInProviderConfigs({ env });
    for (const a of pickerProviders()) assert.deepEqual(configs[a.id], a.configFromEnv(env), a.id);
    assert.equal(configs.openai.keySource, 'OPENAI_API_KEY');
    assert.equal(configs.azure, undefined, 'azure is set up nowhere');
    assert.equal(configs.ollama, undefined, 'endpoint profiles are not built-in');
  });

  it("are the CLI's configs, with the common timeout and retries, beside the endpoint profiles", () => {
    const cli = providerConfigsFromEnv({ ...env, TRACE_REPLAY_TIMEOUT_MS: '5000' });
    const builtIn = builtInProviderConfigs({ env });
    assert.deepEqual(Object.keys(cli).sort(), [...Object.keys(builtIn), 'ollama'].sort());
    for (const [id, config] of Object.entries(builtIn)) assert.deepEqual(cli[id], { timeoutMs: 5000, ...config }, id);
  });

  it('in VS Code are the same plus the stored key and settings', () => {
    const vscode = builtInProviderConfigs(
      sources('openai', { env, key: 'sk-stored', settings: { 'anthropic.baseUrl': 'http://setting.local' } }),
    );
    assert.deepEqual(Object.keys(vscode), Object.keys(builtInProviderConfigs({ env })));
    assert.equal(vscode.openai.apiKey, 'sk-stored');
    assert.equal(vscode.anthropic.baseURL, 'http://setting.local');
    assert.equal(vscode.anthropic.keySource, KEY_SOURCE);
  });
});
