// The Bedrock adapter end to end: built request -> the real BedrockRuntimeClient -> the fake Bedrock
// endpoint -> the neutral result. The body the fake receives is the built one; errors are typed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MissingApiKeyError, ProviderRequestError, RequestAbortedError } from '../../../src/core/llm/llm-errors';
import type { BuiltRequest } from '../../../src/core/llm/llm-types';
import { MissingAwsCredentialsError } from '../../../src/core/llm/providers/bedrock/bedrock-errors';
import { bedrockProvider, type BedrockProviderConfig } from '../../../src/core/llm/providers/bedrock/bedrock-provider';
import type { ReadResult } from '../../../src/core/llm/response-common';
import type { LlmCall } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { BEDROCK_MODEL, buildBedrock, fakeBedrockConfig, userCall } from './bedrock-support';

const weatherCall = (extra: Partial<LlmCall> = {}): LlmCall =>
  userCall('Weather in Paris?', {
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    ],
    tools: [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ],
    parameters: { maxTokens: 50, temperature: 0.3, stop: ['END'] },
    ...extra,
  });

/** The built body as the wire carries it: all but modelId (it is in the path). */
function wireBody(request: BuiltRequest): Record<string, unknown> {
  const { modelId: _m, ...rest } = request.body;
  return rest;
}

describe('llm provider layer: Bedrock Converse through the AWS SDK', () => {
  let llm: FakeLlmServer;
  let attempts: number;
  const countingFetch: typeof fetch = (input, init) => {
    attempts++;
    return fetch(input, init);
  };

  async function run(
    request: BuiltRequest,
    config: BedrockProviderConfig = fakeBedrockConfig(llm.bedrockEndpoint),
    signal?: AbortSignal,
  ): Promise<ReadResult> {
    const client = bedrockProvider.createClient(config, countingFetch);
    try {
      return await bedrockProvider.send(client, request, { signal, now: () => performance.now() });
    } catch (err) {
      throw bedrockProvider.mapError(err, 'bedrock', Math.max(0, attempts - 1), signal, config);
    } finally {
      client.destroy();
    }
  }

  before(async () => {
    llm = await startFakeLlmServer();
  });
  beforeEach(() => {
    llm.reset();
    attempts = 0;
  });
  after(async () => {
    await llm.close();
  });

  for (const streamed of [false, true]) {
    it(`${streamed ? 'ConverseStream' : 'Converse'}: the fake receives the built body; text, tool call, finish, usage, model, id are read`, async () => {
      llm.enqueue({
        text: 'Checking.',
        toolCalls: [{ id: 'tooluse_x1', name: 'get_weather', arguments: { city: 'Paris' } }],
        usage: { input: 30, output: 7, cacheRead: 5, cacheWrite: 2 },
      });
      const request = buildBedrock(weatherCall({ streamed }));
      assert.equal(request.stream, streamed);
      const read = await run(request);
      const recorded = llm.requests[0];
      assert.equal(
        recorded.path,
        `/model/${encodeURIComponent(BEDROCK_MODEL)}/${streamed ? 'converse-stream' : 'converse'}`,
      );
      assert.deepEqual(recorded.body, wireBody(request));
      assert.match(recorded.headers.authorization, /REDACTED/);
      assert.equal(read.output.text, 'Checking.');
      assert.deepEqual(read.output.toolCalls, [
        { type: 'tool_call', id: 'tooluse_x1', name: 'get_weather', arguments: { city: 'Paris' } },
      ]);
      assert.equal(read.output.finishReason, 'tool_call');
      assert.deepEqual(read.usage, {
        inputIncludesCache: false,
        inputTokens: 30,
        outputTokens: 7,
        totalTokens: 44,
        cacheReadTokens: 5,
        cacheWriteTokens: 2,
      });
      assert.equal(read.responseModel, BEDROCK_MODEL);
      assert.match(read.responseId ?? '', /^fake-bedrock-req-\d+$/);
      assert.deepEqual(read.warnings, []);
      if (streamed) assert.ok(read.firstContentAt !== undefined, 'first content time of the stream');
      else assert.equal(read.firstContentAt, undefined);
      assert.equal(attempts, 1, 'the SDK sent through the given fetch');
    });
  }

  it('a conversation with tool calls, merged tool results and an image arrives exactly as built', async () => {
    const png = Buffer.from('fake png bytes').toString('base64');
    const request = buildBedrock(
      weatherCall({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Weather in Paris and Rome?' },
              { type: 'image', data: png, mediaType: 'image/png' },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
              { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_1', content: 'sunny' }] },
          { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_2', content: 'rain', isError: true }] },
        ],
        toolChoice: 'required',
      }),
    );
    await run(request);
    const body = llm.requests[0].body;
    assert.deepEqual(body.messages[0].content[1], { image: { format: 'png', source: { bytes: png } } });
    assert.equal(body.messages.length, 3, 'the two tool results travel in one user message');
    assert.deepEqual(body.toolConfig.toolChoice, { any: {} });
    assert.deepEqual(body, wireBody(request));
  });

  it('streamed text arrives in several deltas and is joined; stop reasons are normalized', async () => {
    llm.enqueue([
      { text: 'one two three four', finishReason: 'max_tokens' },
      { text: 'done', finishReason: 'stop_sequence' },
    ]);
    const a = await run(buildBedrock(userCall('Count.', { streamed: true })));
    const b = await run(buildBedrock(userCall('Stop.')));
    assert.equal(a.output.text, 'one two three four');
    assert.deepEqual([a.output.finishReason, b.output.finishReason], ['length', 'stop']);
  });

  it('a Bedrock API key (apiKey) is sent as a bearer token instead of SigV4', async () => {
    await run(
      buildBedrock(userCall('Hi.')),
      fakeBedrockConfig(llm.bedrockEndpoint, { awsCredentials: undefined, apiKey: 'bedrock-api-key-fake' }),
    );
    assert.equal(llm.requests[0].headers.authorization, 'REDACTED');
    assert.equal(llm.requests[0].headers['x-amz-date'], undefined, 'no SigV4 signature');
  });

  it('a 429 fails as a retryable ProviderRequestError with the ThrottlingException message', async () => {
    llm.enqueue({ status: 429 });
    const err = await run(buildBedrock(userCall('x'))).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderRequestError, `got ${String(err)}`);
    assert.equal(err.status, 429);
    assert.equal(err.retryable, true);
    assert.equal(err.errorType, 'ThrottlingException');
    assert.equal(err.providerMessage, 'Too many requests, please wait before trying again.');
    assert.match(err.requestId ?? '', /^fake-bedrock-req-/);
    assert.equal(err.retries, 0);
  });

  it('an exception inside a stream fails typed: throttling retryable, validation not', async () => {
    llm.enqueue([
      { text: 'partial', streamException: 429 },
      { text: 'partial', streamException: 400 },
    ]);
    const throttled = await run(buildBedrock(userCall('x', { streamed: true }))).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(throttled instanceof ProviderRequestError, `got ${String(throttled)}`);
    assert.equal(throttled.errorType, 'ThrottlingException');
    assert.equal(throttled.status, undefined, 'the stream had answered 200');
    assert.equal(throttled.retryable, true);
    const invalid = await run(buildBedrock(userCall('x', { streamed: true }))).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(invalid instanceof ProviderRequestError);
    assert.equal(invalid.errorType, 'ValidationException');
    assert.equal(invalid.retryable, false);
  });

  it('a 503 is retried by the SDK through the given fetch; the retry shows in the count', async () => {
    llm.enqueue([{ status: 503 }, { text: 'after the outage' }]);
    const read = await run(buildBedrock(userCall('x')), fakeBedrockConfig(llm.bedrockEndpoint, { maxRetries: 1 }));
    assert.equal(read.output.text, 'after the outage');
    assert.equal(attempts, 2);
    assert.deepEqual(llm.requests[1].body, llm.requests[0].body);
  });

  it('a 400 ValidationException is not retryable', async () => {
    llm.enqueue({ status: 400 });
    const err = await run(buildBedrock(userCall('x')), fakeBedrockConfig(llm.bedrockEndpoint, { maxRetries: 2 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderRequestError);
    assert.equal(err.retryable, false);
    assert.equal(err.errorType, 'ValidationException');
    assert.equal(llm.requests.length, 1);
  });

  it('an endpoint that cannot be reached fails with a message naming it', async () => {
    const closed = await startFakeLlmServer();
    await closed.close();
    const err = await run(buildBedrock(userCall('x')), fakeBedrockConfig(closed.bedrockEndpoint)).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderRequestError, `got ${String(err)}`);
    assert.equal(err.retryable, true);
    assert.ok(err.message.includes(`could not reach ${closed.bedrockEndpoint}`), err.message);
  });

  it('aborting the signal cancels the in-flight call with RequestAbortedError', async () => {
    let release!: () => void;
    llm.enqueue({ hold: new Promise<void>((r) => (release = r)) });
    const controller = new AbortController();
    const pending = run(buildBedrock(userCall('x', { streamed: true })), undefined, controller.signal);
    await new Promise<void>((resolve) => {
      const check = (): void => (llm.inFlight > 0 ? resolve() : void setImmediate(check));
      check();
    });
    controller.abort();
    await assert.rejects(pending, RequestAbortedError);
    release();
  });

  describe('without credentials', () => {
    const saved: Record<string, string | undefined> = {};
    const CLEARED = [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_DEFAULT_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_ROLE_ARN',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_BEARER_TOKEN_BEDROCK',
      'AWS_AUTH_SCHEME_PREFERENCE',
    ];
    let dir: string;

    before(async () => {
      // The SDK's default chain, kept away from this machine: no credential env vars, config files
      // that do not exist, no instance metadata service.
      dir = await mkdtemp(path.join(tmpdir(), 'trace-replay-aws-'));
      const set: Record<string, string> = {
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
        AWS_CONFIG_FILE: path.join(dir, 'config'),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      for (const name of [...CLEARED, ...Object.keys(set)]) saved[name] = process.env[name];
      for (const name of CLEARED) delete process.env[name];
      Object.assign(process.env, set);
    });
    after(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    });

    it('fails before any request with a MissingApiKeyError naming the AWS credential chain', async () => {
      const config = fakeBedrockConfig(llm.bedrockEndpoint, { awsCredentials: undefined });
      const err = await run(buildBedrock(userCall('x')), config).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof MissingAwsCredentialsError, `got ${String(err)}`);
      assert.ok(err instanceof MissingApiKeyError, 'fails the job at once, like a missing key');
      assert.match(err.message, /^No AWS credentials for bedrock/);
      assert.match(err.message, /AWS credential chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      assert.match(err.message, /AWS_PROFILE/);
      assert.equal(llm.requests.length, 0);
    });
  });
});
