// The Bedrock adapter's description and connection: ids and model names it claims, the config it
// reads from the environment (only with a region), the SDK client it makes from a config.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { AWS_CREDENTIAL_CHAIN } from '../../../src/core/llm/providers/bedrock/bedrock-errors';
import { bedrockEndpoint, bedrockProvider } from '../../../src/core/llm/providers/bedrock/bedrock-provider';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { buildBedrock, fakeBedrockConfig, userCall } from './bedrock-support';

describe('llm provider layer: the Bedrock adapter', () => {
  it('describes itself: ids, API, recorded provider, AWS credentials, price id', () => {
    assert.equal(bedrockProvider.id, 'bedrock');
    assert.equal(bedrockProvider.displayName, 'AWS Bedrock');
    assert.deepEqual(bedrockProvider.apis, ['bedrock.converse']);
    assert.deepEqual(bedrockProvider.recordedProviders, ['aws.bedrock']);
    assert.equal(bedrockProvider.credentials, 'aws');
    assert.deepEqual(bedrockProvider.keyEnvVars, []);
    assert.equal(bedrockProvider.baseUrlEnvVar, 'BEDROCK_BASE_URL');
    assert.equal(bedrockProvider.priceProviderId, 'aws');
    assert.equal(bedrockProvider.secretId, 'bedrock');
  });

  it("claims Bedrock model ids, inference profiles and ARNs, not other providers' names", () => {
    const claims = (m: string): boolean => bedrockProvider.modelPrefixes.some((re) => re.test(m));
    for (const m of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'eu.amazon.nova-pro-v1:0',
      'apac.meta.llama3-2-90b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
      'cohere.command-r-plus-v1:0',
      'ai21.jamba-1-5-large-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
    ]) {
      assert.ok(claims(m), m);
    }
    for (const m of ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash', 'llama3.1:8b', 'o3-mini'])
      assert.ok(!claims(m), m);
  });

  it('configFromEnv: only with a region (AWS_REGION before AWS_DEFAULT_REGION); BEDROCK_BASE_URL overrides the endpoint', () => {
    assert.equal(bedrockProvider.configFromEnv({}), undefined);
    assert.equal(bedrockProvider.configFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }), undefined);
    assert.deepEqual(bedrockProvider.configFromEnv({ AWS_DEFAULT_REGION: 'eu-west-1' }), {
      kind: 'bedrock',
      region: 'eu-west-1',
      keySource: AWS_CREDENTIAL_CHAIN,
    });
    assert.deepEqual(
      bedrockProvider.configFromEnv({
        AWS_REGION: 'us-west-2',
        AWS_DEFAULT_REGION: 'eu-west-1',
        BEDROCK_BASE_URL: ' http://127.0.0.1:9 ',
      }),
      {
        kind: 'bedrock',
        region: 'us-west-2',
        keySource: AWS_CREDENTIAL_CHAIN,
        baseURL: 'http://127.0.0.1:9',
      },
    );
  });

  it('the endpoint named in messages: the override, else the regional one', () => {
    assert.equal(
      bedrockEndpoint({ kind: 'bedrock', region: 'eu-central-1' }),
      'https://bedrock-runtime.eu-central-1.amazonaws.com',
    );
    assert.equal(
      bedrockEndpoint({ kind: 'bedrock', region: 'eu-central-1', baseURL: 'http://proxy:8080' }),
      'http://proxy:8080',
    );
  });

  describe('createClient', () => {
    let llm: FakeLlmServer;
    before(async () => {
      llm = await startFakeLlmServer();
    });
    after(async () => {
      await llm.close();
    });

    it('takes region, endpoint and retries from the config', async () => {
      const client = bedrockProvider.createClient(
        fakeBedrockConfig(llm.bedrockEndpoint, { region: 'eu-west-3', maxRetries: 4 }),
        fetch,
      );
      try {
        assert.equal(await client.config.region(), 'eu-west-3');
        assert.equal(await client.config.maxAttempts(), 5);
        const endpoint = await client.config.endpoint?.();
        assert.equal(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`, llm.bedrockEndpoint);
      } finally {
        client.destroy();
      }
    });

    it("sends the config's extra headers with every request", async () => {
      llm.reset();
      const client = bedrockProvider.createClient(
        fakeBedrockConfig(llm.bedrockEndpoint, { headers: { 'x-team': 'evals' } }),
        fetch,
      );
      try {
        await bedrockProvider.send(client, buildBedrock(userCall('Hi.')), { now: () => performance.now() });
      } finally {
        client.destroy();
      }
      assert.equal(llm.requests[0].headers['x-team'], 'evals');
    });
  });
});
