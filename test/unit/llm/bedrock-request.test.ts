// The Bedrock Converse request builder: LlmCall -> ConverseCommandInput JSON, and every lossy step
// named in a warning.
import assert from 'node:assert/strict';
import { bedrockModelFamily, JSON_OBJECT_INSTRUCTION } from '../../../src/core/llm/providers/bedrock/bedrock-request';
import type { LlmCall, Message } from '../../../src/core/model/trace';
import { assertValidConverse, type Body } from './bedrock-converse-rules';
import { BEDROCK_MODEL, buildBedrock, userCall } from './bedrock-support';

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function agentMessages(): Message[] {
  return [
    { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
    { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Oslo?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_call', id: 'call_p', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'call_o', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_p', content: '{"forecast":"sunny"}' }] },
    { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_o', content: 'no data', isError: true }] },
  ];
}

function agentCall(extra: Partial<LlmCall> = {}): LlmCall {
  return userCall('', { messages: agentMessages(), tools: [WEATHER], ...extra });
}

const body = (call: LlmCall, model?: string): Body => buildBedrock(call, model).body as Body;

describe('llm provider layer: Bedrock Converse request builder', () => {
  it('a plain call: modelId, system blocks, user content blocks, no warnings', () => {
    const built = buildBedrock(
      userCall('Hi.', {
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'system', parts: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Hi.' }] },
        ],
      }),
    );
    assert.deepEqual(built.body, {
      modelId: BEDROCK_MODEL,
      system: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi.' }] }],
    });
    assert.deepEqual(built.warnings, []);
    assert.equal(built.stream, false);
  });

  it('tool calls and results: toolUse in the assistant turn, results merged into one user turn, ids kept', () => {
    const built = buildBedrock(agentCall());
    const b = built.body as Body;
    assert.deepEqual(b.messages, [
      { role: 'user', content: [{ text: 'Weather in Paris and Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Checking both.' },
          { toolUse: { toolUseId: 'call_p', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'call_o', name: 'get_weather', input: { city: 'Oslo' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_p', content: [{ text: '{"forecast":"sunny"}' }] } },
          { toolResult: { toolUseId: 'call_o', content: [{ text: 'no data' }], status: 'error' } },
        ],
      },
    ]);
    assert.deepEqual(b.toolConfig, {
      tools: [
        {
          toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: WEATHER.parameters } },
        },
      ],
    });
    assert.deepEqual(built.warnings, []);
    assertValidConverse(b);
  });

  it('missing ids: calls get generated ids, results are paired in order, both reported', () => {
    const messages = agentMessages().map((m) => ({
      ...m,
      parts: m.parts.map((p) =>
        p.type === 'tool_call'
          ? { ...p, id: undefined }
          : p.type === 'tool_result'
            ? { ...p, toolCallId: undefined }
            : p,
      ),
    }));
    const built = buildBedrock(agentCall({ messages }));
    const b = built.body as Body;
    const useIds = b.messages[1].content.filter((c: Body) => c.toolUse).map((c: Body) => c.toolUse.toolUseId);
    const resultIds = b.messages[2].content.map((c: Body) => c.toolResult.toolUseId);
    assert.deepEqual(useIds, ['call_replay_1', 'call_replay_2']);
    assert.deepEqual(resultIds, useIds);
    assert.equal(built.warnings.filter((w) => /had no recorded id/.test(w)).length, 2);
    assert.equal(built.warnings.filter((w) => /no recorded call id; paired with/.test(w)).length, 2);
    assertValidConverse(b);
  });

  it('ids Bedrock refuses are rewritten the same way in the call and its result, with a warning', () => {
    const messages = agentMessages();
    messages[2].parts[1] = {
      type: 'tool_call',
      id: 'functions.get_weather:0',
      name: 'get_weather',
      arguments: { city: 'Paris' },
    };
    messages[3].parts[0] = { type: 'tool_result', toolCallId: 'functions.get_weather:0', content: 'sunny' };
    const built = buildBedrock(agentCall({ messages }));
    const b = built.body as Body;
    assert.equal(b.messages[1].content[1].toolUse.toolUseId, 'functions_get_weather_0');
    assert.equal(b.messages[2].content[0].toolResult.toolUseId, 'functions_get_weather_0');
    assert.equal(built.warnings.filter((w) => /not a valid Bedrock toolUseId/.test(w)).length, 1);
    assertValidConverse(b);
  });

  it('a tool result that does not follow its call is sent as text; results go before other content', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'Go.' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: { city: 'Rome' } }],
      },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Here you go:' },
          { type: 'tool_result', toolCallId: 'call_a', content: 'warm' },
          { type: 'tool_result', toolCallId: 'call_zz', content: 'stray' },
        ],
      },
    ];
    const built = buildBedrock(agentCall({ messages }));
    const b = built.body as Body;
    assert.deepEqual(b.messages[2].content, [
      { toolResult: { toolUseId: 'call_a', content: [{ text: 'warm' }] } },
      { text: 'Here you go:' },
      { text: 'Tool result (call_zz): stray' },
    ]);
    assert.ok(built.warnings.some((w) => /tool result call_zz does not follow its tool call; sent as text/.test(w)));
    assert.ok(built.warnings.some((w) => /moved before the other content/.test(w)));
    assertValidConverse(b);
  });

  it('a tool result with no call to answer is sent as text', () => {
    const built = buildBedrock(
      agentCall({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Go.' },
              { type: 'tool_result', content: 'orphan' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual((built.body as Body).messages, [
      { role: 'user', content: [{ text: 'Go.' }, { text: 'Tool result: orphan' }] },
    ]);
    assert.ok(built.warnings.some((w) => /no call id and no earlier tool call/.test(w)));
    assert.ok(built.warnings.some((w) => /a tool result without a call id was sent as text/.test(w)));
    assertValidConverse(built.body as Body);
  });

  it('tool_choice: auto / required / a named tool; none drops the tools and turns tool history into text', () => {
    assert.deepEqual(body(agentCall({ toolChoice: 'auto' })).toolConfig.toolChoice, { auto: {} });
    assert.deepEqual(body(agentCall({ toolChoice: 'required' })).toolConfig.toolChoice, { any: {} });
    assert.deepEqual(body(agentCall({ toolChoice: { type: 'tool', name: 'get_weather' } })).toolConfig.toolChoice, {
      tool: { name: 'get_weather' },
    });
    const none = buildBedrock(agentCall({ toolChoice: 'none' }));
    const b = none.body as Body;
    assert.equal(b.toolConfig, undefined);
    assert.deepEqual(b.messages[1].content[1], { text: 'Tool call get_weather (call_p): {"city":"Paris"}' });
    assert.deepEqual(b.messages[2].content[1], { text: 'Tool result (call_o) [error]: no data' });
    assert.ok(none.warnings.some((w) => /tool_choice "none": Converse has no "none"/.test(w)));
    assert.ok(none.warnings.some((w) => /tool calls and results were sent as text/.test(w)));
    assertValidConverse(b);
  });

  it('tool history without tool definitions is sent as text (Converse needs a toolConfig for tool blocks)', () => {
    const built = buildBedrock(agentCall({ tools: undefined }));
    assert.equal((built.body as Body).toolConfig, undefined);
    assert.ok(built.warnings.some((w) => /sent as text: the call defines no tools/.test(w)));
    assertValidConverse(built.body as Body);
  });

  it('a tool without a schema gets an empty object schema, with a warning', () => {
    const built = buildBedrock(userCall('x', { tools: [{ name: 'ping' }] }));
    assert.deepEqual((built.body as Body).toolConfig.tools, [
      { toolSpec: { name: 'ping', inputSchema: { json: { type: 'object', properties: {} } } } },
    ]);
    assert.ok(built.warnings.some((w) => /tool ping has no recorded schema/.test(w)));
  });

  it('parameters: inferenceConfig maxTokens, temperature, topP, stopSequences; unsupported ones are named', () => {
    const built = buildBedrock(
      userCall('x', {
        api: 'chat.completions',
        provider: 'openai',
        parameters: {
          maxTokens: 300,
          temperature: 0.4,
          topP: 0.9,
          stop: ['END', 'STOP'],
          seed: 7,
          frequencyPenalty: 0.5,
          presencePenalty: 0.1,
          n: 2,
          extra: { logprobs: true },
        },
      }),
    );
    const b = built.body as Body;
    assert.deepEqual(b.inferenceConfig, {
      maxTokens: 300,
      temperature: 0.4,
      topP: 0.9,
      stopSequences: ['END', 'STOP'],
    });
    assert.equal(b.additionalModelRequestFields, undefined);
    for (const re of [
      /^seed=7 not sent/,
      /^frequency_penalty=0.5 not sent/,
      /^presence_penalty=0.1 not sent/,
      /^n=2 not sent/,
      /^parameter logprobs \(recorded for chat.completions\) is not sent/,
    ]) {
      assert.ok(
        built.warnings.some((w) => re.test(w)),
        `${re} in ${JSON.stringify(built.warnings)}`,
      );
    }
  });

  it('no recorded max tokens: none sent (Converse does not require it), no warning', () => {
    const built = buildBedrock(userCall('x'));
    assert.equal((built.body as Body).inferenceConfig, undefined);
    assert.deepEqual(built.warnings, []);
  });

  it('temperature above 1 is capped for Claude models only', () => {
    const claude = buildBedrock(userCall('x', { parameters: { temperature: 1.5 } }));
    assert.equal((claude.body as Body).inferenceConfig.temperature, 1);
    assert.ok(claude.warnings.some((w) => /above Claude's maximum/.test(w)));
    assert.equal(
      body(userCall('x', { parameters: { temperature: 1.5 } }), 'meta.llama3-3-70b-instruct-v1:0').inferenceConfig
        .temperature,
      1.5,
    );
  });

  it('top_k goes to additionalModelRequestFields in the model family spelling, or is dropped with a warning', () => {
    assert.deepEqual(body(userCall('x', { parameters: { topK: 40 } })).additionalModelRequestFields, { top_k: 40 });
    assert.deepEqual(
      body(userCall('x', { parameters: { topK: 40 } }), 'us.amazon.nova-lite-v1:0').additionalModelRequestFields,
      { inferenceConfig: { topK: 40 } },
    );
    const llama = buildBedrock(userCall('x', { parameters: { topK: 40 } }), 'meta.llama3-3-70b-instruct-v1:0');
    assert.equal((llama.body as Body).additionalModelRequestFields, undefined);
    assert.ok(llama.warnings.some((w) => /^top_k=40 not sent: Converse has no top_k/.test(w)));
    const fromAnthropic = buildBedrock(
      userCall('x', { api: 'anthropic.messages', provider: 'anthropic', parameters: { topK: 5 } }),
    );
    assert.deepEqual((fromAnthropic.body as Body).additionalModelRequestFields, { top_k: 5 });
    assert.ok(fromAnthropic.warnings.some((w) => /top_k sent in additionalModelRequestFields/.test(w)));
  });

  it('recorded Bedrock extras: Converse members to the top level, the rest to additionalModelRequestFields', () => {
    const built = buildBedrock(
      userCall('x', {
        parameters: {
          extra: {
            performanceConfig: { latency: 'optimized' },
            additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
            anthropic_beta: ['x'],
          },
        },
      }),
    );
    const b = built.body as Body;
    assert.deepEqual(b.performanceConfig, { latency: 'optimized' });
    assert.deepEqual(b.additionalModelRequestFields, {
      thinking: { type: 'enabled', budget_tokens: 1024 },
      anthropic_beta: ['x'],
    });
    assert.deepEqual(built.warnings, [
      'parameter anthropic_beta sent in additionalModelRequestFields (it is no Converse field).',
    ]);
  });

  it('reasoning effort -> outputConfig.effort for Claude; other models and unknown efforts are dropped', () => {
    const built = buildBedrock(userCall('x', { api: 'chat.completions', parameters: { reasoningEffort: 'high' } }));
    assert.deepEqual((built.body as Body).outputConfig, { effort: 'high' });
    assert.ok(built.warnings.some((w) => /outputConfig.effort/.test(w)));
    const llama = buildBedrock(
      userCall('x', { api: 'chat.completions', parameters: { reasoningEffort: 'high' } }),
      'meta.llama3-3-70b-instruct-v1:0',
    );
    assert.equal((llama.body as Body).outputConfig, undefined);
    assert.ok(
      llama.warnings.some((w) =>
        /^reasoning effort="high" not sent: Bedrock's outputConfig.effort is for Claude models/.test(w),
      ),
    );
    const minimal = buildBedrock(userCall('x', { parameters: { reasoningEffort: 'minimal' } }));
    assert.equal((minimal.body as Body).outputConfig, undefined);
    assert.ok(minimal.warnings.some((w) => /^reasoning effort="minimal" not sent/.test(w)));
  });

  it('response formats: json_schema -> outputConfig.textFormat; json_object -> a system instruction, with warnings', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const s = buildBedrock(
      userCall('x', {
        api: 'chat.completions',
        responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true },
      }),
    );
    assert.deepEqual((s.body as Body).outputConfig, {
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer' } },
      },
    });
    assert.ok(s.warnings.some((w) => /outputConfig.textFormat.*strict flag is not carried/.test(w)));
    const o = buildBedrock(userCall('x', { responseFormat: { type: 'json_object' } }));
    assert.deepEqual((o.body as Body).system, [{ text: JSON_OBJECT_INSTRUCTION }]);
    assert.ok(o.warnings.some((w) => /Converse has no JSON mode/.test(w)));
  });

  it('images: inline data and data: URLs as bytes with their format, s3:// as a location, web URLs dropped with a warning', () => {
    const built = buildBedrock(
      userCall('x', {
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
              { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
              { type: 'image', url: 's3://bucket/cat.webp', mediaType: 'image/webp' },
              { type: 'image', url: 'https://example.com/cat.png' },
              { type: 'image', data: 'AAAA', mediaType: 'image/tiff' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual((built.body as Body).messages[0].content, [
      { text: 'Compare these.' },
      { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
      { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
      { image: { format: 'webp', source: { s3Location: { uri: 's3://bucket/cat.webp' } } } },
    ]);
    assert.ok(
      built.warnings.some((w) =>
        /https:\/\/example.com\/cat.png\) was dropped: Converse takes image bytes or an s3:\/\/ location/.test(w),
      ),
    );
    assert.ok(built.warnings.some((w) => /image of type image\/tiff was dropped/.test(w)));
  });

  it('lossy parts are named: reasoning, names, blank text, mid-conversation system, assistant-first', () => {
    const built = buildBedrock(
      userCall('x', {
        messages: [
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'hmm' },
              { type: 'text', text: 'Hello.' },
            ],
          },
          {
            role: 'user',
            name: 'alice',
            parts: [
              { type: 'text', text: 'Hi.' },
              { type: 'text', text: '  ' },
            ],
          },
          { role: 'system', parts: [{ type: 'text', text: 'Late rule.' }] },
          { role: 'user', parts: [{ type: 'other', value: { cachePoint: { type: 'default' } } }] },
        ],
        api: 'chat.completions',
      }),
    );
    const b = built.body as Body;
    assert.deepEqual(b.system, [{ text: 'Late rule.' }]);
    assert.deepEqual(b.messages, [
      { role: 'assistant', content: [{ text: 'Hello.' }] },
      { role: 'user', content: [{ text: 'Hi.' }] },
    ]);
    for (const re of [
      /reasoning text cannot be sent back/,
      /participant name "alice"/,
      /whitespace-only text part was dropped/,
      /moved to the system prompt/,
      /content part Converse cannot carry/,
      /starts with an assistant turn/,
    ]) {
      assert.ok(
        built.warnings.some((w) => re.test(w)),
        `${re} in ${JSON.stringify(built.warnings)}`,
      );
    }
  });

  it('a raw content block recorded on Bedrock is passed through', () => {
    const built = buildBedrock(
      userCall('x', {
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Long doc.' },
              { type: 'other', value: { cachePoint: { type: 'default' } } },
            ],
          },
        ],
      }),
    );
    assert.deepEqual((built.body as Body).messages[0].content, [
      { text: 'Long doc.' },
      { cachePoint: { type: 'default' } },
    ]);
    assert.deepEqual(built.warnings, []);
  });

  it('a streamed recorded call adds no field to the body (Converse has no stream flag; ConverseStream is chosen by the request)', () => {
    const built = buildBedrock(userCall('x', { streamed: true }));
    assert.deepEqual(built.body, buildBedrock(userCall('x')).body);
    assert.equal(built.stream, true);
  });

  it('model families of Bedrock ids, inference profiles and ARNs', () => {
    assert.equal(bedrockModelFamily('anthropic.claude-3-haiku-20240307-v1:0'), 'anthropic');
    assert.equal(bedrockModelFamily('us.anthropic.claude-haiku-4-5-20251001-v1:0'), 'anthropic');
    assert.equal(bedrockModelFamily('apac.amazon.nova-pro-v1:0'), 'amazon');
    assert.equal(bedrockModelFamily('global.anthropic.claude-sonnet-4-5-20250929-v1:0'), 'anthropic');
    assert.equal(bedrockModelFamily('arn:aws:bedrock:us-east-1:123:inference-profile/x'), undefined);
  });
});
