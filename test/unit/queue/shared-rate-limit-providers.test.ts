// The shared rate limit (--rate-limit PROVIDER=N/UNIT) for the providers besides OpenAI: the slot is
// taken in the fetch the gateway hands each SDK (Anthropic and @google/genai take `fetch`, the Bedrock
// runtime client takes it as FetchHttpHandler's customFetch), so the limit must hold for their calls
// too. Real Redis (Debian's redis-server), the real SDKs, the fake LLM server speaking Anthropic
// Messages, Gemini generateContent and Bedrock Converse. Checked as the OpenAI test in
// test/e2e-node/redis-queue.test.ts checks it: no more than N arrivals within 900 ms at the server.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { LlmApi, LlmCall } from '../../../src/core/model/trace';
import { parseRedisUrl } from '../../../src/core/queue/redis-connection';
import { parseRateLimit, sharedRateLimiter } from '../../../src/core/queue/shared-rate-limit';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { startRedis, type RedisServer } from '../../support/redis/redis-server';
import { BEDROCK_MODEL, fakeBedrockConfig } from '../llm/bedrock-support';
import { fakeGeminiConfig, GEMINI_MODEL } from '../llm/gemini-support';

const CASES: { provider: string; api: LlmApi; model: string }[] = [
  { provider: 'anthropic', api: 'anthropic.messages', model: 'claude-haiku-4-5' },
  { provider: 'gemini', api: 'gemini.generate_content', model: GEMINI_MODEL },
  { provider: 'bedrock', api: 'bedrock.converse', model: BEDROCK_MODEL },
];

function call(provider: string, api: LlmApi, model: string): LlmCall {
  return {
    provider,
    api,
    requestModel: model,
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Say hello.' }] }],
    parameters: { maxTokens: 50 },
    output: { text: 'Hello.', toolCalls: [] },
  };
}

describe('shared rate limit on Anthropic, Gemini and Bedrock (real Redis, real SDKs)', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let client: Redis;
  let fake: FakeLlmServer;
  let n = 0;

  before(async () => {
    redis = await startRedis();
    client = new Redis(parseRedisUrl(redis.url).options);
  });
  after(async () => {
    client.disconnect();
    await redis.close();
  });
  beforeEach(async () => (fake = await startFakeLlmServer()));
  afterEach(async () => fake.close());

  function configs(): ProviderConfigs {
    return {
      anthropic: { kind: 'anthropic', baseURL: fake.anthropicBaseUrl, apiKey: 'sk-ant-test', maxRetries: 0 },
      gemini: fakeGeminiConfig(fake.geminiBaseUrl),
      bedrock: fakeBedrockConfig(fake.bedrockEndpoint),
    };
  }

  for (const { provider, api, model } of CASES) {
    it(`${provider}=3/s: six calls at once reach the server at most 3 within any 900 ms, each with a slot`, async () => {
      const queueName = `limits-${process.pid}-${++n}`;
      // What passes the limiter to the network: every request of the SDK must (its fetch is the limiter's).
      let passed = 0;
      const counted: typeof fetch = (input, init) => {
        passed++;
        return fetch(input, init);
      };
      const limiter = sharedRateLimiter(client, queueName, [parseRateLimit(`${provider}=3/s`)], counted);
      const gateway = limiter.decorateGateway(createLlmGateway(configs(), { fetch: limiter.fetch }));
      const arrivals: number[] = [];
      fake.setResponder(() => {
        arrivals.push(Date.now());
        return { text: 'ok' };
      });
      const target = { provider, model, api };
      const request = gateway.build(call(provider, api, model), target);
      const executions = await Promise.all(Array.from({ length: 6 }, () => gateway.execute(request, target)));
      assert.deepEqual(
        executions.map((e) => e.output.text),
        executions.map(() => 'ok'),
      );
      assert.equal(arrivals.length, 6);
      assert.ok(
        fake.requests.every((r) => r.api === fake.requests[0].api),
        'all on the provider API',
      );
      assert.equal(passed, 6, "every request went through the limiter's fetch");
      // Slots are taken on Redis's clock and seen here a few ms later: the windows checked are 900 ms
      // (without the limit all six arrive at once).
      arrivals.sort((x, y) => x - y);
      for (const start of arrivals) {
        const inWindow = arrivals.filter((t) => t >= start && t < start + 900).length;
        assert.ok(inWindow <= 3, `${inWindow} requests within 900 ms of ${start}: ${arrivals.join(', ')}`);
      }
    });
  }
});
