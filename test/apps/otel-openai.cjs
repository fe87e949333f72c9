'use strict';
// OpenAI SDK instrumented by the official @opentelemetry/instrumentation-openai (GenAI semconv). Spans
// carry request/response metadata only; the messages go out as OTLP log events (gen_ai.*.message,
// gen_ai.choice; gen_ai.client.inference.operation.details for the Responses API) through the
// LoggerProvider. Content capture is on, except for the `single-nocontent` scenario (the library's
// default), which records the events without any message text.
const { setupTracing, runApp } = require('./otel-setup.cjs');
const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');

const captureMessageContent = process.argv[2] !== 'single-nocontent';
const tracing = setupTracing({
  serviceName: 'otel-openai-app',
  instrumentations: [new OpenAIInstrumentation({ captureMessageContent })],
  logs: true,
});
const { openaiScenarios } = require('./openai-scenarios.cjs');
const scenarios = openaiScenarios(tracing);
runApp(tracing, { ...scenarios, 'single-nocontent': scenarios.single });
