// Cross-provider round trips: a tool-calling conversation recorded on each provider (OpenAI chat,
// Anthropic Messages, Gemini generateContent, Bedrock Converse) is replayed on every other one
// through the gateway and the real SDKs against the fake server. The target's wire body must keep
// the tool-call protocol valid for that API — every call answered by its result, ids paired (Gemini
// pairs by function name), definitions sent — and the endpoint must accept it (the fake Gemini and
// Bedrock endpoints refuse what the real APIs refuse; OpenAI and Anthropic pairing is checked here).
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { LlmGateway, ModelTarget, ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { LlmCall, ToolDefinition } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { assertValidConverse } from './bedrock-converse-rules';
import { fakeBedrockConfig } from './bedrock-support';
import { fakeGeminiConfig } from './gemini-support';
import { fakeConfigs } from './recorded-world';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire bodies are indexed freely

const WEATHER: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const text = (t: string) => ({ type: 'text' as const, text: t });

function call(provider: string, api: LlmCall['api'], model: string, messages: LlmCall['messages']): LlmCall {
  return {
    provider,
    api,
    requestModel: model,
    messages,
    tools: [WEATHER],
    toolChoice: 'auto',
    parameters: { maxTokens: 200, temperature: 0 },
    output: { text: 'Sunny in Paris, snow in Oslo.', toolCalls: [] },
  };
}

/** Each source as its normalizers leave it in the trace model (tool results are `tool` messages). */
const RECORDED: Record<string, LlmCall> = {
  openai: call('openai', 'chat.completions', 'gpt-4o-mini', [
    { role: 'system', parts: [text('You are terse.')] },
    { role: 'user', parts: [text('Weather in Paris and Oslo?')] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'call_Xy12ab', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'call_Zq34cd', name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
    },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_Xy12ab', content: '{"forecast":"sunny"}' }] },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_Zq34cd', content: '{"forecast":"snow"}' }] },
  ]),
  anthropic: call('anthropic', 'anthropic.messages', 'claude-haiku-4-5', [
    { role: 'system', parts: [text('You are terse.')] },
    { role: 'user', parts: [text('Weather in Paris and Oslo?')] },
    {
      role: 'assistant',
      parts: [
        text('Let me look.'),
        { type: 'tool_call', id: 'toolu_01AbC', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'toolu_01DeF', name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
    },
    {
      role: 'tool',
      parts: [
        { type: 'tool_result', toolCallId: 'toolu_01AbC', content: 'sunny, 21C' },
        { type: 'tool_result', toolCallId: 'toolu_01DeF', content: 'snow, -3C' },
      ],
    },
  ]),
  // Gemini records no call ids (the OTel instrumentation makes up `<name>_<n>`); results answer by name.
  gemini: call('gcp.gemini', 'gemini.generate_content', 'gemini-2.5-flash', [
    { role: 'system', parts: [text('You are terse.')] },
    { role: 'user', parts: [text('Weather in Paris and Oslo?')] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'get_weather_0', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'get_weather_1', name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
    },
    {
      role: 'tool',
      parts: [
        { type: 'tool_result', toolCallId: 'get_weather_0', content: '{"forecast":"sunny"}' },
        { type: 'tool_result', toolCallId: 'get_weather_1', content: '{"forecast":"snow"}' },
      ],
    },
  ]),
  bedrock: call('aws.bedrock', 'bedrock.converse', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', [
    { role: 'system', parts: [text('You are terse.')] },
    { role: 'user', parts: [text('Weather in Paris and Oslo?')] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'tooluse_8Bq2pXyTR0WZkq4bO1nC3w', name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
    },
    {
      role: 'tool',
      parts: [
        { type: 'tool_result', toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: 'sunny' },
        { type: 'tool_result', toolCallId: 'tooluse_8Bq2pXyTR0WZkq4bO1nC3w', content: 'snow' },
      ],
    },
  ]),
};

const TARGETS: Record<string, ModelTarget> = {
  'openai chat': { provider: 'openai', model: 'gpt-4o-mini', api: 'chat.completions' },
  'openai responses': { provider: 'openai', model: 'gpt-4.1-mini', api: 'responses' },
  anthropic: { provider: 'anthropic', model: 'claude-haiku-4-5' },
  gemini: { provider: 'gemini', model: 'gemini-2.5-flash' },
  bedrock: { provider: 'bedrock', model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' },
};

/** [call ids in order, result ids in order, tool names declared] as the target's wire body says. */
function wirePairs(target: string, body: Body): { calls: string[]; results: string[]; tools: string[] } {
  switch (target) {
    case 'openai chat': {
      const msgs = body.messages as Body[];
      // Every tool message follows the assistant turn whose tool_calls it answers.
      msgs.forEach((m, i) => {
        if (m.role !== 'tool') return;
        let j = i - 1;
        while (j >= 0 && msgs[j].role === 'tool') j--;
        assert.ok(
          (msgs[j]?.tool_calls ?? []).some((c: Body) => c.id === m.tool_call_id),
          `tool message ${i} answers a call of the assistant turn before it`,
        );
      });
      return {
        calls: msgs.flatMap((m) => (m.tool_calls ?? []).map((c: Body) => c.id)),
        results: msgs.filter((m) => m.role === 'tool').map((m) => m.tool_call_id),
        tools: (body.tools ?? []).map((t: Body) => t.function.name),
      };
    }
    case 'openai responses': {
      const items = body.input as Body[];
      return {
        calls: items.filter((i) => i.type === 'function_call').map((i) => i.call_id),
        results: items.filter((i) => i.type === 'function_call_output').map((i) => i.call_id),
        tools: (body.tools ?? []).map((t: Body) => t.name),
      };
    }
    case 'anthropic': {
      const msgs = body.messages as Body[];
      const blocks = (m: Body): Body[] => (Array.isArray(m.content) ? m.content : []);
      msgs.forEach((m, i) => {
        const results = blocks(m).filter((b) => b.type === 'tool_result');
        if (!results.length) return;
        assert.equal(m.role, 'user');
        const uses = new Set(
          blocks(msgs[i - 1])
            .filter((b) => b.type === 'tool_use')
            .map((b) => b.id),
        );
        for (const r of results)
          assert.ok(uses.has(r.tool_use_id), `tool_result ${r.tool_use_id} answers a tool_use of the turn before`);
      });
      return {
        calls: msgs.flatMap((m) =>
          blocks(m)
            .filter((b) => b.type === 'tool_use')
            .map((b) => b.id),
        ),
        results: msgs.flatMap((m) =>
          blocks(m)
            .filter((b) => b.type === 'tool_result')
            .map((b) => b.tool_use_id),
        ),
        tools: (body.tools ?? []).map((t: Body) => t.name),
      };
    }
    case 'gemini': {
      const parts = (body.contents as Body[]).flatMap((c) => c.parts as Body[]);
      const decls = ((body.tools ?? body.config?.tools ?? []) as Body[]).flatMap((t) => t.functionDeclarations ?? []);
      return {
        calls: parts.filter((p) => p.functionCall).map((p) => p.functionCall.name),
        results: parts.filter((p) => p.functionResponse).map((p) => p.functionResponse.name),
        tools: decls.map((d: Body) => d.name),
      };
    }
    default: {
      assertValidConverse(body);
      const blocks = (body.messages as Body[]).flatMap((m) => m.content as Body[]);
      return {
        calls: blocks.filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId),
        results: blocks.filter((b) => b.toolResult).map((b) => b.toolResult.toolUseId),
        tools: (body.toolConfig?.tools ?? []).map((t: Body) => t.toolSpec.name),
      };
    }
  }
}

describe('llm provider layer: cross-provider round trips keep the tool-call protocol valid', () => {
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;
  let gateway: LlmGateway;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = {
      ...fakeConfigs(llm),
      gemini: fakeGeminiConfig(llm.geminiBaseUrl),
      bedrock: fakeBedrockConfig(llm.bedrockEndpoint),
    };
    gateway = createLlmGateway(configs);
  });
  after(async () => {
    await llm.close();
  });

  for (const [source, recorded] of Object.entries(RECORDED)) {
    for (const [targetName, target] of Object.entries(TARGETS)) {
      if (source === targetName || (source === 'openai' && targetName === 'openai chat')) continue;
      it(`${source} -> ${targetName}: every call answered, ids paired, definitions sent, accepted by the endpoint`, async () => {
        llm.reset();
        const built = gateway.build(recorded, target);
        const execution = await gateway.execute(built, target);
        assert.equal(llm.requests.length, 1);
        const sent = llm.requests[0].body as Body;
        const pairs = wirePairs(
          targetName,
          targetName === 'bedrock' || targetName === 'gemini' ? { ...built.body, ...sent } : sent,
        );
        assert.equal(pairs.calls.length, 2, 'both tool calls are sent');
        assert.equal(pairs.results.length, 2, 'both results are sent');
        if (targetName === 'gemini')
          assert.deepEqual(pairs.results, pairs.calls, 'each functionResponse names its call');
        else {
          assert.deepEqual([...pairs.results].sort(), [...pairs.calls].sort(), 'each result answers a call by id');
          assert.equal(new Set(pairs.calls).size, 2, 'ids stay distinct');
        }
        assert.deepEqual(pairs.tools, ['get_weather']);
        assert.ok(typeof execution.output.text === 'string');
      });
    }
  }
});
