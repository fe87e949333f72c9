// The Azure OpenAI adapter through the real AzureOpenAI client against the fake LLM server: the
// deployment and api-version in the URL, the key in the api-key header, the body the app would
// send, JSON and streamed answers with tool calls, errors, and its configuration from the env.
import assert from 'node:assert/strict';
import { ProviderConfigError } from '../../../src/core/llm/config-values';
import { MissingApiKeyError, ProviderRequestError } from '../../../src/core/llm/llm-errors';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { LlmGateway, ProviderConfigs } from '../../../src/core/llm/llm-types';
import { targetForRecorded } from '../../../src/core/llm/model-target';
import { providerConfigsFromEnv } from '../../../src/core/llm/provider-configs';
import { azureProvider, DEFAULT_AZURE_API_VERSION } from '../../../src/core/llm/providers/azure/azure-provider';
import type { LlmApi, LlmCall } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

const API_VERSION = '2024-10-21';

/** A call as recorded from an app using Azure OpenAI: the model is the deployment name. */
function azureCall(api: LlmApi, extra: Partial<LlmCall> = {}): LlmCall {
  return {
    provider: 'azure.ai.openai',
    api,
    requestModel: 'prod-gpt4o-mini',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    ],
    tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    parameters: { maxTokens: 50, temperature: 0.2 },
    output: { text: '', toolCalls: [] },
    ...extra,
  };
}

describe('llm provider layer: Azure OpenAI', () => {
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;
  let urls: string[];
  let gateway: LlmGateway;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = {
      azure: {
        kind: 'azure',
        baseURL: llm.url,
        apiKey: 'azure-test-key',
        keySource: 'AZURE_OPENAI_API_KEY',
        apiVersion: API_VERSION,
        maxRetries: 0,
      },
    };
  });
  beforeEach(() => {
    llm.reset();
    urls = [];
    // The gateway's fetch sees the URL the SDK built (the fake server records the path only).
    gateway = createLlmGateway(configs, {
      fetch: (input, init) => (urls.push(String(input instanceof Request ? input.url : input)), fetch(input, init)),
    });
  });
  after(async () => {
    await llm.close();
  });

  it('a recorded Azure call targets the azure provider with its deployment and API', () => {
    assert.deepEqual(targetForRecorded(azureCall('chat.completions'), configs), {
      provider: 'azure',
      model: 'prod-gpt4o-mini',
      api: 'chat.completions',
    });
  });

  it('chat.completions: sent to the deployment with the api-version and the api-key header; JSON answer read', async () => {
    llm.enqueue({
      model: 'gpt-4o-mini-2024-07-18',
      text: 'Checking.',
      toolCalls: [{ id: 'call_a1', name: 'get_weather', arguments: { city: 'Paris' } }],
      usage: { input: 20, output: 5 },
    });
    const call = azureCall('chat.completions');
    const target = targetForRecorded(call, configs);
    const built = gateway.build(call, target);
    assert.deepEqual(built.warnings, []);
    const ex = await gateway.execute(built, target);
    const req = llm.requests[0];
    assert.equal(req.path, '/openai/deployments/prod-gpt4o-mini/chat/completions');
    assert.equal(new URL(urls[0]).searchParams.get('api-version'), API_VERSION);
    assert.equal(req.headers['api-key'], 'REDACTED');
    assert.equal(req.headers.authorization, undefined, 'Azure keys go in api-key, not a bearer token');
    assert.deepEqual(req.body, built.body, 'the SDK sent the built body unchanged');
    assert.deepEqual(req.body, {
      model: 'prod-gpt4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
    });
    assert.equal(ex.output.text, 'Checking.');
    assert.deepEqual(ex.output.toolCalls, [
      { type: 'tool_call', id: 'call_a1', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    assert.equal(ex.output.finishReason, 'tool_call');
    assert.equal(ex.responseModel, 'gpt-4o-mini-2024-07-18');
    assert.deepEqual(ex.usage, {
      inputIncludesCache: true,
      inputTokens: 20,
      outputTokens: 5,
      totalTokens: 25,
      cacheReadTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('chat.completions streamed: a tool call assembled from the chunks, usage asked for, time to first token', async () => {
    llm.enqueue({
      toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Oslo' } }],
      usage: { input: 12, output: 4 },
    });
    const call = azureCall('chat.completions', { streamed: true });
    const target = targetForRecorded(call, configs);
    const built = gateway.build(call, target);
    const ex = await gateway.execute(built, target);
    const req = llm.requests[0];
    assert.equal(req.path, '/openai/deployments/prod-gpt4o-mini/chat/completions');
    assert.deepEqual(req.body, built.body);
    assert.equal(req.body.stream, true);
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.equal(ex.streamed, true);
    assert.deepEqual(ex.output.toolCalls, [
      { type: 'tool_call', id: 'call_s1', name: 'get_weather', arguments: { city: 'Oslo' } },
    ]);
    assert.equal(ex.output.finishReason, 'tool_call');
    assert.deepEqual(ex.usage, {
      inputIncludesCache: true,
      inputTokens: 12,
      outputTokens: 4,
      totalTokens: 16,
      cacheReadTokens: 0,
      reasoningTokens: 0,
    });
    assert.ok(ex.timeToFirstTokenMs !== undefined && ex.timeToFirstTokenMs <= ex.durationMs);
  });

  for (const streamed of [false, true]) {
    it(`responses${streamed ? ' (streamed)' : ''}: sent to {endpoint}/openai/responses with the deployment as the model`, async () => {
      llm.enqueue({ text: 'Sunny.' });
      const call = azureCall('responses', { tools: undefined, streamed });
      const target = targetForRecorded(call, configs);
      const built = gateway.build(call, target);
      const ex = await gateway.execute(built, target);
      const req = llm.requests[0];
      assert.equal(req.path, '/openai/responses');
      assert.equal(new URL(urls[0]).searchParams.get('api-version'), API_VERSION);
      assert.deepEqual(req.body, built.body);
      assert.equal(req.body.model, 'prod-gpt4o-mini');
      assert.equal(req.body.instructions, 'Be brief.');
      assert.equal(ex.output.text, 'Sunny.');
      assert.match(ex.responseId ?? '', /^resp_/);
    });
  }

  it('OpenAI model rules apply to deployments named like OpenAI models only', () => {
    const reasoning = gateway.build(azureCall('chat.completions', { tools: undefined, requestModel: 'o3-mini' }), {
      provider: 'azure',
      model: 'o3-mini',
    });
    assert.equal(reasoning.body.max_completion_tokens, 50);
    assert.equal(reasoning.body.temperature, undefined);
    assert.match(reasoning.warnings.join('\n'), /temperature=0\.2 not sent: o3-mini \(a reasoning model\)/);
    const named = gateway.build(
      azureCall('chat.completions', { tools: undefined, parameters: { reasoningEffort: 'low' } }),
      { provider: 'azure', model: 'team-reasoner' },
    );
    assert.equal(named.body.reasoning_effort, 'low', 'an opaque deployment name keeps the recorded effort');
    assert.deepEqual(named.warnings, []);
    const chat = gateway.build(
      azureCall('chat.completions', { tools: undefined, parameters: { reasoningEffort: 'low' } }),
      { provider: 'azure', model: 'gpt-4o' },
    );
    assert.equal(chat.body.reasoning_effort, undefined);
    assert.match(chat.warnings.join('\n'), /reasoning_effort="low" not sent: gpt-4o is not a reasoning model/);
  });

  it('an Azure error comes back typed with the provider message and status', async () => {
    llm.enqueue({ status: 429 });
    const call = azureCall('chat.completions');
    const target = targetForRecorded(call, configs);
    const err = await gateway.execute(gateway.build(call, target), target).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderRequestError, String(err));
    assert.equal(err.provider, 'azure');
    assert.equal(err.status, 429);
    assert.equal(err.retryable, true);
  });

  it('a missing key names AZURE_OPENAI_API_KEY and a missing endpoint names its variable and setting, with no request sent', async () => {
    const noKey = createLlmGateway({ azure: { ...configs.azure, apiKey: undefined } });
    const target = { provider: 'azure', model: 'prod-gpt4o-mini' };
    await assert.rejects(noKey.execute(noKey.build(azureCall('chat.completions'), target), target), (e: unknown) => {
      assert.ok(e instanceof MissingApiKeyError);
      assert.equal(e.message, 'No API key for azure: set AZURE_OPENAI_API_KEY.');
      return true;
    });
    const noEndpoint = createLlmGateway({ azure: { kind: 'azure', apiKey: 'k' } });
    await assert.rejects(
      noEndpoint.execute(noEndpoint.build(azureCall('chat.completions'), target), target),
      (e: unknown) => {
        assert.ok(e instanceof ProviderConfigError);
        assert.match(e.message, /AZURE_OPENAI_ENDPOINT or the traceReplay\.providers\.azure\.endpoint setting/);
        return true;
      },
    );
    assert.equal(llm.requests.length, 0);
  });

  it("the client never takes OPENAI_BASE_URL (OpenAI's) from the environment", async () => {
    const saved = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    try {
      llm.enqueue({ text: 'ok' });
      const call = azureCall('chat.completions', { tools: undefined });
      const target = targetForRecorded(call, configs);
      const ex = await gateway.execute(gateway.build(call, target), target);
      assert.equal(ex.output.text, 'ok');
      assert.equal(llm.requests[0].path, '/openai/deployments/prod-gpt4o-mini/chat/completions');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved;
    }
  });
});

describe('llm provider layer: Azure OpenAI configuration from the environment', () => {
  it('reads the key, endpoint and api-version the SDK reads (OPENAI_API_VERSION first)', () => {
    const c = providerConfigsFromEnv({
      AZURE_OPENAI_API_KEY: 'az-1',
      AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com/',
      OPENAI_API_VERSION: '2024-10-21',
      AZURE_OPENAI_API_VERSION: '2025-01-01-preview',
    });
    assert.deepEqual(c.azure, {
      kind: 'azure',
      apiKey: 'az-1',
      keySource: 'AZURE_OPENAI_API_KEY',
      baseURL: 'https://res.openai.azure.com/',
      apiVersion: '2024-10-21',
    });
    assert.equal(
      providerConfigsFromEnv({
        AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com',
        AZURE_OPENAI_API_VERSION: '2025-01-01-preview',
      }).azure.apiVersion,
      '2025-01-01-preview',
    );
  });

  it('is not listed when neither its key nor its endpoint is set, and defaults the api-version', () => {
    assert.equal(providerConfigsFromEnv({ OPENAI_API_KEY: 'sk-1' }).azure, undefined);
    assert.equal(azureProvider.configFromEnv({ AZURE_OPENAI_API_KEY: 'k' })?.apiVersion, undefined);
    const client = azureProvider.createClient(
      { kind: 'azure', apiKey: 'k', baseURL: 'https://res.openai.azure.com/' },
      fetch,
    );
    assert.equal(client.apiVersion, DEFAULT_AZURE_API_VERSION);
    assert.equal(client.baseURL, 'https://res.openai.azure.com/openai');
  });
});
