'use strict';
// Anthropic SDK instrumented by @arizeai/openinference-instrumentation-anthropic.
const { setupTracing, runApp } = require('./otel-setup.cjs');
const { AnthropicInstrumentation } = require('@arizeai/openinference-instrumentation-anthropic');

const tracing = setupTracing({
  serviceName: 'openinference-anthropic-app',
  instrumentations: [new AnthropicInstrumentation()],
  convention: 'openinference',
});
const { anthropicScenarios } = require('./anthropic-scenarios.cjs');
runApp(tracing, anthropicScenarios(tracing));
