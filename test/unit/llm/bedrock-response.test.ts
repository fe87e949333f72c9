// The Converse readers on the SDK's own output shapes: text, tool calls, reasoning, finish reasons,
// usage (input without the cache), model and id, stream reassembly and first-content time.
import assert from 'node:assert/strict';
import type { ConverseCommandOutput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import {
  bedrockFinishReason,
  bedrockUsage,
  readConverseOutput,
  readConverseStream,
} from '../../../src/core/llm/providers/bedrock/bedrock-response';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function output(extra: Partial<ConverseCommandOutput>): ConverseCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: 'req-1', attempts: 1 },
    output: { message: { role: 'assistant', content: [{ text: 'Hi.' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
    metrics: { latencyMs: 5 },
    ...extra,
  };
}

async function* events(list: ConverseStreamOutput[]): AsyncGenerator<ConverseStreamOutput> {
  for (const e of list) yield e;
}

describe('llm provider layer: Bedrock Converse readers', () => {
  it('reads text, tool calls, reasoning, finish reason, usage, model (the modelId) and id (the request id)', () => {
    const read = readConverseOutput(
      output({
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'Need the weather.', signature: 'sig' } } },
              { text: 'Checking ' },
              { text: 'now.' },
              { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 30, outputTokens: 7, totalTokens: 44, cacheReadInputTokens: 5, cacheWriteInputTokens: 2 },
      }),
      MODEL,
    );
    assert.deepEqual(read, {
      output: {
        text: 'Checking now.',
        toolCalls: [{ type: 'tool_call', id: 'tooluse_1', name: 'get_weather', arguments: { city: 'Paris' } }],
        reasoning: 'Need the weather.',
        finishReason: 'tool_call',
      },
      usage: {
        inputIncludesCache: false,
        inputTokens: 30,
        outputTokens: 7,
        totalTokens: 44,
        cacheReadTokens: 5,
        cacheWriteTokens: 2,
      },
      responseModel: MODEL,
      responseId: 'req-1',
      warnings: [],
    });
  });

  it('names what it does not read: blocks of other kinds, a missing usage', () => {
    const read = readConverseOutput(
      output({
        output: {
          message: {
            role: 'assistant',
            content: [{ text: 'x' }, { citationsContent: { content: [{ text: 'c' }], citations: [] } }],
          },
        },
        usage: undefined,
      }),
      MODEL,
    );
    assert.deepEqual(read.warnings, [
      'a content block of type citationsContent is not read.',
      'the answer carried no usage.',
    ]);
    assert.equal(read.usage, undefined);
  });

  it('stop reasons in the shared vocabulary', () => {
    assert.deepEqual(
      [
        'end_turn',
        'tool_use',
        'max_tokens',
        'stop_sequence',
        'guardrail_intervened',
        'content_filtered',
        'model_context_window_exceeded',
        'malformed_tool_use',
      ].map(bedrockFinishReason),
      ['stop', 'tool_call', 'length', 'stop', 'content_filter', 'content_filter', 'length', 'error'],
    );
    assert.equal(bedrockFinishReason(undefined), undefined);
  });

  it('usage: input excludes the cache; a missing total is the sum of the parts', () => {
    assert.deepEqual(
      bedrockUsage({ inputTokens: 10, outputTokens: 3, totalTokens: undefined, cacheReadInputTokens: 4 }),
      {
        inputIncludesCache: false,
        inputTokens: 10,
        outputTokens: 3,
        totalTokens: 17,
        cacheReadTokens: 4,
      },
    );
  });

  it('a stream: text deltas joined, toolUse input reassembled, reasoning kept, first content timed, usage from metadata', async () => {
    let clock = 100;
    const now = (): number => ++clock;
    const read = await readConverseStream(
      events([
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Think.' } } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Let me ' } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'check.' } } },
        { contentBlockStop: { contentBlockIndex: 1 } },
        {
          contentBlockStart: {
            contentBlockIndex: 2,
            start: { toolUse: { toolUseId: 'tooluse_9', name: 'get_weather' } },
          },
        },
        { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":' } } } },
        { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '"Oslo"}' } } } },
        { contentBlockStop: { contentBlockIndex: 2 } },
        { messageStop: { stopReason: 'tool_use' } },
        { metadata: { usage: { inputTokens: 12, outputTokens: 9, totalTokens: 21 }, metrics: { latencyMs: 40 } } },
      ]),
      MODEL,
      'req-7',
      now,
    );
    assert.deepEqual(read.output, {
      text: 'Let me check.',
      toolCalls: [{ type: 'tool_call', id: 'tooluse_9', name: 'get_weather', arguments: { city: 'Oslo' } }],
      reasoning: 'Think.',
      finishReason: 'tool_call',
    });
    assert.equal(read.firstContentAt, 101, 'the clock is read at the first delta only');
    assert.deepEqual(read.usage, { inputIncludesCache: false, inputTokens: 12, outputTokens: 9, totalTokens: 21 });
    assert.equal(read.responseModel, MODEL);
    assert.equal(read.responseId, 'req-7');
    assert.deepEqual(read.warnings, []);
  });

  it('a stream without metadata says it carried no usage; a missing stream is named', async () => {
    const read = await readConverseStream(
      events([{ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'x' } } }]),
      MODEL,
      undefined,
      () => 0,
    );
    assert.deepEqual(read.warnings, ['the answer carried no usage.']);
    assert.equal(read.responseId, undefined);
    const none = await readConverseStream(undefined, MODEL, undefined, () => 0);
    assert.deepEqual(none.warnings, ['the answer carried no event stream.', 'the answer carried no usage.']);
  });
});
