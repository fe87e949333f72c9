// Calls recorded on OpenAI and Anthropic, with tool calls and their results, replayed on Bedrock:
// the Converse request keeps every call paired with its result (same ids), satisfies Converse's
// structural rules, and reaches the endpoint exactly as built. Real instrumented apps record the
// calls (test/apps, through the official SDKs against the fake server), plus two hand-written ones.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { bedrockProvider } from '../../../src/core/llm/providers/bedrock/bedrock-provider';
import type { LlmCall } from '../../../src/core/model/trace';
import type { AppName } from '../../apps/app-matrix';
import { assertValidConverse, type Body } from './bedrock-converse-rules';
import { buildBedrock, fakeBedrockConfig } from './bedrock-support';
import { startRecordedWorld, type RecordedWorld } from './recorded-world';

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** As the OpenAI chat normalizers record it: tool results in `tool` messages, one per call. */
const OPENAI_CALL: LlmCall = {
  provider: 'openai',
  api: 'chat.completions',
  requestModel: 'gpt-4o-mini',
  messages: [
    { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
    { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'call_Xy12ab', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool_call', id: 'call_Zq34cd', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_Xy12ab', content: '{"forecast":"sunny"}' }] },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_Zq34cd', content: '{"forecast":"snow"}' }] },
  ],
  tools: [WEATHER],
  toolChoice: 'auto',
  parameters: { temperature: 0.2, maxTokens: 200 },
  output: { text: '', toolCalls: [] },
};

/** As the Anthropic normalizers record it: tool_use in the assistant turn, tool_result blocks in a user turn. */
const ANTHROPIC_CALL: LlmCall = {
  provider: 'anthropic',
  api: 'anthropic.messages',
  requestModel: 'claude-haiku-4-5',
  messages: [
    { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
    { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_call', id: 'toolu_01AbC', name: 'get_weather', arguments: { city: 'Paris' } },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool_result', toolCallId: 'toolu_01AbC', content: 'sunny, 21C' },
        { type: 'text', text: 'And tomorrow?' },
      ],
    },
  ],
  tools: [WEATHER],
  parameters: { maxTokens: 300, topK: 10 },
  output: { text: '', toolCalls: [] },
};

/** Tool-call ids of the recorded call, in order, and the ids its results answer. */
function recordedIds(call: LlmCall): { calls: string[]; results: string[] } {
  const parts = call.messages.flatMap((m) => m.parts);
  return {
    calls: parts.flatMap((p) => (p.type === 'tool_call' && p.id !== undefined ? [p.id] : [])),
    results: parts.flatMap((p) => (p.type === 'tool_result' && p.toolCallId !== undefined ? [p.toolCallId] : [])),
  };
}

function sentIds(body: Body): { calls: string[]; results: string[] } {
  const blocks = (body.messages as Body[]).flatMap((m) => m.content as Body[]);
  return {
    calls: blocks.filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId as string),
    results: blocks.filter((b) => b.toolResult).map((b) => b.toolResult.toolUseId as string),
  };
}

describe('llm provider layer: OpenAI- and Anthropic-recorded tool calls replayed on Bedrock', () => {
  let world: RecordedWorld;

  before(async () => {
    world = await startRecordedWorld();
  });
  after(async () => {
    await world.close();
  });

  async function replayOnBedrock(call: LlmCall): Promise<Body> {
    const request = buildBedrock(call);
    const body = request.body as Body;
    assertValidConverse(body);
    world.llm.reset();
    const client = bedrockProvider.createClient(fakeBedrockConfig(world.llm.bedrockEndpoint), fetch);
    try {
      await bedrockProvider.send(client, request, { now: () => performance.now() });
    } finally {
      client.destroy();
    }
    const { modelId: _m, ...wire } = body;
    assert.deepEqual(world.llm.requests[0].body, wire, 'the endpoint receives the built request');
    return body;
  }

  for (const [name, call] of [
    ['OpenAI chat', OPENAI_CALL],
    ['Anthropic messages', ANTHROPIC_CALL],
  ] as const) {
    it(`${name}: calls and results keep their ids and pairing`, async () => {
      const body = await replayOnBedrock(call);
      const ids = sentIds(body);
      assert.deepEqual(ids, recordedIds(call));
      assert.ok(ids.calls.length > 0);
      assert.ok(body.toolConfig.tools.length > 0);
    });
  }

  for (const app of ['openinference-openai', 'openinference-anthropic', 'traceloop-anthropic'] satisfies AppName[]) {
    it(`${app} agent (recorded by the real app): every call with tool history stays valid on Converse`, async () => {
      const recorded = await world.record(app, 'agent');
      const withTools = recorded.filter((r) =>
        r.call.messages.some((m) => m.parts.some((p) => p.type === 'tool_result')),
      );
      assert.ok(withTools.length > 0, 'the agent scenario has a call answering a tool call');
      for (const { call } of withTools) {
        const body = await replayOnBedrock(call);
        if (call.tools !== undefined && call.tools.length > 0) assert.deepEqual(sentIds(body), recordedIds(call));
        // Without recorded tool definitions (Traceloop's Anthropic instrumentation keeps none) the
        // tool history is sent as text, which Converse accepts; assertValidConverse checked it.
        else assert.equal(body.toolConfig, undefined);
      }
    });
  }
});
