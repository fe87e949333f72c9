'use strict';
// OpenAI SDK instrumented by @arizeai/openinference-instrumentation-openai.
const { setupTracing, runApp } = require('./otel-setup.cjs');
const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');

const tracing = setupTracing({
  serviceName: 'openinference-openai-app',
  instrumentations: [new OpenAIInstrumentation()],
  convention: 'openinference',
});
const { openaiScenarios } = require('./openai-scenarios.cjs');
runApp(tracing, openaiScenarios(tracing));
