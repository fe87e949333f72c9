// The Gemini request builder: LlmCall -> the generateContent body (pure; what reaches the wire is
// checked in gemini-send.test.ts).
import assert from 'node:assert/strict';
import { SKIP_THOUGHT_SIGNATURE } from '../../../src/core/llm/providers/gemini/gemini-request';
import type { LlmCall, Message } from '../../../src/core/model/trace';
import { buildGemini, geminiCall } from './gemini-support';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const user = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', text }] });

/** An OpenAI chat agent turn: two parallel tool calls answered by two tool messages. */
function openAiAgentCall(): LlmCall {
  return {
    provider: 'openai',
    api: 'chat.completions',
    requestModel: 'gpt-4o-mini',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
      user('Weather in Paris and Oslo?'),
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_p', name: 'get_weather', arguments: { city: 'Paris' } },
          { type: 'tool_call', id: 'call_o', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_p', content: '{"forecast":"sunny"}' }] },
      { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'call_o', content: 'snow' }] },
    ],
    tools: [WEATHER],
    toolChoice: 'required',
    parameters: { temperature: 0.2, maxTokens: 200, topP: 0.9, stop: ['END'] },
    output: { text: '', toolCalls: [] },
  };
}

describe('gemini adapter: request builder', () => {
  it('puts leading system messages in systemInstruction, maps roles to user/model and always sends generationConfig', () => {
    const req = buildGemini(
      geminiCall([
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'system', parts: [{ type: 'text', text: 'Answer in French.' }] },
        user('Hi'),
        { role: 'assistant', parts: [{ type: 'text', text: 'Bonjour' }] },
        user('Colour of the sky?'),
      ]),
    );
    assert.deepEqual(req.body, {
      model: 'gemini-2.5-flash',
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Bonjour' }] },
        { role: 'user', parts: [{ text: 'Colour of the sky?' }] },
      ],
      generationConfig: {},
    });
    assert.deepEqual(req.warnings, []);
    assert.equal(req.api, 'gemini.generate_content');
    assert.equal(req.stream, false);
  });

  it('streams a streamed recorded call without a stream field in the body (the SDK picks :streamGenerateContent)', () => {
    const req = buildGemini(geminiCall([user('Hi')], { streamed: true }));
    assert.equal(req.stream, true);
    assert.equal('stream' in req.body, false);
  });

  it('moves a mid-conversation system message to the instruction and drops names, empty texts and reasoning, with warnings', () => {
    const req = buildGemini(
      geminiCall([
        user('Hi'),
        { role: 'system', parts: [{ type: 'text', text: 'Now be formal.' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'thinking...' },
            { type: 'text', text: '' },
            { type: 'text', text: 'Hello.' },
          ],
        },
        { role: 'user', name: 'bob', parts: [{ type: 'text', text: 'Thanks' }] },
      ]),
    );
    const body = req.body as Body;
    assert.deepEqual(body.systemInstruction, { role: 'user', parts: [{ text: 'Now be formal.' }] });
    assert.deepEqual(body.contents[1], { role: 'model', parts: [{ text: 'Hello.' }] });
    assert.ok(
      req.warnings.some((w) => /\(message 1\) was moved to the system instruction/.test(w)),
      req.warnings.join('\n'),
    );
    assert.ok(req.warnings.some((w) => /reasoning text cannot be sent back/.test(w)));
    assert.ok(req.warnings.some((w) => /participant name "bob"/.test(w)));
  });

  it('turns OpenAI tool calls and results into functionCall / functionResponse parts paired by name, keeping recorded ids', () => {
    const req = buildGemini(openAiAgentCall());
    const body = req.body as Body;
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'Weather in Paris and Oslo?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'call_p', name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { id: 'call_o', name: 'get_weather', args: { city: 'Oslo' } } },
        ],
      },
      // Both tool messages in one user turn; a JSON object result is the response itself, text goes under "output".
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'call_p', name: 'get_weather', response: { forecast: 'sunny' } } },
          { functionResponse: { id: 'call_o', name: 'get_weather', response: { output: 'snow' } } },
        ],
      },
    ]);
    assert.deepEqual(body.tools, [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Current weather', parametersJsonSchema: WEATHER.parameters },
        ],
      },
    ]);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
    assert.deepEqual(body.generationConfig, {
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 200,
      stopSequences: ['END'],
    });
    assert.deepEqual(req.warnings, []);
  });

  it('pairs calls and results without recorded ids by order and sends no invented id', () => {
    const req = buildGemini(
      geminiCall([
        user('Weather and time in Paris?'),
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } },
            { type: 'tool_call', name: 'get_time', arguments: { city: 'Paris' } },
          ],
        },
        {
          role: 'tool',
          parts: [
            { type: 'tool_result', content: '{"forecast":"rain"}' },
            { type: 'tool_result', content: '"10:00"', isError: true },
          ],
        },
      ]),
    );
    const body = req.body as Body;
    assert.deepEqual(body.contents[1].parts, [
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
      { functionCall: { name: 'get_time', args: { city: 'Paris' } } },
    ]);
    assert.deepEqual(body.contents[2].parts, [
      { functionResponse: { name: 'get_weather', response: { forecast: 'rain' } } },
      { functionResponse: { name: 'get_time', response: { error: '10:00' } } },
    ]);
    assert.deepEqual(req.warnings, [
      'message 1: tool call get_weather had no recorded id; sent without one (Gemini pairs results by function name).',
      'message 1: tool call get_time had no recorded id; sent without one (Gemini pairs results by function name).',
      'message 2: a tool result had no recorded call id; paired in order with the call of get_weather.',
      'message 2: a tool result had no recorded call id; paired in order with the call of get_time.',
    ]);
  });

  it('sends a tool result that answers no call as text, and warns about a call left without a result', () => {
    const req = buildGemini(
      geminiCall([
        user('Go'),
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: {} }] },
        user('Never mind'),
        { role: 'assistant', parts: [{ type: 'text', text: 'OK' }] },
        { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'zzz', content: 'stray' }] },
      ]),
    );
    const body = req.body as Body;
    assert.deepEqual(body.contents[4], { role: 'user', parts: [{ text: 'Tool result (zzz): stray' }] });
    assert.ok(req.warnings.some((w) => /tool result zzz answers no tool call/.test(w)));
    assert.ok(
      req.warnings.some((w) => /tool call lookup has no result in the next turn/.test(w)),
      req.warnings.join('\n'),
    );
  });

  it('warns when the conversation ends with tool calls that have no results', () => {
    const req = buildGemini(
      geminiCall([
        user('Go'),
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: {} }] },
      ]),
    );
    assert.ok(
      req.warnings.some((w) => /ends with tool calls that have no results/.test(w)),
      req.warnings.join('\n'),
    );
  });

  it('sends a result that does not follow its call as text', () => {
    const req = buildGemini(
      geminiCall([
        user('Go'),
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: {} }] },
        { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: '1' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Done' }] },
        { role: 'tool', parts: [{ type: 'tool_result', toolCallId: 'c1', content: '2' }] },
      ]),
    );
    const body = req.body as Body;
    assert.deepEqual(body.contents[2].parts, [
      { functionResponse: { id: 'c1', name: 'lookup', response: { output: 1 } } },
    ]);
    assert.deepEqual(body.contents[4].parts, [{ text: 'Tool result (lookup): {"output":2}' }]);
    assert.ok(req.warnings.some((w) => /result of lookup does not follow its tool call/.test(w)));
  });

  it('keeps tool schemas as JSON Schema (parametersJsonSchema), a Gemini-dialect schema as parameters, and names unenforced keywords', () => {
    const req = buildGemini(
      geminiCall([user('x')], {
        tools: [
          {
            name: 'search',
            parameters: {
              type: 'object',
              properties: { q: { type: 'string', pattern: '^a', minLength: 2 } },
              additionalProperties: false,
            },
          },
          { name: 'native', parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER' } } } },
          { name: 'bare' },
        ],
      }),
    );
    const body = req.body as Body;
    assert.deepEqual(body.tools[0].functionDeclarations, [
      {
        name: 'search',
        parametersJsonSchema: {
          type: 'object',
          properties: { q: { type: 'string', pattern: '^a', minLength: 2 } },
          additionalProperties: false,
        },
      },
      { name: 'native', parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER' } } } },
      { name: 'bare' },
    ]);
    assert.deepEqual(req.warnings, [
      'tool search: Gemini does not enforce the JSON Schema keywords pattern, minLength; sent as recorded (the model may not follow them).',
    ]);
  });

  it('maps tool_choice to functionCallingConfig modes and allowedFunctionNames', () => {
    const config = (toolChoice: LlmCall['toolChoice']) =>
      (buildGemini(geminiCall([user('x')], { tools: [WEATHER], toolChoice })).body as Body).toolConfig;
    assert.deepEqual(config('auto'), { functionCallingConfig: { mode: 'AUTO' } });
    assert.deepEqual(config('none'), { functionCallingConfig: { mode: 'NONE' } });
    assert.deepEqual(config('required'), { functionCallingConfig: { mode: 'ANY' } });
    assert.deepEqual(config({ type: 'tool', name: 'get_weather' }), {
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    const unknown = buildGemini(
      geminiCall([user('x')], { tools: [WEATHER], toolChoice: { type: 'tool', name: 'nope' } }),
    );
    assert.ok(unknown.warnings.some((w) => /tool_choice names nope/.test(w)));
  });

  it('maps parameters to generationConfig: max tokens, at most 5 stop sequences, seed, candidates, penalties', () => {
    const req = buildGemini({
      ...openAiAgentCall(),
      messages: [user('x')],
      tools: undefined,
      toolChoice: undefined,
      parameters: {
        maxTokens: 64,
        temperature: 1.5,
        topK: 40,
        seed: 7,
        n: 2,
        presencePenalty: 0.5,
        frequencyPenalty: 0.1,
        stop: ['a', 'b', 'c', 'd', 'e', 'f'],
      },
    });
    assert.deepEqual((req.body as Body).generationConfig, {
      temperature: 1.5,
      topK: 40,
      maxOutputTokens: 64,
      stopSequences: ['a', 'b', 'c', 'd', 'e'],
      seed: 7,
      candidateCount: 2,
      presencePenalty: 0.5,
      frequencyPenalty: 0.1,
    });
    assert.ok(req.warnings.some((w) => /at most 5 stop sequences; \["f"\] not sent/.test(w)));
    assert.ok(req.warnings.some((w) => /n=2 sent as candidateCount/.test(w)));
    assert.ok(req.warnings.some((w) => /penalties sent as recorded/.test(w)));
  });

  it('maps response formats: json_object -> responseMimeType, json_schema -> responseJsonSchema (name/strict lost, warned)', () => {
    const asJson = buildGemini(geminiCall([user('x')], { responseFormat: { type: 'json_object' } }));
    assert.deepEqual((asJson.body as Body).generationConfig, { responseMimeType: 'application/json' });
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
      additionalProperties: false,
    };
    const fromOpenAi = buildGemini({
      ...openAiAgentCall(),
      messages: [user('x')],
      tools: undefined,
      toolChoice: undefined,
      parameters: {},
      responseFormat: { type: 'json_schema', name: 'answer', strict: true, schema },
    });
    assert.deepEqual((fromOpenAi.body as Body).generationConfig, {
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    assert.ok(fromOpenAi.warnings.some((w) => /name "answer" and strict flag not carried/.test(w)));
    const native = buildGemini(
      geminiCall([user('x')], {
        responseFormat: { type: 'json_schema', schema: { type: 'OBJECT', properties: { a: { type: 'STRING' } } } },
      }),
    );
    assert.deepEqual((native.body as Body).generationConfig.responseSchema, {
      type: 'OBJECT',
      properties: { a: { type: 'STRING' } },
    });
    assert.deepEqual(native.warnings, []);
  });

  it('sends images inline (base64, data: URLs) or as fileData (https URLs, media type from the extension)', () => {
    const req = buildGemini(
      geminiCall([
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Compare' },
            { type: 'image', data: 'AAAA', mediaType: 'image/jpeg' },
            { type: 'image', url: 'data:image/webp;base64,BBBB' },
            { type: 'image', url: 'https://example.com/cat.PNG?x=1' },
            { type: 'image', url: 'https://example.com/render' },
            { type: 'image' },
          ],
        },
      ]),
    );
    assert.deepEqual((req.body as Body).contents[0].parts, [
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/jpeg', data: 'AAAA' } },
      { inlineData: { mimeType: 'image/webp', data: 'BBBB' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.PNG?x=1' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
    ]);
    assert.ok(req.warnings.some((w) => /no recorded media type; sent as image\/jpeg/.test(w)));
    assert.ok(req.warnings.some((w) => /image part without URL or data was dropped/.test(w)));
    const old = buildGemini(
      geminiCall([{ role: 'user', parts: [{ type: 'image', url: 'https://example.com/a.png' }] }]),
      'gemini-2.0-flash',
    );
    assert.ok(old.warnings.some((w) => /gemini-2.0-flash does not fetch external image URLs/.test(w)));
  });

  it('gives Gemini 3 replayed function calls the documented thought-signature placeholder, and maps reasoning effort', () => {
    const call = { ...openAiAgentCall(), parameters: { reasoningEffort: 'low' } };
    const g3 = buildGemini(call, 'gemini-3-pro-preview');
    const body = g3.body as Body;
    assert.deepEqual(body.contents[1].parts[0], {
      functionCall: { id: 'call_p', name: 'get_weather', args: { city: 'Paris' } },
      thoughtSignature: SKIP_THOUGHT_SIGNATURE,
    });
    assert.equal(body.contents[1].parts[1].thoughtSignature, undefined);
    assert.deepEqual(body.generationConfig.thinkingConfig, { thinkingLevel: 'low' });
    assert.ok(g3.warnings.some((w) => /had no Gemini thought signature/.test(w)));
    const g25 = buildGemini(call, 'gemini-2.5-flash');
    assert.equal((g25.body as Body).contents[1].parts[0].thoughtSignature, undefined);
    assert.deepEqual((g25.body as Body).generationConfig.thinkingConfig, { thinkingBudget: 1024 });
    assert.ok(g25.warnings.some((w) => /thinkingBudget=1024 \(an approximation/.test(w)));
  });

  it('translates an Anthropic-recorded tool turn (tool_use ids, tool_result in the user turn with text)', () => {
    const call: LlmCall = {
      provider: 'anthropic',
      api: 'anthropic.messages',
      messages: [
        user('Weather in Rome?'),
        {
          role: 'assistant',
          parts: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Here:' },
            { type: 'tool_result', toolCallId: 'toolu_1', content: '{"forecast":"hot"}' },
          ],
        },
      ],
      tools: [WEATHER],
      parameters: { maxTokens: 100 },
      output: { text: '', toolCalls: [] },
    };
    const req = buildGemini(call);
    assert.deepEqual((req.body as Body).contents.slice(1), [
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'toolu_1', name: 'get_weather', args: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'toolu_1', name: 'get_weather', response: { forecast: 'hot' } } },
          { text: 'Here:' },
        ],
      },
    ]);
    assert.ok(req.warnings.some((w) => /tool results were moved before the other content/.test(w)));
  });

  it('passes recorded Gemini extra parameters through (same API) and lists them as dropped for another API', () => {
    const extra = {
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      responseModalities: ['TEXT'],
    };
    const same = buildGemini(geminiCall([user('x')], { parameters: { extra } }));
    assert.deepEqual((same.body as Body).safetySettings, extra.safetySettings);
    assert.deepEqual((same.body as Body).generationConfig, { responseModalities: ['TEXT'] });
    const other = buildGemini({
      ...openAiAgentCall(),
      messages: [user('x')],
      tools: undefined,
      toolChoice: undefined,
      parameters: { extra: { logit_bias: { 1: 2 } } },
    });
    assert.ok(other.warnings.some((w) => /parameter logit_bias \(recorded for chat.completions\) is not sent/.test(w)));
  });

  it('names Vertex AI and publisher-qualified models as the Gemini API does', () => {
    const vertex = buildGemini(
      geminiCall([user('x')], { provider: 'gcp.vertex_ai' }),
      'projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro',
    );
    assert.equal(vertex.body.model, 'gemini-2.5-pro');
    assert.ok(vertex.warnings.some((w) => /sent as gemini-2.5-pro, its name on the Gemini API/.test(w)));
    assert.equal(buildGemini(geminiCall([user('x')]), 'google/gemini-2.5-flash').body.model, 'gemini-2.5-flash');
    const tuned = buildGemini(geminiCall([user('x')]), 'tunedModels/my-model-123');
    assert.equal(tuned.body.model, 'tunedModels/my-model-123');
    assert.deepEqual(tuned.warnings, []);
  });

  it('sends a call of system messages only as the user turn (Gemini requires contents)', () => {
    const req = buildGemini(geminiCall([{ role: 'system', parts: [{ type: 'text', text: 'Say hi.' }] }]));
    assert.deepEqual((req.body as Body).contents, [{ role: 'user', parts: [{ text: 'Say hi.' }] }]);
    assert.equal((req.body as Body).systemInstruction, undefined);
    assert.ok(req.warnings.some((w) => /only system messages/.test(w)));
  });
});
