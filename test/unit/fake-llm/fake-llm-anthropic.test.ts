import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('fake LLM server: Anthropic SDK', () => {
  let server: FakeLlmServer;
  let client: Anthropic;

  before(async () => {
    server = await startFakeLlmServer();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.anthropicBaseUrl, maxRetries: 0 });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it('answers a message with the default text and records system, params and redacted key', async () => {
    const res = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      stop_sequences: ['END'],
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Name a colour.' }],
    });
    assert.deepEqual(res.content, [{ type: 'text', text: 'fake:claude-haiku-4-5: Name a colour.' }]);
    assert.equal(res.stop_reason, 'end_turn');
    assert.equal(res.usage.input_tokens, 5);
    const recorded = server.requests[0];
    assert.equal(recorded.api, 'anthropic.messages');
    assert.equal(recorded.body.system, 'Be brief.');
    assert.equal(recorded.body.max_tokens, 100);
    assert.deepEqual(recorded.body.stop_sequences, ['END']);
    assert.ok(recorded.headers['anthropic-version']);
    assert.ok(recorded.headers.authorization === 'REDACTED' || recorded.headers['x-api-key'] === 'REDACTED');
  });

  it('returns tool_use blocks and cache usage (JSON)', async () => {
    server.enqueue({
      text: 'Looking it up.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      usage: { input: 50, output: 15, cacheRead: 20, cacheWrite: 7 },
    });
    const res = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.equal(res.stop_reason, 'tool_use');
    assert.deepEqual(res.content[1], {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    assert.equal(res.usage.cache_read_input_tokens, 20);
    assert.equal(res.usage.cache_creation_input_tokens, 7);
    assert.equal(res.usage.output_tokens, 15);
  });

  it('streams text_delta and input_json_delta events that MessageStream reassembles', async () => {
    server.enqueue({
      text: 'Let me check that.',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }],
      usage: { input: 33, output: 21 },
    });
    const stream = client.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const eventTypes = new Set<string>();
    stream.on('streamEvent', (e) => eventTypes.add(e.type));
    const final = await stream.finalMessage();
    assert.deepEqual(
      [...eventTypes],
      [
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ],
    );
    assert.equal(final.content[0].type === 'text' && final.content[0].text, 'Let me check that.');
    const toolUse = final.content[1];
    assert.ok(toolUse.type === 'tool_use');
    assert.deepEqual(toolUse.input, { city: 'Lisbon' });
    assert.match(toolUse.id, /^toolu_/);
    assert.equal(final.stop_reason, 'tool_use');
    assert.equal(final.usage.input_tokens, 33);
    assert.equal(final.usage.output_tokens, 21);
  });

  it('counts tokens', async () => {
    const res = await client.messages.countTokens({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'one two three' }],
    });
    assert.equal(res.input_tokens, 3);
    assert.equal(server.requests[0].api, 'count_tokens');
  });

  it('surfaces an injected 529 / 429 as the SDK typed errors', async () => {
    server.enqueue([{ status: 429, retryAfter: 7 }, { status: 529 }]);
    const ask = () => client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.RateLimitError);
      assert.equal(err.headers?.get('retry-after'), '7');
      return true;
    });
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.status, 529);
      return true;
    });
  });

  it('rejects a request without a key with the authentication_error shape', async () => {
    const res = await fetch(`${server.anthropicBaseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [] }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(((await res.json()) as { error: unknown }).error, {
      type: 'authentication_error',
      message: 'invalid x-api-key',
    });
  });
});
