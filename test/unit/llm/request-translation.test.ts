// Overrides and cross-provider translation: what each target receives on the wire (real SDKs,
// fake LLM server), and that everything not carried over exactly is listed as a warning.
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { LlmGateway, ModelTarget } from '../../../src/core/llm/llm-types';
import { mergeParameterOverrides } from '../../../src/core/llm/parameter-overrides';
import { DEFAULT_ANTHROPIC_MAX_TOKENS } from '../../../src/core/llm/providers/anthropic/anthropic-messages-request';
import type { LlmCall, Message } from '../../../src/core/model/trace';
import { looseMessages } from '../../../src/core/normalize/message-parts';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { fakeConfigs } from './recorded-world';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const OPENAI: ModelTarget = { provider: 'openai', model: 'gpt-4o-mini' };
const RESPONSES: ModelTarget = { provider: 'openai', model: 'gpt-4o-mini', api: 'responses' };
const CLAUDE: ModelTarget = { provider: 'anthropic', model: 'claude-haiku-4-5' };
const CHAT: ModelTarget = { provider: 'openai', model: 'gpt-4o-mini', api: 'chat.completions' };

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** An OpenAI chat agent turn: two parallel tool calls answered by two tool messages, then a follow-up. */
function openAiAgentCall(): LlmCall {
  return {
    provider: 'openai',
    api: 'chat.completions',
    requestModel: 'gpt-4o-mini',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_p', name: 'get_weather', arguments: { city: 'Paris' } },
          { type: 'tool_call', id: 'call_o', name: 'get_weather', arguments: { city: 'Oslo' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_p', content: '{"forecast":"sunny"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_o', content: '{"forecast":"snow"}' }] },
    ],
    tools: [WEATHER],
    toolChoice: 'required',
    parameters: { temperature: 0.2, maxTokens: 200, topP: 0.9, stop: ['END'] },
    output: { text: '', toolCalls: [] },
  };
}

function withoutResultIds(messages: Message[]): Message[] {
  return messages.map((m) => ({
    ...m,
    parts: m.parts.map((p) => (p.type === 'tool_result' ? { ...p, toolCallId: undefined } : p)),
  }));
}

describe('llm provider layer: overrides and cross-provider translation', () => {
  let llm: FakeLlmServer;
  let gateway: LlmGateway;
  before(async () => {
    llm = await startFakeLlmServer();
    gateway = createLlmGateway(fakeConfigs(llm));
  });
  beforeEach(() => llm.reset());
  after(async () => {
    await llm.close();
  });

  async function send(call: LlmCall, target: ModelTarget): Promise<{ body: Body; warnings: string[] }> {
    const built = gateway.build(call, target);
    await gateway.execute(built, target);
    const body = llm.requests[llm.requests.length - 1].body as Body;
    assert.deepEqual(body, built.body, 'the SDK sent the built body unchanged');
    return { body, warnings: built.warnings };
  }

  describe('parameter and model overrides', () => {
    const overrides: [string, unknown, Record<string, unknown>, Record<string, unknown>][] = [
      // [override name, value, chat field(s), anthropic field(s)]
      ['temperature', 0, { temperature: 0 }, { temperature: 0 }],
      ['max_tokens', 77, { max_tokens: 77 }, { max_tokens: 77 }],
      ['top_p', 0.5, { top_p: 0.5 }, { top_p: 0.5 }],
      ['stop', 'STOP', { stop: ['STOP'] }, { stop_sequences: ['STOP'] }],
      ['top_k', 5, {}, { top_k: 5 }],
      ['seed', 42, { seed: 42 }, {}],
      ['frequency_penalty', 0.3, { frequency_penalty: 0.3 }, {}],
      ['presence_penalty', 0.4, { presence_penalty: 0.4 }, {}],
      ['n', 2, { n: 2 }, {}],
      ['logprobs', true, { logprobs: true }, {}],
    ];
    for (const [name, value, chatFields, claudeFields] of overrides) {
      it(`${name}=${JSON.stringify(value)} is merged over the recorded parameters`, async () => {
        const call = openAiAgentCall();
        call.parameters = mergeParameterOverrides(call.parameters, { [name]: value });
        const chat = await send(call, OPENAI);
        for (const [k, v] of Object.entries(chatFields)) assert.deepEqual(chat.body[k], v, `chat ${k}`);
        const untouched = { temperature: 0.2, max_tokens: 200, top_p: 0.9, stop: ['END'] } as Record<string, unknown>;
        for (const [k, v] of Object.entries(untouched))
          if (!(k in chatFields)) assert.deepEqual(chat.body[k], v, `recorded ${k} kept`);
        if (Object.keys(chatFields).length === 0)
          assert.ok(
            chat.warnings.some((w) => w.startsWith(`${name}=`)),
            `chat warns about ${name}`,
          );
        const claude = await send(call, CLAUDE);
        for (const [k, v] of Object.entries(claudeFields)) assert.deepEqual(claude.body[k], v, `anthropic ${k}`);
        if (Object.keys(claudeFields).length === 0) {
          const listed = claude.warnings.some((w) => w.startsWith(`${name}=`) || w.startsWith(`parameter ${name} `));
          assert.ok(listed, `anthropic warns about ${name}: ${claude.warnings.join(' | ')}`);
          assert.equal(claude.body[name], undefined);
        }
      });
    }

    it('a null override removes a recorded parameter', () => {
      assert.deepEqual(mergeParameterOverrides({ temperature: 0.2, topP: 0.9 }, { temperature: null }), { topP: 0.9 });
    });

    it('the model override is sent as the model, the conversation unchanged', async () => {
      const call = openAiAgentCall();
      const recorded = await send(call, OPENAI);
      const other = await send(call, { provider: 'openai', model: 'gpt-4.1' });
      assert.equal(other.body.model, 'gpt-4.1');
      assert.deepEqual({ ...other.body, model: 'x' }, { ...recorded.body, model: 'x' });
    });

    it('reasoning models get max_completion_tokens, and rejected sampling parameters are dropped with warnings', async () => {
      const call = openAiAgentCall();
      call.parameters = { ...call.parameters, presencePenalty: 0.1, reasoningEffort: 'low' };
      const { body, warnings } = await send(call, { provider: 'openai', model: 'o3-mini' });
      assert.equal(body.max_completion_tokens, 200);
      assert.equal(body.max_tokens, undefined);
      assert.equal(body.temperature, undefined);
      assert.equal(body.top_p, undefined);
      assert.equal(body.presence_penalty, undefined);
      assert.equal(body.reasoning_effort, 'low');
      for (const p of ['temperature', 'top_p', 'presence_penalty'])
        assert.ok(
          warnings.some((w) => w.startsWith(`${p}=`)),
          p,
        );
    });
  });

  describe('OpenAI -> Anthropic -> OpenAI', () => {
    it('translates system, tool calls/results (ids paired, results merged in one user turn), tools, tool_choice, stop', async () => {
      const { body, warnings } = await send(openAiAgentCall(), CLAUDE);
      assert.equal(body.system, 'You are terse.');
      assert.deepEqual(body.messages, [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_p', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_o', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_p', content: '{"forecast":"sunny"}' },
            { type: 'tool_result', tool_use_id: 'call_o', content: '{"forecast":"snow"}' },
          ],
        },
      ]);
      assert.deepEqual(body.tools, [
        { name: 'get_weather', description: 'Current weather', input_schema: WEATHER.parameters },
      ]);
      assert.deepEqual(body.tool_choice, { type: 'any' });
      assert.deepEqual(body.stop_sequences, ['END']);
      assert.equal(body.max_tokens, 200);
      assert.deepEqual(warnings, []);
    });

    it('comes back to the same OpenAI request after reading the Anthropic request as a recording', async () => {
      const original = openAiAgentCall();
      const viaOpenAi = await send(original, OPENAI);
      const claude = await send(original, CLAUDE);
      // The Anthropic body read back the way the normalizers read recorded Anthropic requests.
      const back: LlmCall = {
        ...original,
        provider: 'anthropic',
        api: 'anthropic.messages',
        messages: [
          { role: 'system', parts: [{ type: 'text', text: claude.body.system }] },
          ...looseMessages(claude.body.messages),
        ],
      };
      const again = await send(back, OPENAI);
      assert.deepEqual(again.body, viaOpenAi.body);
      // Each tool message answers a call of the assistant turn before it.
      const ids = again.body.messages[2].tool_calls.map((c: Body) => c.id);
      assert.deepEqual(
        again.body.messages.slice(3).map((m: Body) => m.tool_call_id),
        ids,
      );
    });

    it("the Anthropic answer's tool_use ids stay paired when the conversation continues on OpenAI", async () => {
      llm.enqueue({ toolCalls: [{ id: 'toolu_01A', name: 'get_weather', arguments: { city: 'Rome' } }] });
      const first: LlmCall = { ...openAiAgentCall(), messages: openAiAgentCall().messages.slice(0, 2) };
      const built = gateway.build(first, CLAUDE);
      const answer = await gateway.execute(built, CLAUDE);
      const next: LlmCall = {
        ...first,
        messages: [
          ...first.messages,
          { role: 'assistant', parts: answer.output.toolCalls },
          { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'toolu_01A', content: 'rain' }] },
        ],
      };
      const { body } = await send(next, OPENAI);
      assert.deepEqual(body.messages[2].tool_calls, [
        { id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      ]);
      assert.deepEqual(body.messages[3], { role: 'tool', tool_call_id: 'toolu_01A', content: 'rain' });
    });

    it('an Anthropic-recorded turn with results and text becomes tool messages then a user message on OpenAI', async () => {
      const call: LlmCall = {
        provider: 'anthropic',
        api: 'anthropic.messages',
        requestModel: 'claude-haiku-4-5',
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'toolu_1', content: 'sunny', isError: false },
              { type: 'text', text: 'And tomorrow?' },
            ],
          },
        ],
        parameters: { maxTokens: 100, topK: 3 },
        output: { text: '', toolCalls: [] },
      };
      const { body, warnings } = await send(call, OPENAI);
      assert.deepEqual(body.messages, [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
        { role: 'user', content: 'And tomorrow?' },
      ]);
      assert.deepEqual(warnings, ['top_k=3 not sent: OpenAI has no top_k.']);
    });

    it('missing ids are paired in order and reported; missing max_tokens gets the documented default', async () => {
      const call = openAiAgentCall();
      call.messages = withoutResultIds(call.messages);
      call.parameters = {};
      const { body, warnings } = await send(call, CLAUDE);
      assert.deepEqual(
        body.messages[2].content.map((b: Body) => b.tool_use_id),
        ['call_p', 'call_o'],
      );
      assert.equal(body.max_tokens, DEFAULT_ANTHROPIC_MAX_TOKENS);
      assert.equal(warnings.filter((w) => w.includes('paired with')).length, 2);
      assert.ok(warnings.some((w) => w.startsWith('max_tokens was not recorded')));
    });

    it('json_object has no Anthropic equivalent: an instruction is added and a warning listed', async () => {
      const call = { ...openAiAgentCall(), responseFormat: { type: 'json_object' as const } };
      const { body, warnings } = await send(call, CLAUDE);
      assert.deepEqual(body.system, [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Respond with a single JSON object and nothing else.' },
      ]);
      assert.ok(warnings.some((w) => w.startsWith('response_format json_object')));
    });

    it('json_schema becomes output_config.format; the schema name is listed as not carried', async () => {
      const schema = { type: 'object', properties: { a: { type: 'string' } } };
      const call = {
        ...openAiAgentCall(),
        responseFormat: { type: 'json_schema' as const, name: 'answer', schema, strict: true },
      };
      const claude = await send(call, CLAUDE);
      assert.deepEqual(claude.body.output_config, { format: { type: 'json_schema', schema } });
      assert.ok(claude.warnings.some((w) => w.includes('name "answer"')));
      const chat = await send(call, OPENAI);
      assert.deepEqual(chat.body.response_format, {
        type: 'json_schema',
        json_schema: { name: 'answer', schema, strict: true },
      });
      const responses = await send(call, RESPONSES);
      assert.deepEqual(responses.body.text, { format: { type: 'json_schema', name: 'answer', schema, strict: true } });
    });

    it('temperature above 1 is capped for Anthropic with a warning', async () => {
      const call = openAiAgentCall();
      call.parameters.temperature = 1.6;
      const { body, warnings } = await send(call, CLAUDE);
      assert.equal(body.temperature, 1);
      assert.ok(warnings.some((w) => w.startsWith('temperature=1.6')));
    });
  });

  describe('chat.completions <-> responses', () => {
    it('chat -> responses: instructions, function_call / function_call_output items, tools, tool_choice; stop listed', async () => {
      const { body, warnings } = await send(openAiAgentCall(), RESPONSES);
      assert.equal(body.instructions, 'You are terse.');
      assert.deepEqual(body.input, [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        { type: 'function_call', call_id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_o', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_p', output: '{"forecast":"sunny"}' },
        { type: 'function_call_output', call_id: 'call_o', output: '{"forecast":"snow"}' },
      ]);
      assert.deepEqual(body.tools, [
        { type: 'function', name: 'get_weather', description: 'Current weather', parameters: WEATHER.parameters },
      ]);
      assert.equal(body.tool_choice, 'required');
      assert.equal(body.max_output_tokens, 200);
      assert.deepEqual(warnings, ['stop=["END"] not sent: the Responses API has no such parameter.']);
    });

    it('responses -> chat: the items read back as a recording give the chat conversation', async () => {
      const responses = await send(openAiAgentCall(), RESPONSES);
      const back: LlmCall = {
        ...openAiAgentCall(),
        api: 'responses',
        messages: [
          { role: 'system', parts: [{ type: 'text', text: responses.body.instructions }] },
          ...looseMessages(responses.body.input),
        ],
      };
      const chat = await send(back, CHAT);
      const direct = await send(openAiAgentCall(), OPENAI);
      // Responses gives each call its own item; merged back they are one assistant turn per item.
      const calls = chat.body.messages.filter((m: Body) => m.role === 'assistant').flatMap((m: Body) => m.tool_calls);
      assert.deepEqual(calls, direct.body.messages[2].tool_calls);
      assert.deepEqual(
        chat.body.messages.filter((m: Body) => m.role === 'tool'),
        direct.body.messages.slice(3),
      );
    });
  });
});
