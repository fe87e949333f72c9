// The provider registry: its lookups, that adapter ids and SecretStorage ids are unique, that every
// adapter's VS Code settings are declared in package.json, and where recorded calls replay: on
// their own provider when it is set up, else (Claude on Bedrock / Vertex) on Anthropic with a warning.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import { UnknownProviderError } from '../../../src/core/llm/llm-errors';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import { targetForRecorded } from '../../../src/core/llm/model-target';
import type { ProviderAdapter } from '../../../src/core/llm/provider-adapter';
import { providerConfigsFromEnv } from '../../../src/core/llm/provider-configs';
import {
  allProviders,
  apiKeyProviders,
  pickerProviders,
  providerById,
  providerForModelName,
  providerForRecorded,
  providerSettings,
  ProviderRegistry,
} from '../../../src/core/llm/provider-registry';
import { bedrockProvider } from '../../../src/core/llm/providers/bedrock/bedrock-provider';
import { geminiProvider } from '../../../src/core/llm/providers/gemini/gemini-provider';
import { priceProviderId } from '../../../src/core/pricing/llm-pricing';
import type { LlmApi, LlmCall } from '../../../src/core/model/trace';

function recorded(provider: string | undefined, model: string, api: LlmApi = 'unknown'): LlmCall {
  return { provider, api, requestModel: model, messages: [], parameters: {}, output: { text: '', toolCalls: [] } };
}

/** The shipped registry with the Gemini and Bedrock adapters in it (as once their lines are enabled). */
const OTHERS = allProviders().filter((a) => a.id !== 'gemini' && a.id !== 'bedrock');
const WITH_ALL = new ProviderRegistry([
  ...OTHERS.slice(0, 3),
  geminiProvider as ProviderAdapter,
  bedrockProvider as ProviderAdapter,
  ...OTHERS.slice(3),
]);
/** ... and without Bedrock (as the registry ships until its line is enabled). */
const NO_BEDROCK = new ProviderRegistry(OTHERS);

const KEYS: ProviderConfigs = providerConfigsFromEnv({ OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'sk-ant-1' });
const AZURE: ProviderConfigs = { azure: { kind: 'azure', apiKey: 'az-1', baseURL: 'https://res.openai.azure.com' } };
const GEMINI: ProviderConfigs = { gemini: { kind: 'gemini', apiKey: 'g-1' } };
const BEDROCK: ProviderConfigs = { bedrock: { kind: 'bedrock', region: 'us-east-1' } };

describe('llm provider layer: the provider registry', () => {
  it('finds adapters by id (any case), recorded provider name and bare model name', () => {
    assert.equal(providerById('OpenAI')?.id, 'openai');
    assert.equal(providerById('azure')?.displayName, 'Azure OpenAI');
    assert.equal(providerById('nope'), undefined);
    assert.equal(providerForRecorded('azure.ai.openai')?.id, 'azure');
    assert.equal(providerForRecorded('Anthropic')?.id, 'anthropic');
    assert.equal(providerForRecorded('mistral_ai'), undefined);
    assert.equal(providerForModelName('gpt-4.1-mini')?.id, 'openai');
    assert.equal(providerForModelName('o3-mini')?.id, 'openai');
    assert.equal(providerForModelName('claude-sonnet-4-5')?.id, 'anthropic');
    assert.equal(providerForModelName('llama3.1:8b'), undefined);
    assert.equal(WITH_ALL.forModelName('gemini-2.5-flash')?.id, 'gemini');
    assert.equal(WITH_ALL.forRecorded('gcp.vertex_ai')?.id, 'gemini');
    assert.equal(WITH_ALL.forRecorded('aws.bedrock')?.id, 'bedrock');
  });

  for (const [label, registry] of [
    ['shipped', undefined],
    ['with gemini and bedrock', WITH_ALL],
  ] as const) {
    it(`${label}: every adapter has a unique id and SecretStorage id, serves an API and no two claim a recorded name`, () => {
      const adapters = registry?.all() ?? allProviders();
      const ids = adapters.map((a) => a.id);
      assert.equal(new Set(ids).size, ids.length, `ids: ${ids.join(', ')}`);
      const secrets = adapters.map((a) => a.secretId);
      assert.equal(new Set(secrets).size, secrets.length, `secret ids: ${secrets.join(', ')}`);
      const recordedNames = adapters.flatMap((a) => a.recordedProviders);
      assert.equal(new Set(recordedNames).size, recordedNames.length, `recorded names: ${recordedNames.join(', ')}`);
      for (const a of adapters) {
        assert.ok(a.apis.length > 0, `${a.id} serves no API`);
        assert.match(a.id, /^[a-z][a-z0-9-]*$/, `${a.id}: an id is a lowercase name usable in provider:model`);
        for (const api of a.replayApis ?? [])
          assert.ok(a.apis.includes(api), `${a.id} replays ${api} it does not serve`);
      }
    });
  }

  it('keeps the SecretStorage ids keys were stored under before the registry (openai, anthropic, endpoint.<profile>)', () => {
    assert.equal(providerById('openai')?.secretId, 'openai');
    assert.equal(providerById('anthropic')?.secretId, 'anthropic');
    assert.equal(providerById('openai-compatible')?.secretId, 'endpoint');
  });

  it('lists the keyed providers for Set API Key and the pickers, not the profiles adapter', () => {
    const keyed = apiKeyProviders().map((a) => a.id);
    for (const id of ['openai', 'anthropic', 'azure']) assert.ok(keyed.includes(id), id);
    assert.ok(!keyed.includes('offline') && !keyed.includes('openai-compatible'));
    const pickers = pickerProviders().map((a) => a.id);
    assert.ok(pickers.includes('offline') && pickers.includes('azure'));
    assert.ok(!pickers.includes('openai-compatible'), 'endpoint profiles are listed by name instead');
  });

  it("declares every adapter's VS Code settings in package.json, with a description and an empty default", () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { description?: string; default?: unknown }> } };
    };
    const props = manifest.contributes.configuration.properties;
    const wanted = pickerProviders().flatMap((a) =>
      providerSettings(a).map((s) => `traceReplay.providers.${a.id}.${s.key}`),
    );
    for (const key of ['openai.baseUrl', 'anthropic.baseUrl', 'azure.endpoint', 'azure.apiVersion'])
      assert.ok(wanted.includes(`traceReplay.providers.${key}`), key);
    for (const key of wanted) {
      assert.ok((props[key]?.description ?? '').length > 20, `${key} is not declared with a description`);
      assert.equal(props[key].default, '', key);
    }
    const declared = Object.keys(props).filter((k) => /^traceReplay\.providers\.[^.]+\.[^.]+$/.test(k));
    assert.deepEqual(declared.sort(), wanted.sort(), 'no provider setting declared that no adapter reads');
  });

  it('every adapter drops, with a warning, each typed parameter its `parameters` row leaves out', () => {
    const wire: Record<string, string> = {
      temperature: 'temperature',
      maxTokens: 'max_tokens',
      topP: 'top_p',
      topK: 'top_k',
      stop: 'stop',
      seed: 'seed',
      frequencyPenalty: 'frequency_penalty',
      presencePenalty: 'presence_penalty',
      n: 'n',
      reasoningEffort: 'reasoning',
    };
    const all: LlmCall['parameters'] = {
      temperature: 0.5,
      maxTokens: 64,
      topP: 0.9,
      topK: 20,
      stop: ['END'],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      n: 2,
      reasoningEffort: 'low',
    };
    for (const adapter of allProviders()) {
      const configs: ProviderConfigs = { [adapter.id]: { kind: adapter.id } };
      const model = adapter.suggestedModels?.[0] ?? 'some-model';
      const built = createLlmGateway(configs).build(
        {
          ...recorded(undefined, model, adapter.apis[0]),
          messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
          parameters: all,
        },
        { provider: adapter.id, model },
      );
      const text = built.warnings.join('\n');
      for (const [name, spelled] of Object.entries(wire)) {
        if (adapter.parameters.has(name as keyof LlmCall['parameters'])) continue;
        assert.match(
          text,
          new RegExp(`\\b(${spelled}|${name})\\b`, 'i'),
          `${adapter.id}: ${name} is not in its parameters, yet no warning names it`,
        );
      }
    }
  });

  it('gives each adapter its price id (recorded spellings of adapters included)', () => {
    assert.equal(priceProviderId('azure'), 'azure');
    assert.equal(priceProviderId('azure.ai.openai'), 'azure');
    assert.equal(priceProviderId('openai'), 'openai');
    assert.equal(priceProviderId('offline'), undefined);
    assert.equal(priceProviderId('openrouter'), 'openrouter');
  });
});

describe('llm provider layer: where a recorded call replays', () => {
  it('a recorded Azure, Gemini or Bedrock call replays on its own provider when that one is set up', () => {
    const configs = { ...KEYS, ...AZURE, ...GEMINI, ...BEDROCK };
    assert.deepEqual(
      targetForRecorded(recorded('azure.ai.openai', 'prod-gpt4o', 'chat.completions'), configs, WITH_ALL),
      { provider: 'azure', model: 'prod-gpt4o', api: 'chat.completions' },
    );
    assert.deepEqual(
      targetForRecorded(recorded('gcp.gemini', 'gemini-2.5-flash', 'gemini.generate_content'), configs, WITH_ALL),
      { provider: 'gemini', model: 'gemini-2.5-flash', api: 'gemini.generate_content' },
    );
    assert.deepEqual(
      targetForRecorded(recorded('gcp.vertex_ai', 'gemini-2.5-pro', 'gemini.generate_content'), configs, WITH_ALL),
      { provider: 'gemini', model: 'gemini-2.5-pro', api: 'gemini.generate_content' },
    );
    const claude = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';
    assert.deepEqual(targetForRecorded(recorded('aws.bedrock', claude, 'bedrock.converse'), configs, WITH_ALL), {
      provider: 'bedrock',
      model: claude,
      api: 'bedrock.converse',
    });
    // Recorded through the Anthropic SDK's Bedrock client: Bedrock, with the API it was recorded with
    // (build() then sends Bedrock's native API, as Bedrock does not serve anthropic.messages).
    assert.deepEqual(targetForRecorded(recorded('aws.bedrock', claude, 'anthropic.messages'), configs, WITH_ALL), {
      provider: 'bedrock',
      model: claude,
      api: 'anthropic.messages',
    });
  });

  it('Claude recorded on Bedrock or Vertex falls back to Anthropic, with a warning, when its own provider is not set up or does not serve it', () => {
    const bedrock = targetForRecorded(
      recorded('aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'),
      KEYS,
      WITH_ALL,
    );
    assert.equal(bedrock.provider, 'anthropic');
    assert.equal(bedrock.model, 'claude-3-5-sonnet-20240620');
    assert.equal(bedrock.api, 'anthropic.messages');
    assert.match(
      bedrock.warnings?.[0] ?? '',
      /recorded on aws\.bedrock as us\.anthropic\.claude-3-5-sonnet-20240620-v1:0; AWS Bedrock is not set up, so it is replayed on anthropic as claude-3-5-sonnet-20240620 \(set up bedrock/,
    );
    // Gemini is listed (its config exists) but has no key: not set up.
    const gemini = targetForRecorded(
      recorded('gcp.gemini', 'gemini-2.5-flash'),
      { ...KEYS, gemini: { kind: 'gemini' } },
      WITH_ALL,
    );
    assert.deepEqual(
      gemini,
      { provider: 'gemini', model: 'gemini-2.5-flash' },
      'no fallback serves Gemini: its own provider, which execute() then reports',
    );
    const vertex = targetForRecorded(
      recorded('gcp.vertex_ai', 'claude-3-5-sonnet@20240620'),
      { ...KEYS, gemini: { kind: 'gemini' } },
      WITH_ALL,
    );
    assert.deepEqual(
      { ...vertex, warnings: undefined },
      { provider: 'anthropic', model: 'claude-3-5-sonnet-20240620', api: 'anthropic.messages', warnings: undefined },
    );
  });

  it('Claude recorded on Vertex goes to Anthropic even with Gemini set up (the Gemini API does not serve Claude), saying so', () => {
    const vertex = targetForRecorded(
      recorded('gcp.vertex_ai', 'claude-3-5-sonnet@20240620'),
      { ...KEYS, ...GEMINI },
      WITH_ALL,
    );
    assert.equal(vertex.provider, 'anthropic');
    assert.match(
      vertex.warnings?.[0] ?? '',
      /Google Gemini does not serve that model, so it is replayed on anthropic as claude-3-5-sonnet-20240620 \(pick a model/,
    );
  });

  it('with no adapter registered for the recorded provider, Bedrock Claude still falls back, saying why', () => {
    const bedrock = targetForRecorded(
      recorded('aws.bedrock', 'anthropic.claude-3-haiku-20240307-v1:0'),
      { ...KEYS, ...BEDROCK },
      NO_BEDROCK,
    );
    assert.equal(bedrock.provider, 'anthropic');
    assert.equal(bedrock.model, 'claude-3-haiku-20240307');
    assert.match(bedrock.warnings?.[0] ?? '', /no provider for aws\.bedrock is registered/);
    // A recorded provider nobody knows keeps its name (an endpoint profile of that name may serve it).
    assert.deepEqual(targetForRecorded(recorded('mistral_ai', 'mistral-large'), KEYS, NO_BEDROCK), {
      provider: 'mistral_ai',
      model: 'mistral-large',
    });
  });

  it("the fallback warning reaches the built request's warnings", () => {
    const target = targetForRecorded(
      recorded('aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.messages'),
      KEYS,
      WITH_ALL,
    );
    const built = createLlmGateway(KEYS).build(
      {
        ...recorded('aws.bedrock', 'x', 'anthropic.messages'),
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
        parameters: { maxTokens: 10 },
      },
      target,
    );
    assert.equal(built.api, 'anthropic.messages');
    assert.equal(built.warnings[0], target.warnings?.[0]);
  });

  it('a recorded provider that is not set up and has no fallback keeps its own provider; execute names what to set', async () => {
    const target = targetForRecorded(recorded('azure.ai.openai', 'prod-gpt4o', 'chat.completions'), KEYS);
    assert.deepEqual(target, { provider: 'azure', model: 'prod-gpt4o', api: 'chat.completions' });
    const gateway = createLlmGateway(KEYS);
    const built = gateway.build(
      {
        ...recorded('azure.ai.openai', 'prod-gpt4o', 'chat.completions'),
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      },
      target,
    );
    assert.equal(built.api, 'chat.completions', 'built for the Azure adapter even though it is not configured');
    await assert.rejects(gateway.execute(built, target), (e: unknown) => {
      assert.ok(e instanceof UnknownProviderError);
      assert.match(
        e.message,
        /No provider named "azure" is configured \(Azure OpenAI is not set up: set AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT\)/,
      );
      return true;
    });
  });
});
