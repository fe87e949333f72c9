// The Gemini answer readers: GenerateContentResponse (and a stream of them) -> the neutral result.
// Answers come from the real SDK talking to the fake server where it can produce them; the rest
// (safety stops, blocked prompts, thoughts, several candidates) are GenerateContentResponse objects
// as the SDK hands them over.
import assert from 'node:assert/strict';
import { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import {
  geminiFinishReason,
  geminiUsage,
  readGeminiResponse,
  readGeminiStream,
} from '../../../src/core/llm/providers/gemini/gemini-response';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

function response(fields: Partial<GenerateContentResponse>): GenerateContentResponse {
  return Object.assign(new GenerateContentResponse(), fields);
}

/** Yields the chunks with the clock set to each chunk's index while the reader handles it. */
function replay<T>(chunks: T[], clock: { t: number }): AsyncIterable<T> {
  return (async function* () {
    for (const [i, c] of chunks.entries()) {
      clock.t = i;
      yield c;
    }
  })();
}

describe('gemini adapter: answer readers', () => {
  let llm: FakeLlmServer;
  let client: GoogleGenAI;
  before(async () => {
    llm = await startFakeLlmServer();
    client = new GoogleGenAI({
      apiKey: 'gemini-test-key',
      vertexai: false,
      httpOptions: { baseUrl: llm.geminiBaseUrl },
    });
  });
  after(async () => {
    await llm.close();
  });
  beforeEach(() => llm.reset());

  it('reads text, tool calls (ids named <name>_<n> when Gemini gives none), STOP with calls as tool_call, usage, model and id', async () => {
    llm.enqueue({
      text: 'Checking.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'fc_9', name: 'get_time', arguments: {} },
      ],
      usage: { input: 40, output: 12, cacheRead: 30, reasoning: 5 },
      model: 'gemini-2.5-flash-001',
    });
    const read = readGeminiResponse(
      await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Weather?' }),
    );
    assert.deepEqual(read.output, {
      text: 'Checking.',
      toolCalls: [
        { type: 'tool_call', id: 'get_weather_1', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'tool_call', id: 'fc_9', name: 'get_time', arguments: {} },
      ],
      finishReason: 'tool_call',
    });
    assert.deepEqual(read.usage, {
      inputTokens: 40,
      outputTokens: 17,
      totalTokens: 57,
      cacheReadTokens: 30,
      reasoningTokens: 5,
      inputIncludesCache: true,
    });
    assert.equal(read.responseModel, 'gemini-2.5-flash-001');
    assert.match(read.responseId ?? '', /^fakeResp/);
    assert.deepEqual(read.warnings, [
      'Gemini gave no id for 1 tool call; named get_weather_1 (name_position) to pair the results.',
    ]);
  });

  it('normalizes finish reasons', () => {
    assert.equal(geminiFinishReason('STOP', false), 'stop');
    assert.equal(geminiFinishReason('STOP', true), 'tool_call');
    assert.equal(geminiFinishReason('MAX_TOKENS', false), 'length');
    assert.equal(geminiFinishReason('SAFETY', false), 'content_filter');
    assert.equal(geminiFinishReason('PROHIBITED_CONTENT', false), 'content_filter');
    assert.equal(geminiFinishReason('MALFORMED_FUNCTION_CALL', false), 'MALFORMED_FUNCTION_CALL');
    assert.equal(geminiFinishReason('FINISH_REASON_UNSPECIFIED', false), undefined);
    assert.equal(geminiFinishReason(undefined, false), undefined);
  });

  it('counts tool-use prompt tokens as input and thoughts as output', () => {
    assert.deepEqual(
      geminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 17 }),
      {
        inputTokens: 14,
        outputTokens: 3,
        totalTokens: 17,
        inputIncludesCache: true,
      },
    );
    assert.equal(geminiUsage(undefined), undefined);
  });

  it('reads thought parts as reasoning, warns on a safety stop, extra candidates and unread part kinds', () => {
    const read = readGeminiResponse(
      response({
        candidates: [
          {
            index: 0,
            finishReason: 'SAFETY' as never,
            finishMessage: 'Blocked for safety.',
            content: {
              role: 'model',
              parts: [
                { text: 'Let me think.', thought: true, thoughtSignature: 'sig' },
                { text: 'Partial' },
                { executableCode: { code: 'print(1)' } },
              ],
            },
          },
          { index: 1, content: { role: 'model', parts: [{ text: 'other' }] } },
        ],
      }),
    );
    assert.deepEqual(read.output, {
      text: 'Partial',
      toolCalls: [],
      finishReason: 'content_filter',
      reasoning: 'Let me think.',
    });
    assert.deepEqual(read.warnings, [
      'Gemini returned 2 candidates; only the first is read.',
      'Gemini ended the answer with SAFETY: Blocked for safety.',
      'a response part of kind executableCode is not read.',
    ]);
  });

  it('reports a blocked prompt (no candidates) as content_filter with the block reason', () => {
    const read = readGeminiResponse(
      response({
        promptFeedback: { blockReason: 'PROHIBITED_CONTENT' as never },
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
      }),
    );
    assert.deepEqual(read.output, { text: '', toolCalls: [], finishReason: 'content_filter' });
    assert.deepEqual(read.warnings, ['Gemini blocked the prompt (PROHIBITED_CONTENT); no answer.']);
    assert.equal(read.usage?.inputTokens, 8);
  });

  it('assembles a stream: text pieces, whole function calls, the last usage, and the first content chunk as first token', async () => {
    llm.enqueue({
      text: 'It is sunny in Lisbon.',
      toolCalls: [{ name: 'log', arguments: { ok: true } }],
      usage: { input: 20, output: 9 },
    });
    const chunks: GenerateContentResponse[] = [];
    for await (const c of await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Weather?',
    }))
      chunks.push(c);
    // A chunk without content first (as Gemini may send one), so the first token is not the first chunk.
    const empty = response({
      candidates: [{ index: 0, content: { role: 'model', parts: [{ text: '' }] } }],
      modelVersion: 'gemini-2.5-flash',
    });
    const clock = { t: -1 };
    const read = await readGeminiStream(replay([empty, ...chunks], clock), () => clock.t);
    assert.equal(read.firstContentAt, 1);
    assert.equal(read.output.text, 'It is sunny in Lisbon.');
    assert.deepEqual(read.output.toolCalls, [{ type: 'tool_call', id: 'log_1', name: 'log', arguments: { ok: true } }]);
    assert.equal(read.output.finishReason, 'tool_call');
    assert.deepEqual(read.usage, { inputTokens: 20, outputTokens: 9, totalTokens: 29, inputIncludesCache: true });
    assert.equal(read.responseModel, 'gemini-2.5-flash');
    assert.match(read.responseId ?? '', /^fakeResp/);
  });
});
