// Time to first token is taken at the first content delta, not at the response headers or the
// stream's opening events. The events are the real SDKs' parsed stream items (from the fake LLM
// server); replaying them through a generator lets the clock say which event was being read.
import assert from 'node:assert/strict';
import { Anthropic } from '@anthropic-ai/sdk';
import { OpenAI } from 'openai';
import { readAnthropicStream } from '../../../src/core/llm/providers/anthropic/anthropic-messages-response';
import { readChatStream } from '../../../src/core/llm/providers/openai/openai-chat-response';
import { readResponsesStream } from '../../../src/core/llm/providers/openai/openai-responses-response';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

/** Yields the events with the clock set to each event's index while the reader handles it. */
function replay<T>(events: T[], clock: { t: number }): AsyncIterable<T> {
  return (async function* () {
    for (const [i, e] of events.entries()) {
      clock.t = i;
      yield e;
    }
  })();
}

describe('llm provider layer: stream readers', () => {
  let llm: FakeLlmServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    llm = await startFakeLlmServer();
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: llm.openaiBaseUrl, maxRetries: 0 });
    anthropic = new Anthropic({
      apiKey: 'sk-ant-test',
      baseURL: llm.anthropicBaseUrl,
      maxRetries: 0,
      openTelemetry: false,
    });
  });
  after(async () => {
    await llm.close();
  });

  it('chat.completions: the role-only opening chunk is not the first token', async () => {
    llm.enqueue({ text: 'Owls can rotate their heads.' });
    const events = await collect(
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const first = events.findIndex((e) => (e.choices[0]?.delta.content ?? '') !== '');
    assert.ok(first > 0, 'the stream opens with a role-only chunk');
    const clock = { t: -1 };
    const read = await readChatStream(replay(events, clock), () => clock.t);
    assert.equal(read.firstContentAt, first);
    assert.equal(read.output.text, 'Owls can rotate their heads.');
    assert.equal(read.usage?.outputTokens !== undefined, true);
  });

  it('responses: created / in_progress / item and part openings are not the first token', async () => {
    llm.enqueue({ text: 'Leaves fall.' });
    const events = await collect(
      await openai.responses.create({ model: 'gpt-4.1-mini', input: 'haiku', stream: true }),
    );
    const first = events.findIndex((e) => e.type === 'response.output_text.delta');
    assert.ok(first >= 3);
    const clock = { t: -1 };
    const read = await readResponsesStream(replay(events, clock), () => clock.t);
    assert.equal(read.firstContentAt, first);
    assert.equal(read.output.text, 'Leaves fall.');
  });

  it('anthropic.messages: message_start and content_block_start(text) are not the first token', async () => {
    llm.enqueue({ text: 'Owls are quiet flyers.' });
    const events = await collect(
      await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    );
    const first = events.findIndex((e) => e.type === 'content_block_delta');
    assert.ok(first >= 2);
    const clock = { t: -1 };
    const read = await readAnthropicStream(replay(events, clock), () => clock.t);
    assert.equal(read.firstContentAt, first);
    assert.equal(read.output.text, 'Owls are quiet flyers.');
    assert.equal(read.usage?.inputIncludesCache, false);
  });

  it('a streamed tool call counts as content from its first event', async () => {
    llm.enqueue({ toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const events = await collect(
      await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    );
    const first = events.findIndex((e) => e.type === 'content_block_start');
    const clock = { t: -1 };
    const read = await readAnthropicStream(replay(events, clock), () => clock.t);
    assert.equal(read.firstContentAt, first);
    assert.deepEqual(read.output.toolCalls, [
      { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } },
    ]);
    assert.equal(read.output.finishReason, 'tool_call');
  });
});
