// The fake Bedrock endpoint through the real BedrockRuntimeClient: Converse JSON, ConverseStream
// (binary event stream), tool use, usage, SigV4 required, injected throttling.
import assert from 'node:assert/strict';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const weatherTool = {
  toolSpec: {
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
  },
};

describe('fake LLM server: Bedrock Converse (AWS SDK)', () => {
  let server: FakeLlmServer;
  let client: BedrockRuntimeClient;

  before(async () => {
    server = await startFakeLlmServer();
    // Everything the SDK would otherwise look up in the environment or ~/.aws is given here.
    client = new BedrockRuntimeClient({
      endpoint: server.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAFAKEFAKEFAKE', secretAccessKey: 'fake-secret', sessionToken: 'fake-session' },
      maxAttempts: 1,
      retryMode: 'standard',
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      userAgentAppId: 'trace-replay-test',
      authSchemePreference: ['sigv4'],
      disableClockSkewCorrection: false,
      requestHandler: new NodeHttpHandler(),
    });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());

  it('answers Converse with the default text; records the signed request, model id from the path', async () => {
    const res = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: 'Name a colour.' }] }],
        inferenceConfig: { maxTokens: 100, temperature: 0.5, stopSequences: ['END'] },
      }),
    );
    assert.deepEqual(res.output?.message?.content, [{ text: `fake:${MODEL}: Name a colour.` }]);
    assert.equal(res.output?.message?.role, 'assistant');
    assert.equal(res.stopReason, 'end_turn');
    assert.equal(res.usage?.inputTokens, 5);
    assert.ok((res.metrics?.latencyMs ?? 0) > 0);
    assert.match(res.$metadata.requestId ?? '', /^fake-bedrock-req-/);
    const recorded = server.requests[0];
    assert.equal(recorded.api, 'bedrock.converse');
    assert.equal(recorded.path, `/model/${encodeURIComponent(MODEL)}/converse`);
    assert.deepEqual(recorded.body, {
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Name a colour.' }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.5, stopSequences: ['END'] },
    });
    assert.equal(recorded.headers.authorization, 'REDACTED');
    assert.equal(recorded.headers['x-amz-security-token'], 'REDACTED');
    assert.ok(recorded.headers['x-amz-date']);
  });

  it('returns toolUse blocks, tool_use stop reason and cache usage (JSON)', async () => {
    server.enqueue({
      text: 'Looking it up.',
      toolCalls: [{ id: 'tooluse_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      usage: { input: 50, output: 15, cacheRead: 20, cacheWrite: 7 },
    });
    const res = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
        toolConfig: { tools: [weatherTool], toolChoice: { auto: {} } },
      }),
    );
    assert.equal(res.stopReason, 'tool_use');
    assert.deepEqual(res.output?.message?.content, [
      { text: 'Looking it up.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
    assert.deepEqual(res.usage, {
      inputTokens: 50,
      outputTokens: 15,
      totalTokens: 92,
      cacheReadInputTokens: 20,
      cacheWriteInputTokens: 7,
    });
    assert.deepEqual(server.requests[0].body.toolConfig, { tools: [weatherTool], toolChoice: { auto: {} } });
  });

  it('streams ConverseStream events the SDK decodes from the binary event stream', async () => {
    server.enqueue({
      text: 'Let me check that.',
      toolCalls: [{ id: 'tooluse_2', name: 'get_weather', arguments: { city: 'Lisbon' } }],
      usage: { input: 33, output: 21, cacheRead: 4 },
    });
    const res = await client.send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Weather?' }] }],
        toolConfig: { tools: [weatherTool] },
      }),
    );
    const events: ConverseStreamOutput[] = [];
    for await (const e of res.stream ?? []) events.push(e);
    const kinds = events.map((e) =>
      Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined),
    );
    assert.deepEqual(
      [...new Set(kinds)],
      ['messageStart', 'contentBlockDelta', 'contentBlockStop', 'contentBlockStart', 'messageStop', 'metadata'],
    );
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    assert.equal(text, 'Let me check that.');
    assert.ok(
      events.filter((e) => e.contentBlockDelta?.delta?.text !== undefined).length > 1,
      'text arrives in several deltas',
    );
    const start = events.find((e) => e.contentBlockStart !== undefined)?.contentBlockStart;
    assert.deepEqual(start, {
      contentBlockIndex: 1,
      start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather' } },
    });
    const input = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    assert.deepEqual(JSON.parse(input), { city: 'Lisbon' });
    assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, 'tool_use');
    const metadata = events.find((e) => e.metadata)?.metadata;
    assert.deepEqual(metadata?.usage, {
      inputTokens: 33,
      outputTokens: 21,
      totalTokens: 58,
      cacheReadInputTokens: 4,
      cacheWriteInputTokens: 0,
    });
    assert.ok((metadata?.metrics?.latencyMs ?? 0) > 0);
    assert.equal(server.requests[0].path, `/model/${encodeURIComponent(MODEL)}/converse-stream`);
  });

  it('ends a stream with a scripted exception frame the SDK raises as its typed exception', async () => {
    server.enqueue({ text: 'partial answer', streamException: 429 });
    const res = await client.send(
      new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
    );
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const e of res.stream ?? []) text += e.contentBlockDelta?.delta?.text ?? '';
      })(),
      (err: unknown) => {
        assert.ok(err instanceof ThrottlingException, `got ${String(err)}`);
        assert.equal(err.message, 'Too many requests, please wait before trying again.');
        return true;
      },
    );
    assert.equal(text, 'partial answer');
  });

  it('surfaces an injected 429 as ThrottlingException and a 503 as ServiceUnavailableException', async () => {
    server.enqueue([{ status: 429 }, { status: 503 }, { status: 500 }]);
    const ask = () =>
      client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof ThrottlingException);
      assert.equal(err.$metadata.httpStatusCode, 429);
      assert.equal(err.message, 'Too many requests, please wait before trying again.');
      return true;
    });
    await assert.rejects(ask(), (err: unknown) => {
      assert.equal((err as Error).name, 'ServiceUnavailableException');
      return true;
    });
    await assert.rejects(ask(), (err: unknown) => {
      assert.equal((err as Error).name, 'InternalServerException');
      return true;
    });
  });

  it('refuses conversations Converse refuses with a ValidationException, without using a scripted reply', async () => {
    server.enqueue({ text: 'kept for the valid call' });
    const toolUse = { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } };
    const toolResult = { toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'sunny' }] } };
    const cases: [Message[], boolean, RegExp][] = [
      [[{ role: 'assistant', content: [{ text: 'Hello.' }] }], true, /must start with a user message/],
      [
        [
          { role: 'user', content: [{ text: 'a' }] },
          { role: 'user', content: [{ text: 'b' }] },
        ],
        true,
        /must alternate/,
      ],
      [[{ role: 'user', content: [{ text: ' ' }] }], true, /is blank/],
      [
        [
          { role: 'user', content: [{ text: 'Go.' }] },
          { role: 'assistant', content: [toolUse] },
          { role: 'user', content: [toolResult] },
        ],
        false,
        /toolConfig field must be defined/,
      ],
      [
        [
          { role: 'user', content: [{ text: 'Go.' }] },
          { role: 'assistant', content: [toolUse] },
          { role: 'user', content: [{ text: 'no result' }] },
        ],
        true,
        /Expected toolResult blocks at messages.2.content for the following Ids: tooluse_1/,
      ],
      [[{ role: 'user', content: [toolResult] }], true, /does not follow a toolUse/],
    ];
    for (const [messages, withTools, expected] of cases) {
      await assert.rejects(
        client.send(
          new ConverseCommand({
            modelId: MODEL,
            messages,
            ...(withTools ? { toolConfig: { tools: [weatherTool] } } : {}),
          }),
        ),
        (err: unknown) => {
          assert.ok(err instanceof ValidationException, `got ${String(err)}`);
          assert.equal(err.$metadata.httpStatusCode, 400);
          assert.match(err.message, expected);
          return true;
        },
      );
    }
    const ok = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [
          { role: 'user', content: [{ text: 'Go.' }] },
          { role: 'assistant', content: [toolUse] },
          { role: 'user', content: [toolResult] },
        ],
        toolConfig: { tools: [weatherTool] },
      }),
    );
    assert.deepEqual(ok.output?.message?.content, [{ text: 'kept for the valid call' }]);
  });

  it('refuses an unsigned request with 403 and the AWS error shape', async () => {
    const res = await fetch(`${server.bedrockEndpoint}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('x-amzn-errortype') ?? '', /^MissingAuthenticationTokenException:/);
    assert.deepEqual(await res.json(), { message: 'Missing Authentication Token' });
  });
});
