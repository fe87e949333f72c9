'use strict';
// OpenAI SDK instrumented by @traceloop/instrumentation-openai (OpenLLMetry).
const { setupTracing, runApp } = require('./otel-setup.cjs');
const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');

const tracing = setupTracing({
  serviceName: 'traceloop-openai-app',
  instrumentations: [new OpenAIInstrumentation({ traceContent: true })],
  convention: 'traceloop',
});
const { openaiScenarios } = require('./openai-scenarios.cjs');
runApp(tracing, openaiScenarios(tracing));
