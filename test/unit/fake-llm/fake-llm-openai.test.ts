import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('fake LLM server: OpenAI SDK', () => {
  let server: FakeLlmServer;
  let client: OpenAI;

  before(async () => {
    server = await startFakeLlmServer();
    client = new OpenAI({ apiKey: 'sk-test-secret', baseURL: server.openaiBaseUrl, maxRetries: 0 });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it('answers a chat completion with the deterministic default and records the request', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    assert.equal(res.choices[0].message.content, 'fake:gpt-4o-mini: What is the capital of France?');
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.model, 'gpt-4o-mini');
    assert.match(res.id, /^chatcmpl-/);
    assert.equal(res.usage?.prompt_tokens, 8);
    assert.equal(res.usage?.completion_tokens, 7);
    assert.equal(server.requests.length, 1);
    const recorded = server.requests[0];
    assert.equal(recorded.api, 'chat.completions');
    assert.equal(recorded.path, '/v1/chat/completions');
    assert.equal(recorded.headers.authorization, 'REDACTED');
    assert.equal(recorded.body.temperature, 0.2);
    assert.equal(recorded.body.max_tokens, 50);
    assert.equal(recorded.body.messages[1].content, 'What is the capital of France?');
  });

  it('returns scripted tool calls and usage details in a JSON chat completion', async () => {
    server.enqueue({
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      usage: { input: 100, output: 20, cacheRead: 64, reasoning: 5 },
      model: 'gpt-4o-mini-2024-07-18',
    });
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const msg = res.choices[0].message;
    assert.equal(msg.content, null);
    assert.deepEqual(msg.tool_calls, [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(res.model, 'gpt-4o-mini-2024-07-18');
    assert.equal(res.usage?.prompt_tokens, 100);
    assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 64);
    assert.equal(res.usage?.completion_tokens_details?.reasoning_tokens, 5);
    assert.equal(res.usage?.total_tokens, 120);
    assert.equal(server.requests[0].body.tools[0].function.name, 'get_weather');
  });

  it('streams text and tool-call argument deltas that the SDK reassembles, with a final usage chunk', async () => {
    server.enqueue({
      text: 'Checking the weather now.',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'San Francisco' } }],
      usage: { input: 30, output: 12 },
    });
    const stream = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      stream_options: { include_usage: true },
    });
    let deltas = 0;
    stream.on('content', () => deltas++);
    const final = await stream.finalChatCompletion();
    assert.ok(deltas > 1, 'text arrives in several deltas');
    const msg = final.choices[0].message;
    assert.equal(msg.content, 'Checking the weather now.');
    assert.equal(msg.tool_calls?.length, 1);
    const call = msg.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'San Francisco' });
    assert.match(call.id, /^call_/);
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.equal(final.usage?.prompt_tokens, 30);
    assert.equal(final.usage?.completion_tokens, 12);
    assert.equal(server.requests[0].body.stream, true);
  });

  it('omits the usage chunk when include_usage is not requested', async () => {
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'hi there' }],
    })) {
      chunks.push(chunk);
    }
    assert.ok(chunks.every((c) => c.usage === undefined || c.usage === null));
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'fake:m: hi there');
  });

  it('answers the Responses API with a message and a function call (JSON)', async () => {
    server.enqueue({
      text: 'Let me look.',
      toolCalls: [{ id: 'call_r1', name: 'get_weather', arguments: { city: 'Rome' } }],
      usage: { input: 40, output: 9, cacheRead: 10, reasoning: 2 },
    });
    const res = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: 'Weather in Rome?',
    });
    assert.equal(res.output_text, 'Let me look.');
    const call = res.output.find((o) => o.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.equal(call.call_id, 'call_r1');
    assert.equal(call.arguments, '{"city":"Rome"}');
    assert.equal(res.usage?.input_tokens, 40);
    assert.equal(res.usage?.input_tokens_details.cached_tokens, 10);
    assert.equal(res.usage?.output_tokens_details.reasoning_tokens, 2);
    assert.equal(server.requests[0].api, 'responses');
    assert.equal(server.requests[0].body.instructions, 'Be brief.');
  });

  it('streams the Responses API typed events and the SDK accumulates the final response', async () => {
    server.enqueue({
      text: 'Sunny and warm today.',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      usage: { input: 11, output: 7 },
    });
    const stream = client.responses.stream({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    const types = new Set<string>();
    stream.on('event', (e) => types.add(e.type));
    const final = await stream.finalResponse();
    for (const t of [
      'response.created',
      'response.output_item.added',
      'response.output_text.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]) {
      assert.ok(types.has(t), t);
    }
    const message = final.output.find((o) => o.type === 'message');
    assert.ok(message?.type === 'message');
    assert.deepEqual(
      message.content.map((c) => (c.type === 'output_text' ? c.text : '')),
      ['Sunny and warm today.'],
    );
    const call = final.output.find((o) => o.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Oslo' });
    assert.equal(final.usage?.output_tokens, 7);
  });

  it('injects a 429 with retry-after that the SDK surfaces as RateLimitError', async () => {
    server.enqueue({ status: 429, retryAfter: 3 });
    await assert.rejects(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.RateLimitError);
        assert.equal(err.status, 429);
        assert.equal(err.headers?.get('retry-after'), '3');
        assert.equal(err.code, 'rate_limit_exceeded');
        return true;
      },
    );
  });

  it('rejects a request without an API key with the real 401 shape', async () => {
    const res = await fetch(`${server.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { code: string; type: string } };
    assert.equal(body.error.code, 'invalid_api_key');
    assert.equal(body.error.type, 'invalid_request_error');
  });

  it('holds a delayed reply open and counts concurrent requests', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    let bothArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (bothArrived = resolve));
    // Both replies are held until both requests arrived: concurrency is observed, not timed.
    let seen = 0;
    server.setResponder(() => {
      if (++seen === 2) bothArrived();
      return { hold };
    });
    const call = async (): Promise<string | null> => {
      const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] });
      return res.choices[0].message.content;
    };
    const both = Promise.all([call(), call()]);
    await arrived;
    assert.equal(server.inFlight, 2);
    release();
    assert.deepEqual(await both, ['fake:m: q', 'fake:m: q']);
    assert.equal(server.maxConcurrent, 2);
    assert.equal(server.inFlight, 0);
  });
});
