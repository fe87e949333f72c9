'use strict';
// Vercel AI SDK (ai 6) with the @ai-sdk/anthropic provider (its own fetch client, not @anthropic-ai/sdk).
const { setupTracing, runApp } = require('./otel-setup.cjs');

const tracing = setupTracing({ serviceName: 'vercel-ai-anthropic-app' });
const { createAnthropic } = require('@ai-sdk/anthropic');
const { vercelScenarios } = require('./vercel-scenarios.cjs');

// @ai-sdk/anthropic expects the versioned base URL (it appends /messages).
const anthropic = createAnthropic({
  baseURL: `${process.env.ANTHROPIC_BASE_URL}/v1`,
  apiKey: process.env.ANTHROPIC_API_KEY,
});
runApp(tracing, vercelScenarios({ model: (id) => anthropic(id), modelId: 'claude-haiku-4-5' }));
