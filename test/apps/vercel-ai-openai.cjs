'use strict';
// Vercel AI SDK (ai 6) with the @ai-sdk/openai provider: chat completions via openai.chat(), and the
// Responses API via openai.responses(). Spans come from the SDK's own experimental_telemetry.
const { setupTracing, runApp } = require('./otel-setup.cjs');

const tracing = setupTracing({ serviceName: 'vercel-ai-openai-app' });
const { createOpenAI } = require('@ai-sdk/openai');
const { vercelScenarios } = require('./vercel-scenarios.cjs');

const openai = createOpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY });
runApp(
  tracing,
  vercelScenarios({
    model: (id) => openai.chat(id),
    modelId: 'gpt-4o-mini',
    responsesModel: (id) => openai.responses(id),
  }),
);
