'use strict';
// Scenarios written against the official @anthropic-ai/sdk; the instrumentation under test is set up
// by the entry file before this module requires the SDK.
const { WEATHER_TOOL, getWeather } = require('./otel-setup.cjs');

const MODEL = 'claude-haiku-4-5';
const SYSTEM = 'You are a concise assistant.';

function textOf(message) {
  return message.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

function anthropicScenarios(tracing) {
  const { Anthropic } = require('@anthropic-ai/sdk');
  const client = new Anthropic({
    apiKey: process.env.ANTHROPIC_API_KEY || 'sk-ant-test',
    baseURL: process.env.ANTHROPIC_BASE_URL,
    maxRetries: 0,
  });
  const tools = [
    { name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters },
  ];

  return {
    async single() {
      await client.messages.create({
        model: MODEL,
        max_tokens: 64,
        temperature: 0.3,
        system: SYSTEM,
        messages: [{ role: 'user', content: 'Name three primary colours.' }],
      });
    },
    async chain() {
      const first = await client.messages.create({
        model: MODEL,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Write a one-line poem about the sea.' }],
      });
      await client.messages.create({
        model: MODEL,
        max_tokens: 64,
        messages: [{ role: 'user', content: `Translate to French: ${textOf(first)}` }],
      });
    },
    async agent() {
      const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const first = await client.messages.create({
        model: MODEL,
        max_tokens: 256,
        temperature: 0,
        system: SYSTEM,
        messages,
        tools,
      });
      messages.push({ role: 'assistant', content: first.content });
      const results = [];
      for (const block of first.content) {
        if (block.type !== 'tool_use') continue;
        const result = await tracing.runTool(block.name, block.input, getWeather);
        results.push({ type: 'tool_result', tool_use_id: block.id, content: JSON.stringify(result) });
      }
      messages.push({ role: 'user', content: results });
      await client.messages.create({ model: MODEL, max_tokens: 256, temperature: 0, system: SYSTEM, messages, tools });
    },
    async stream() {
      const stream = await client.messages.create({
        model: MODEL,
        max_tokens: 100,
        temperature: 0.7,
        stream: true,
        system: SYSTEM,
        messages: [{ role: 'user', content: 'Tell me a short fact about owls.' }],
      });
      let text = '';
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
      if (text === '') throw new Error('empty stream');
    },
  };
}

module.exports = { anthropicScenarios };
