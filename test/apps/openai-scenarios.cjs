'use strict';
// Scenarios written against the official openai SDK; the instrumentation under test is set up by
// the entry file before this module requires `openai`.
const { WEATHER_TOOL, getWeather } = require('./otel-setup.cjs');

const MODEL = 'gpt-4o-mini';
const SYSTEM = 'You are a concise assistant.';

function openaiScenarios(tracing) {
  const OpenAI = require('openai');
  const client = new OpenAI({
    apiKey: process.env.OPENAI_API_KEY || 'sk-test',
    baseURL: process.env.OPENAI_BASE_URL,
    maxRetries: 0,
  });
  const tools = [{ type: 'function', function: WEATHER_TOOL }];

  return {
    async single() {
      await client.chat.completions.create({
        model: MODEL,
        temperature: 0.3,
        max_tokens: 64,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Name three primary colours.' },
        ],
      });
    },
    async chain() {
      const first = await client.chat.completions.create({
        model: MODEL,
        temperature: 0,
        messages: [{ role: 'user', content: 'Write a one-line poem about the sea.' }],
      });
      const poem = first.choices[0].message.content;
      await client.chat.completions.create({
        model: MODEL,
        temperature: 0,
        messages: [{ role: 'user', content: `Translate to French: ${poem}` }],
      });
    },
    async agent() {
      const messages = [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'What is the weather in Paris?' },
      ];
      const first = await client.chat.completions.create({ model: MODEL, temperature: 0, messages, tools });
      const assistant = first.choices[0].message;
      messages.push(assistant);
      for (const call of assistant.tool_calls || []) {
        const result = await tracing.runTool(call.function.name, JSON.parse(call.function.arguments), getWeather);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
      await client.chat.completions.create({ model: MODEL, temperature: 0, messages, tools });
    },
    async stream() {
      const stream = await client.chat.completions.create({
        model: MODEL,
        temperature: 0.7,
        max_tokens: 100,
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Tell me a short fact about owls.' },
        ],
      });
      let text = '';
      for await (const chunk of stream) text += (chunk.choices[0] && chunk.choices[0].delta.content) || '';
      if (text === '') throw new Error('empty stream');
    },
    async responses() {
      await client.responses.create({
        model: 'gpt-4.1-mini',
        instructions: SYSTEM,
        input: 'Give me a haiku about autumn.',
        temperature: 0.5,
        max_output_tokens: 80,
      });
    },
  };
}

module.exports = { openaiScenarios };
