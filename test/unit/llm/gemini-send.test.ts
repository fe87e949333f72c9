// The Gemini adapter end to end: built request -> @google/genai -> the fake Gemini endpoint -> the
// neutral result. The body on the wire must be the built one (the SDK maps its camelCase config
// onto the REST body; gemini-params.ts undoes that mapping), and equal what an app sends through the
// SDK for the same call.
import assert from 'node:assert/strict';
import { GoogleGenAI } from '@google/genai';
import { ProviderRequestError, RequestAbortedError } from '../../../src/core/llm/llm-errors';
import { geminiProvider } from '../../../src/core/llm/providers/gemini/gemini-provider';
import type { LlmCall, Message } from '../../../src/core/model/trace';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { buildGemini, fakeGeminiConfig, geminiCall, sendGemini, wireBody } from './gemini-support';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const user = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', text }] });

/** A recorded tool-calling turn of `provider`, in its own id style, with a tool result. */
function recordedToolTurn(provider: 'openai' | 'anthropic'): LlmCall {
  const id = provider === 'openai' ? 'call_abc' : 'toolu_01';
  return {
    provider,
    api: provider === 'openai' ? 'chat.completions' : 'anthropic.messages',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Use the tools.' }] },
      user('Weather in Paris?'),
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id,
            name: 'get_weather',
            arguments: provider === 'openai' ? '{"city":"Paris"}' : { city: 'Paris' },
          },
        ],
      },
      provider === 'openai'
        ? { role: 'tool', parts: [{ type: 'tool_result', toolCallId: id, content: '{"forecast":"sunny"}' }] }
        : { role: 'user', parts: [{ type: 'tool_result', toolCallId: id, content: '{"forecast":"sunny"}' }] },
    ],
    tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA }],
    toolChoice: 'auto',
    parameters: { temperature: 0, maxTokens: 300 },
    output: { text: '', toolCalls: [] },
  };
}

describe('gemini adapter: send through @google/genai', () => {
  let llm: FakeLlmServer;
  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => {
    await llm.close();
  });
  beforeEach(() => llm.reset());

  it('sends the built body exactly (model in the path, key in x-goog-api-key) and reads the JSON answer', async () => {
    const call = recordedToolTurn('openai');
    call.parameters = { temperature: 0.3, maxTokens: 50, topP: 0.8, topK: 20, seed: 3, stop: ['END'] };
    call.responseFormat = { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } } } };
    const request = buildGemini(call);
    llm.enqueue({ text: '{"a":"sunny"}', usage: { input: 30, output: 6, reasoning: 2 } });
    const { read, attempts } = await sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl));
    const recorded = llm.requests[0];
    assert.equal(recorded.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(recorded.headers['x-goog-api-key'], 'REDACTED');
    assert.deepEqual(recorded.body, wireBody(request));
    assert.equal(attempts, 1);
    assert.deepEqual(read.output, { text: '{"a":"sunny"}', toolCalls: [], finishReason: 'stop' });
    assert.deepEqual(read.usage, {
      inputTokens: 30,
      outputTokens: 8,
      totalTokens: 38,
      reasoningTokens: 2,
      inputIncludesCache: true,
    });
    assert.equal(read.responseModel, 'gemini-2.5-flash');
  });

  it('sends what an app sends through the SDK for the same call (same-API replay, no overrides)', async () => {
    // The "recorded app": @google/genai used the usual way.
    const app = new GoogleGenAI({ apiKey: 'app-key', vertexai: false, httpOptions: { baseUrl: llm.geminiBaseUrl } });
    llm.enqueue({ text: 'ok' });
    await app.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { forecast: 'sunny' } } }] },
      ],
      config: {
        systemInstruction: { role: 'user', parts: [{ text: 'Use the tools.' }] },
        temperature: 0.7,
        maxOutputTokens: 256,
        stopSequences: ['###'],
        tools: [
          {
            functionDeclarations: [
              { name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: WEATHER_SCHEMA },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' as never } },
        responseMimeType: 'application/json',
      },
    });
    const appBody = structuredClone(llm.requests[0].body) as Body;
    // The same call as a normalizer reads it (Gemini sends no function-call ids).
    const call = geminiCall(
      [
        { role: 'system', parts: [{ type: 'text', text: 'Use the tools.' }] },
        user('Weather in Paris?'),
        { role: 'assistant', parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }] },
        { role: 'tool', parts: [{ type: 'tool_result', content: '{"forecast":"sunny"}' }] },
      ],
      {
        tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA }],
        toolChoice: 'auto',
        responseFormat: { type: 'json_object' },
        parameters: { temperature: 0.7, maxTokens: 256, stop: ['###'] },
      },
    );
    llm.reset();
    llm.enqueue({ text: 'ok' });
    await sendGemini(buildGemini(call), fakeGeminiConfig(llm.geminiBaseUrl));
    assert.deepEqual(llm.requests[0].body, appBody);
    assert.equal(llm.requests[0].path, '/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('carries through extraBody what the SDK would rewrite or does not know (Schema-dialect tools, responseSchema, unknown fields)', async () => {
    const call = geminiCall([user('List colours')], {
      tools: [
        {
          name: 'pick',
          parameters: { type: 'OBJECT', properties: { colour: { type: 'STRING', enum: ['red', 'blue'] } } },
        },
      ],
      responseFormat: { type: 'json_schema', schema: { type: 'ARRAY', items: { type: 'STRING' } } },
      parameters: {
        extra: {
          cachedContent: 'my-cache',
          futureKnob: { level: 2 },
          safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_ONLY_HIGH' }],
        },
      },
    });
    const request = buildGemini(call);
    const before = structuredClone(request.body);
    llm.enqueue({ text: '["red"]' });
    await sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl));
    assert.deepEqual(llm.requests[0].body, wireBody(request));
    assert.equal((llm.requests[0].body as Body).generationConfig.futureKnob.level, 2);
    assert.deepEqual(request.body, before, 'the built request is not edited by the SDK');
  });

  it('streams a streamed call on :streamGenerateContent?alt=sse and times the first content chunk', async () => {
    const request = buildGemini(geminiCall([user('Tell me about Lisbon')], { streamed: true }));
    assert.equal(request.stream, true);
    llm.enqueue({ text: 'Lisbon is sunny and hilly.', usage: { input: 4, output: 5 } });
    const { read } = await sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl));
    assert.equal(llm.requests[0].path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    assert.deepEqual(llm.requests[0].body, wireBody(request));
    assert.equal(read.output.text, 'Lisbon is sunny and hilly.');
    assert.equal(read.output.finishReason, 'stop');
    assert.equal(typeof read.firstContentAt, 'number');
    assert.deepEqual(read.usage, { inputTokens: 4, outputTokens: 5, totalTokens: 9, inputIncludesCache: true });
  });

  it('reads a streamed tool call with its scripted id', async () => {
    const request = buildGemini(
      geminiCall([user('Weather?')], { streamed: true, tools: [{ name: 'get_weather', parameters: WEATHER_SCHEMA }] }),
    );
    llm.enqueue({ toolCalls: [{ id: 'fc_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const { read } = await sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl));
    assert.deepEqual(read.output.toolCalls, [
      { type: 'tool_call', id: 'fc_1', name: 'get_weather', arguments: { city: 'Oslo' } },
    ]);
    assert.equal(read.output.finishReason, 'tool_call');
    assert.deepEqual(read.warnings, []);
  });

  it("maps a 429 to a retryable ProviderRequestError with Google's message and status", async () => {
    llm.enqueue({ status: 429, retryAfter: 3 });
    await assert.rejects(
      sendGemini(buildGemini(geminiCall([user('x')])), fakeGeminiConfig(llm.geminiBaseUrl)),
      (err: unknown) => {
        assert.ok(err instanceof ProviderRequestError, String(err));
        assert.equal(err.status, 429);
        assert.equal(err.retryable, true);
        assert.equal(err.errorType, 'RESOURCE_EXHAUSTED');
        assert.equal(
          err.providerMessage,
          'You exceeded your current quota, please check your plan and billing details.',
        );
        assert.equal(err.retries, 0);
        return true;
      },
    );
  });

  it('maps a 400 to a non-retryable error naming the problem', async () => {
    // Six stop sequences sent as recorded through the same API would be refused; the builder keeps
    // five, so this goes around it to show the mapping of the API's own refusal.
    const request = buildGemini(geminiCall([user('x')]));
    (request.body.generationConfig as Body).stopSequences = ['1', '2', '3', '4', '5', '6'];
    await assert.rejects(sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl)), (err: unknown) => {
      assert.ok(err instanceof ProviderRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.retryable, false);
      assert.equal(err.errorType, 'INVALID_ARGUMENT');
      assert.match(err.providerMessage, /at most 5 stop sequences/);
      return true;
    });
  });

  it('lets the SDK retry a 503 when retries are configured, and counts the attempts', async () => {
    llm.enqueue([{ status: 503 }, { text: 'recovered' }]);
    const { read, attempts } = await sendGemini(
      buildGemini(geminiCall([user('x')])),
      fakeGeminiConfig(llm.geminiBaseUrl, { maxRetries: 1 }),
    );
    assert.equal(read.output.text, 'recovered');
    assert.equal(attempts, 2);
  });

  it('maps an unreachable server to a retryable connection error naming the URL, and a cancelled call to RequestAbortedError', async () => {
    const closed = await startFakeLlmServer();
    await closed.close();
    await assert.rejects(
      sendGemini(buildGemini(geminiCall([user('x')])), fakeGeminiConfig(closed.geminiBaseUrl)),
      (err: unknown) => {
        assert.ok(err instanceof ProviderRequestError, String(err));
        assert.equal(err.retryable, true);
        assert.match(err.providerMessage, new RegExp(`could not reach ${closed.geminiBaseUrl.replace(/[.]/g, '\\.')}`));
        return true;
      },
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      sendGemini(buildGemini(geminiCall([user('x')])), fakeGeminiConfig(llm.geminiBaseUrl), controller.signal),
      RequestAbortedError,
    );
  });

  for (const provider of ['openai', 'anthropic'] as const) {
    it(`keeps the protocol valid for a ${provider}-recorded tool call + result (the fake refuses unpaired function responses)`, async () => {
      const request = buildGemini(recordedToolTurn(provider));
      llm.enqueue({ text: 'Sunny in Paris.' });
      const { read } = await sendGemini(request, fakeGeminiConfig(llm.geminiBaseUrl));
      assert.equal(read.output.text, 'Sunny in Paris.');
      const body = llm.requests[0].body as Body;
      assert.deepEqual(
        body.contents.map((c: Body) => c.role),
        ['user', 'model', 'user'],
      );
      const call = body.contents[1].parts[0].functionCall;
      const response = body.contents[2].parts[0].functionResponse;
      assert.equal(response.name, call.name);
      assert.equal(response.id, call.id);
      assert.deepEqual(response.response, { forecast: 'sunny' });
      assert.deepEqual(request.warnings, []);
    });
  }

  it('takes a configured API version and extra headers', async () => {
    llm.enqueue({ text: 'ok' });
    await sendGemini(
      buildGemini(geminiCall([user('x')])),
      fakeGeminiConfig(llm.geminiBaseUrl, { apiVersion: 'v1', headers: { 'x-team': 'replay' } }),
    );
    assert.equal(llm.requests[0].path, '/v1/models/gemini-2.5-flash:generateContent');
    assert.equal(llm.requests[0].headers['x-team'], 'replay');
  });

  it('is configured from GEMINI_API_KEY or GOOGLE_API_KEY and GEMINI_BASE_URL', () => {
    assert.deepEqual(geminiProvider.configFromEnv({ GOOGLE_API_KEY: 'g', GEMINI_BASE_URL: 'http://127.0.0.1:9' }), {
      kind: 'gemini',
      baseURL: 'http://127.0.0.1:9',
      apiKey: 'g',
      keySource: 'GOOGLE_API_KEY',
    });
    assert.deepEqual(geminiProvider.configFromEnv({ GEMINI_API_KEY: 'a', GOOGLE_API_KEY: 'b' })?.apiKey, 'a');
    const none = geminiProvider.configFromEnv({});
    assert.equal(none?.apiKey, undefined);
    assert.equal(none?.keySource, 'GEMINI_API_KEY (or GOOGLE_API_KEY)');
    assert.equal(none?.baseURL, 'https://generativelanguage.googleapis.com');
  });
});
