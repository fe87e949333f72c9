'use strict';
// Anthropic SDK instrumented by @traceloop/instrumentation-anthropic (OpenLLMetry).
const { setupTracing, runApp } = require('./otel-setup.cjs');
const { AnthropicInstrumentation } = require('@traceloop/instrumentation-anthropic');

// @traceloop/instrumentation-anthropic 0.27 patches Anthropic.Completions, the legacy text-completions
// resource that @anthropic-ai/sdk 1.x no longer has, and throws inside its require hook. A stub
// resource lets its patch reach Messages; nothing calls the stub.
const sdk = require('@anthropic-ai/sdk');
if (!sdk.Anthropic.Completions) {
  sdk.Anthropic.Completions = class Completions {
    create() {
      throw new Error('legacy completions are not available in @anthropic-ai/sdk 1.x');
    }
  };
}

const tracing = setupTracing({
  serviceName: 'traceloop-anthropic-app',
  instrumentations: [new AnthropicInstrumentation({ traceContent: true })],
  convention: 'traceloop',
});
const { anthropicScenarios } = require('./anthropic-scenarios.cjs');
runApp(tracing, anthropicScenarios(tracing));
