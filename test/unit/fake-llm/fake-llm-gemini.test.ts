import assert from 'node:assert/strict';
import { ApiError, FinishReason, GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';

const weatherTool = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
};

describe('fake LLM server: @google/genai (Gemini API)', () => {
  let server: FakeLlmServer;
  let client: GoogleGenAI;

  before(async () => {
    server = await startFakeLlmServer();
    client = new GoogleGenAI({
      apiKey: 'gemini-test-key',
      vertexai: false,
      httpOptions: { baseUrl: server.geminiBaseUrl },
    });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  it('answers generateContent with the default text and records the REST body, path and redacted key', async () => {
    const res = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Name a colour.' }] }],
      config: { systemInstruction: 'Be brief.', temperature: 0.2, maxOutputTokens: 100, stopSequences: ['END'] },
    });
    assert.equal(res.text, 'fake:gemini-2.5-flash: Name a colour.');
    assert.equal(res.candidates?.[0].finishReason, FinishReason.STOP);
    assert.equal(res.modelVersion, 'gemini-2.5-flash');
    assert.match(res.responseId ?? '', /^fakeResp/);
    const recorded = server.requests[0];
    assert.equal(recorded.api, 'gemini.generate_content');
    assert.equal(recorded.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(recorded.headers['x-goog-api-key'], 'REDACTED');
    // The SDK moves systemInstruction to the top level and sampling parameters into generationConfig.
    assert.deepEqual(recorded.body, {
      contents: [{ role: 'user', parts: [{ text: 'Name a colour.' }] }],
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 100, stopSequences: ['END'] },
    });
    // 'Be brief.' + 'Name a colour.' = 5 words.
    assert.equal(res.usageMetadata?.promptTokenCount, 5);
  });

  it('returns functionCall parts (no id unless scripted) and usage with cache and thoughts', async () => {
    server.enqueue({
      text: 'Looking it up.',
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'fc_2', name: 'get_weather', arguments: { city: 'Rome' } },
      ],
      usage: { input: 50, output: 15, cacheRead: 20, reasoning: 9 },
    });
    const res = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris and Rome?',
      config: { tools: [weatherTool] },
    });
    assert.deepEqual(res.functionCalls, [
      { name: 'get_weather', args: { city: 'Paris' } },
      { id: 'fc_2', name: 'get_weather', args: { city: 'Rome' } },
    ]);
    assert.equal(res.candidates?.[0].finishReason, FinishReason.STOP);
    assert.deepEqual(res.usageMetadata, {
      promptTokenCount: 50,
      candidatesTokenCount: 15,
      totalTokenCount: 74,
      cachedContentTokenCount: 20,
      thoughtsTokenCount: 9,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 50 }],
    });
    assert.deepEqual(server.requests[0].body.tools, [weatherTool]);
  });

  it('streams SSE chunks on :streamGenerateContent?alt=sse that the SDK yields one by one', async () => {
    server.enqueue({
      text: 'Let me check that.',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }],
      finishReason: 'MAX_TOKENS',
      usage: { input: 33, output: 21 },
    });
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-pro',
      contents: 'Weather?',
      config: { tools: [weatherTool] },
    });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.length > 2);
    const texts = chunks.flatMap((c) => c.candidates?.[0].content?.parts ?? []).map((p) => p.text ?? '');
    assert.equal(texts.join(''), 'Let me check that.');
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.functionCalls, [{ name: 'get_weather', args: { city: 'Lisbon' } }]);
    assert.equal(last.candidates?.[0].finishReason, FinishReason.MAX_TOKENS);
    assert.equal(chunks.filter((c) => c.candidates?.[0].finishReason !== undefined).length, 1);
    assert.equal(last.usageMetadata?.promptTokenCount, 33);
    assert.equal(last.usageMetadata?.candidatesTokenCount, 21);
    assert.equal(server.requests[0].path, '/v1beta/models/gemini-2.5-pro:streamGenerateContent');
  });

  it('counts tokens without consuming a scripted reply', async () => {
    server.enqueue({ text: 'kept' });
    const res = await client.models.countTokens({ model: 'gemini-2.5-flash', contents: 'one two three' });
    assert.equal(res.totalTokens, 3);
    assert.equal(server.requests[0].api, 'count_tokens');
    const next = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    assert.equal(next.text, 'kept');
  });

  it('surfaces an injected 429 (RetryInfo detail) and 503 as the SDK ApiError with Google error JSON', async () => {
    server.enqueue([{ status: 429, retryAfter: 7 }, { status: 503 }]);
    const ask = () => client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    await assert.rejects(ask(), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 429);
      const body = JSON.parse(err.message) as { error: { code: number; status: string; details: unknown[] } };
      assert.equal(body.error.code, 429);
      assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');
      assert.deepEqual(body.error.details, [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }]);
      return true;
    });
    await assert.rejects(
      ask(),
      (err: unknown) => err instanceof ApiError && err.status === 503 && /UNAVAILABLE/.test(err.message),
    );
  });

  it("refuses, like the real API, a function response that does not answer the previous turn's calls", async () => {
    const ask = (names: string[]) =>
      client.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: [
          { role: 'user', parts: [{ text: 'Weather?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          { role: 'user', parts: names.map((name) => ({ functionResponse: { name, response: { output: 'sunny' } } })) },
        ],
        config: { tools: [weatherTool] },
      });
    await assert.rejects(
      ask(['get_time']),
      (err: unknown) =>
        err instanceof ApiError && err.status === 400 && /do not match the function calls/.test(err.message),
    );
    await assert.rejects(
      ask(['get_weather', 'get_weather']),
      (err: unknown) => err instanceof ApiError && /number of function response parts/.test(err.message),
    );
    server.enqueue({ text: 'Sunny.' });
    assert.equal((await ask(['get_weather'])).text, 'Sunny.');
  });

  it("rejects a request without a key with Google's UNAUTHENTICATED error", async () => {
    const res = await fetch(`${server.geminiBaseUrl}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { code: number; status: string } };
    assert.equal(body.error.code, 401);
    assert.equal(body.error.status, 'UNAUTHENTICATED');
  });
});
