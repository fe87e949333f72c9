'use strict';
// Vercel AI SDK (ai 6) with the @ai-sdk/google provider (Gemini API, generateContent /
// streamGenerateContent). Spans come from the SDK's own experimental_telemetry.
const { setupTracing, runApp } = require('./otel-setup.cjs');

const tracing = setupTracing({ serviceName: 'vercel-ai-google-app' });
const { createGoogleGenerativeAI } = require('@ai-sdk/google');
const { vercelScenarios } = require('./vercel-scenarios.cjs');

const baseUrl = process.env.GEMINI_BASE_URL;
if (!baseUrl) throw new Error('GEMINI_BASE_URL must be set');
const google = createGoogleGenerativeAI({
  baseURL: `${baseUrl}/v1beta`,
  apiKey: process.env.GOOGLE_GENERATIVE_AI_API_KEY,
});
runApp(tracing, vercelScenarios({ model: (id) => google(id), modelId: 'gemini-2.0-flash' }));
