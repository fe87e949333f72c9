// AWS Bedrock's Converse API through the official @aws-sdk/client-bedrock-runtime: Converse or
// ConverseStream by the request, SigV4 with the standard AWS credential chain (env, profile/SSO,
// web identity, instance role) or a Bedrock API key (bearer), the region from the config or the
// environment, BEDROCK_BASE_URL as an endpoint override (a VPC endpoint, a proxy, the fake).
// HTTP goes through the SDK's FetchHttpHandler with the gateway's counting fetch (HTTP/1.1; the
// SDK's default HTTP/2 handler is only needed for bidirectional streams, which are not used).
import type {
  BedrockRuntimeClient,
  BedrockRuntimeClientConfig,
  ConverseCommandInput,
  ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { bedrockSdk, fetchHttpHandler } from './bedrock-sdk';
import type { ModelParameters } from '../../../model/trace';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from '../../client-defaults';
import { firstEnv, nonEmpty } from '../../config-values';
import type { BuiltRequest, ProviderConfig } from '../../llm-types';
import type { ProviderAdapter } from '../../provider-adapter';
import type { Json } from '../../request-common';
import { AWS_CREDENTIAL_CHAIN, mapBedrockError, MissingAwsRegionError } from './bedrock-errors';
import { buildBedrockConverseBody } from './bedrock-request';
import { readConverseOutput, readConverseStream } from './bedrock-response';

const REGION_ENV_VARS = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/** A Bedrock connection. `awsCredentials` are explicit static credentials (tests, or a front end
 *  that resolved them itself); without them, and without an apiKey (a Bedrock API key, sent as a
 *  bearer token), the SDK's default credential chain is used. */
export interface BedrockProviderConfig extends ProviderConfig {
  awsCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The Bedrock Runtime endpoint the SDK uses for a region (named in connection errors). */
export function bedrockEndpoint(config: ProviderConfig): string | undefined {
  if (config.baseURL !== undefined) return config.baseURL;
  return config.region !== undefined ? `https://bedrock-runtime.${config.region}.amazonaws.com` : undefined;
}

/** The SDK input for a built body: the same fields, image bytes from base64 (the SDK takes a
 *  Uint8Array and base64-encodes it on the wire). */
export function converseInput(input: Record<string, unknown>): ConverseCommandInput {
  const messages = (input.messages as Json[] | undefined)?.map((m) => ({
    ...m,
    content: (m.content as Json[]).map((block) => {
      const image = block.image as { format: string; source: { bytes?: unknown } } | undefined;
      if (typeof image?.source.bytes !== 'string') return block;
      return { image: { ...image, source: { bytes: new Uint8Array(Buffer.from(image.source.bytes, 'base64')) } } };
    }),
  }));
  return { ...input, ...(messages !== undefined ? { messages } : {}) } as unknown as ConverseCommandInput;
}

export const bedrockProvider: ProviderAdapter<BedrockRuntimeClient> = {
  id: 'bedrock',
  displayName: 'AWS Bedrock',
  apis: ['bedrock.converse'],
  recordedProviders: ['aws.bedrock'],
  modelPrefixes: [
    /^(?:[a-z]{2,6}(?:-[a-z]+)?\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|writer|qwen)\./,
    /^arn:aws[a-z-]*:bedrock:/,
  ],
  credentials: 'aws',
  keyEnvVars: [],
  baseUrlEnvVar: 'BEDROCK_BASE_URL',
  secretId: 'bedrock',
  priceProviderId: 'aws',
  parameters: new Set<keyof ModelParameters>(['temperature', 'maxTokens', 'topP', 'topK', 'stop', 'reasoningEffort']),
  suggestedModels: [
    'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    'us.amazon.nova-lite-v1:0',
    'us.meta.llama3-3-70b-instruct-v1:0',
  ],

  configFromEnv(env) {
    const region = firstEnv(env, REGION_ENV_VARS);
    if (region === undefined) return undefined;
    const config: ProviderConfig = { kind: 'bedrock', region: region.value, keySource: AWS_CREDENTIAL_CHAIN };
    const baseURL = nonEmpty(env.BEDROCK_BASE_URL);
    if (baseURL !== undefined) config.baseURL = baseURL;
    return config;
  },
  buildBody: buildBedrockConverseBody,
  createClient(config, fetch) {
    const c = config as BedrockProviderConfig;
    const options: BedrockRuntimeClientConfig = {
      region: c.region,
      endpoint: c.baseURL,
      maxAttempts: (c.maxRetries ?? DEFAULT_MAX_RETRIES) + 1,
      retryMode: 'standard',
      requestHandler: new (fetchHttpHandler().FetchHttpHandler)({
        customFetch: fetch,
        requestTimeout: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      }),
      userAgentAppId: 'trace-replay',
    };
    // FIPS / dual-stack endpoints do not apply to an explicit endpoint (the SDK refuses the mix).
    if (c.baseURL !== undefined) {
      options.useFipsEndpoint = false;
      options.useDualstackEndpoint = false;
    }
    // Explicit credentials or a key: the auth settings the SDK would otherwise look up in the
    // environment and ~/.aws are given too, so nothing is read from this machine's AWS setup.
    if (c.awsCredentials !== undefined) {
      options.credentials = { ...c.awsCredentials };
      options.authSchemePreference = ['sigv4'];
      options.disableClockSkewCorrection = false;
    } else if (c.apiKey !== undefined && c.apiKey !== '') {
      options.token = { token: c.apiKey };
      options.authSchemePreference = ['httpBearerAuth'];
      options.disableClockSkewCorrection = false;
    }
    const client = new (bedrockSdk().BedrockRuntimeClient)(options);
    const headers = c.headers;
    if (headers !== undefined && Object.keys(headers).length > 0) {
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { headers?: Record<string, string> };
          if (request.headers !== undefined) Object.assign(request.headers, headers);
          return next(args);
        },
        { step: 'build', name: 'traceReplayExtraHeaders' },
      );
    }
    return client;
  },
  async send(client, request: BuiltRequest, ctx) {
    try {
      await client.config.region();
    } catch (err) {
      throw new MissingAwsRegionError(request.provider, err);
    }
    const input = converseInput(request.body);
    const modelId = input.modelId ?? '';
    const options = { abortSignal: ctx.signal };
    if (request.stream) {
      const out = await client.send(
        new (bedrockSdk().ConverseStreamCommand)(input as ConverseStreamCommandInput),
        options,
      );
      return readConverseStream(out.stream, modelId, out.$metadata.requestId, ctx.now);
    }
    return readConverseOutput(await client.send(new (bedrockSdk().ConverseCommand)(input), options), modelId);
  },
  mapError: (err, provider, retries, signal, config) =>
    mapBedrockError(err, provider, retries, signal, bedrockEndpoint(config), config.keySource),
};
