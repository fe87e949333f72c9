// Model specs, recorded targets and provider configs from the environment.
import assert from 'node:assert/strict';
import { UnknownModelError } from '../../../src/core/llm/llm-errors';
import { parseModelSpec, targetForRecorded } from '../../../src/core/llm/model-target';
import { ProviderConfigError, providerConfigsFromEnv } from '../../../src/core/llm/provider-configs';
import { anthropicProvider } from '../../../src/core/llm/providers/anthropic/anthropic-provider';
import { openaiProvider } from '../../../src/core/llm/providers/openai/openai-provider';
import type { LlmCall } from '../../../src/core/model/trace';

const DEFAULT_ANTHROPIC_BASE_URL = anthropicProvider.defaultBaseURL;
const DEFAULT_OPENAI_BASE_URL = openaiProvider.defaultBaseURL;
const configs = providerConfigsFromEnv({
  TRACE_REPLAY_ENDPOINTS: '{"ollama":{"baseURL":"http://127.0.0.1:11434/v1"}}',
});

function recorded(provider: string | undefined, model: string, api: LlmCall['api']): LlmCall {
  return { provider, api, requestModel: model, messages: [], parameters: {}, output: { text: '', toolCalls: [] } };
}

describe('llm provider layer: model targets', () => {
  it('parses provider:model for configured providers, keeping further colons in the model', () => {
    assert.deepEqual(parseModelSpec('openai:gpt-4o-mini', configs), { provider: 'openai', model: 'gpt-4o-mini' });
    assert.deepEqual(parseModelSpec('anthropic:claude-sonnet-4-5', configs), {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    assert.deepEqual(parseModelSpec('ollama:llama3.1:8b', configs), { provider: 'ollama', model: 'llama3.1:8b' });
    assert.deepEqual(parseModelSpec(' OpenAI:gpt-4.1 ', configs), { provider: 'openai', model: 'gpt-4.1' });
  });

  for (const [model, provider] of [
    ['gpt-4o-mini', 'openai'],
    ['o1', 'openai'],
    ['o3-mini', 'openai'],
    ['o4-mini', 'openai'],
    ['chatgpt-4o-latest', 'openai'],
    ['text-davinci-003', 'openai'],
    ['davinci-002', 'openai'],
    ['claude-haiku-4-5', 'anthropic'],
  ] as const) {
    it(`resolves the bare name ${model} to ${provider}`, () => {
      assert.deepEqual(parseModelSpec(model, configs), { provider, model });
    });
  }

  it('refuses names it cannot place, saying to write provider:model and listing configured providers', () => {
    for (const spec of ['llama3.1', 'llama3.1:8b', 'vllm:qwen', 'openai:', '']) {
      assert.throws(
        () => parseModelSpec(spec, configs),
        (e: unknown) => {
          assert.ok(e instanceof UnknownModelError, spec);
          assert.match(e.message, /provider:model/);
          assert.match(e.message, /configured providers: openai, anthropic, gemini, offline, ollama/);
          return true;
        },
      );
    }
  });

  it('targets the recorded provider, model and API, mapping cloud spellings where possible', () => {
    assert.deepEqual(targetForRecorded(recorded('openai', 'gpt-4.1-mini', 'responses'), configs), {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      api: 'responses',
    });
    assert.deepEqual(targetForRecorded(recorded('anthropic', 'claude-haiku-4-5', 'anthropic.messages'), configs), {
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      api: 'anthropic.messages',
    });
    assert.deepEqual(targetForRecorded(recorded('azure.ai.openai', 'my-deployment', 'chat.completions'), configs), {
      provider: 'azure',
      model: 'my-deployment',
      api: 'chat.completions',
    });
    assert.deepEqual(targetForRecorded(recorded(undefined, 'gpt-4o', 'chat.completions'), configs), {
      provider: 'openai',
      model: 'gpt-4o',
      api: 'chat.completions',
    });
    assert.deepEqual(targetForRecorded(recorded(undefined, 'my-model', 'anthropic.messages'), configs), {
      provider: 'anthropic',
      model: 'my-model',
      api: 'anthropic.messages',
    });
    assert.deepEqual(targetForRecorded(recorded('mistral_ai', 'mistral-large', 'unknown'), configs), {
      provider: 'mistral_ai',
      model: 'mistral-large',
    });
    assert.throws(
      () => targetForRecorded({ ...recorded('openai', '', 'chat.completions'), requestModel: undefined }, configs),
      UnknownModelError,
    );
  });

  it('replays Gemini calls on Gemini, and Claude recorded on Vertex AI (gcp.vertex_ai) on Anthropic, with a warning', () => {
    assert.deepEqual(
      targetForRecorded(recorded('gcp.gemini', 'gemini-2.5-flash', 'gemini.generate_content'), configs),
      { provider: 'gemini', model: 'gemini-2.5-flash', api: 'gemini.generate_content' },
    );
    assert.deepEqual(
      targetForRecorded(recorded('gcp.vertex_ai', 'gemini-2.5-pro', 'gemini.generate_content'), configs),
      { provider: 'gemini', model: 'gemini-2.5-pro', api: 'gemini.generate_content' },
    );
    const claude = targetForRecorded(recorded('gcp.vertex_ai', 'claude-3-5-sonnet@20240620', 'unknown'), configs);
    assert.equal(claude.provider, 'anthropic');
    assert.equal(claude.model, 'claude-3-5-sonnet-20240620');
    assert.match(claude.warnings?.[0] ?? '', /Google Gemini does not serve/);
  });
});

describe('llm provider layer: provider configs from the environment', () => {
  it("reads the SDKs' own variables and names them as key sources", () => {
    const c = providerConfigsFromEnv({
      OPENAI_API_KEY: 'sk-1',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      ANTHROPIC_API_KEY: 'sk-ant-1',
    });
    assert.deepEqual(c.openai, {
      kind: 'openai',
      baseURL: 'http://127.0.0.1:1/v1',
      apiKey: 'sk-1',
      keySource: 'OPENAI_API_KEY',
    });
    assert.deepEqual(c.anthropic, {
      kind: 'anthropic',
      baseURL: DEFAULT_ANTHROPIC_BASE_URL,
      apiKey: 'sk-ant-1',
      keySource: 'ANTHROPIC_API_KEY',
    });
  });

  it('leaves keys unset when the variables are empty, with default base URLs', () => {
    const c = providerConfigsFromEnv({ OPENAI_API_KEY: ' ' });
    assert.equal(c.openai.apiKey, undefined);
    assert.equal(c.openai.baseURL, DEFAULT_OPENAI_BASE_URL);
    assert.equal(c.anthropic.apiKey, undefined);
  });

  it('adds OpenAI-compatible profiles from TRACE_REPLAY_ENDPOINTS, keys from a named variable', () => {
    const c = providerConfigsFromEnv({
      TRACE_REPLAY_ENDPOINTS:
        '{"Ollama":{"baseURL":"http://127.0.0.1:11434/v1"},"openrouter":{"baseURL":"https://openrouter.ai/api/v1","apiKeyEnv":"OPENROUTER_API_KEY","headers":{"X-Title":"replay"}}}',
      OPENROUTER_API_KEY: 'or-1',
      TRACE_REPLAY_MAX_RETRIES: '4',
    });
    assert.deepEqual(c.ollama, {
      kind: 'openai-compatible',
      baseURL: 'http://127.0.0.1:11434/v1',
      keyOptional: true,
      maxRetries: 4,
    });
    assert.deepEqual(c.openrouter, {
      kind: 'openai-compatible',
      baseURL: 'https://openrouter.ai/api/v1',
      apiKey: 'or-1',
      keySource: 'OPENROUTER_API_KEY',
      headers: { 'X-Title': 'replay' },
      maxRetries: 4,
    });
    assert.equal(c.openai.maxRetries, 4);
  });

  it('rejects malformed endpoint JSON with a typed error', () => {
    for (const bad of ['{nope', '[]', '{"x":{}}', '{"x":{"baseURL":3}}']) {
      assert.throws(() => providerConfigsFromEnv({ TRACE_REPLAY_ENDPOINTS: bad }), ProviderConfigError, bad);
    }
    assert.throws(() => providerConfigsFromEnv({ TRACE_REPLAY_MAX_RETRIES: 'many' }), ProviderConfigError);
  });
});
