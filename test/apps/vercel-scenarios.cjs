'use strict';
// Scenarios written against the Vercel AI SDK with experimental_telemetry; `model(id)` comes from the
// entry file (the openai or anthropic provider).
const { generateText, streamText, tool, jsonSchema, stepCountIs } = require('ai');
const { WEATHER_TOOL, getWeather } = require('./otel-setup.cjs');

const SYSTEM = 'You are a concise assistant.';

function telemetry(functionId) {
  return { isEnabled: true, functionId, metadata: { app: 'vercel-test-app' } };
}

function vercelScenarios({ model, modelId, responsesModel }) {
  const weather = tool({
    description: WEATHER_TOOL.description,
    inputSchema: jsonSchema(WEATHER_TOOL.parameters),
    execute: async (input) => getWeather(input),
  });

  const scenarios = {
    async single() {
      await generateText({
        model: model(modelId),
        system: SYSTEM,
        prompt: 'Name three primary colours.',
        temperature: 0.3,
        maxOutputTokens: 64,
        experimental_telemetry: telemetry('single'),
      });
    },
    async chain() {
      const first = await generateText({
        model: model(modelId),
        prompt: 'Write a one-line poem about the sea.',
        temperature: 0,
        maxOutputTokens: 64,
        experimental_telemetry: telemetry('chain-poem'),
      });
      await generateText({
        model: model(modelId),
        prompt: `Translate to French: ${first.text}`,
        temperature: 0,
        maxOutputTokens: 64,
        experimental_telemetry: telemetry('chain-translate'),
      });
    },
    async agent() {
      await generateText({
        model: model(modelId),
        system: SYSTEM,
        prompt: 'What is the weather in Paris?',
        temperature: 0,
        maxOutputTokens: 256,
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        experimental_telemetry: telemetry('agent'),
      });
    },
    async stream() {
      const result = streamText({
        model: model(modelId),
        system: SYSTEM,
        prompt: 'Tell me a short fact about owls.',
        temperature: 0.7,
        maxOutputTokens: 100,
        experimental_telemetry: telemetry('stream'),
      });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      await result.usage;
      if (text === '') throw new Error('empty stream');
    },
  };
  if (responsesModel) {
    scenarios.responses = async () => {
      await generateText({
        model: responsesModel('gpt-4.1-mini'),
        system: SYSTEM,
        prompt: 'Give me a haiku about autumn.',
        temperature: 0.5,
        maxOutputTokens: 80,
        experimental_telemetry: telemetry('responses'),
      });
    };
  }
  return scenarios;
}

module.exports = { vercelScenarios };
