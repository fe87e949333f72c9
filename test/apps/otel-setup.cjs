'use strict';
// Tracer setup shared by the instrumented test apps: a NodeTracerProvider exporting OTLP/HTTP JSON to
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT through a BatchSpanProcessor, registered globally so the
// instrumentations (and the Anthropic SDK's own tracing) find it. With `logs: true`, also a
// LoggerProvider exporting OTLP/HTTP JSON logs to OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, handed to the
// instrumentations (for libraries that record message content as log events, not span attributes).
const { trace, context, SpanStatusCode } = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');

/** Span attributes each convention uses to mark a workflow root and a tool execution. */
const CONVENTIONS = {
  traceloop: {
    workflow: (name) => ({
      'traceloop.span.kind': 'workflow',
      'traceloop.workflow.name': name,
      'traceloop.entity.name': name,
    }),
    tool: (name, input) => ({
      'traceloop.span.kind': 'tool',
      'traceloop.entity.name': name,
      'traceloop.entity.input': JSON.stringify(input),
    }),
    toolOutput: (output) => ({ 'traceloop.entity.output': JSON.stringify(output) }),
    toolSpanName: (name) => `${name}.tool`,
  },
  openinference: {
    workflow: () => ({ 'openinference.span.kind': 'CHAIN' }),
    tool: (name, input) => ({
      'openinference.span.kind': 'TOOL',
      'tool.name': name,
      'input.value': JSON.stringify(input),
      'input.mime_type': 'application/json',
    }),
    toolOutput: (output) => ({ 'output.value': JSON.stringify(output), 'output.mime_type': 'application/json' }),
    toolSpanName: (name) => name,
  },
  // The Vercel AI SDK records its own tool spans (ai.toolCall); the root is a plain span.
  none: {
    workflow: () => ({}),
    tool: () => ({}),
    toolOutput: () => ({}),
    toolSpanName: (name) => name,
  },
};

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

/**
 * Starts tracing. `instrumentations` are registered before the caller requires the SDK, so the
 * require hooks patch it. Returns helpers to wrap the scenario and to shut down (flush) at the end.
 */
function setupTracing({ serviceName, instrumentations = [], convention = 'none', logs = false }) {
  const exporter = new OTLPTraceExporter({ url: requireEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') });
  const resource = resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'test' });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations });
  const loggerProvider = logs ? setupLogs(resource, instrumentations) : undefined;
  const tracer = trace.getTracer('trace-replay-test-app', '0.1.0');
  const conv = CONVENTIONS[convention];

  async function inSpan(name, attributes, fn) {
    return tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        const result = await fn(span);
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (err) {
        span.recordException(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(err && err.message) });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  return {
    tracer,
    /** Root span of the scenario, so every trace has one root. */
    workflow: (name, fn) => inSpan('workflow', { ...conv.workflow(name), 'app.scenario': name }, fn),
    /** Runs a tool inside its own span, recording input and output in the convention's attributes. */
    runTool: (name, input, fn) =>
      inSpan(conv.toolSpanName(name), conv.tool(name, input), async (span) => {
        const output = await fn(input);
        span.setAttributes(conv.toolOutput(output));
        return output;
      }),
    shutdown: () => Promise.all([provider.shutdown(), loggerProvider && loggerProvider.shutdown()]),
    context,
  };
}

/** A LoggerProvider with a batching OTLP/HTTP JSON log exporter, set globally and on each
 *  instrumentation (registerInstrumentations from @opentelemetry/instrumentation 0.46 passes no
 *  logger provider). */
function setupLogs(resource, instrumentations) {
  const { logs } = require('@opentelemetry/api-logs');
  const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
  const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
  const exporter = new OTLPLogExporter({ url: requireEnv('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT') });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
  logs.setGlobalLoggerProvider(loggerProvider);
  for (const instrumentation of instrumentations) {
    if (typeof instrumentation.setLoggerProvider !== 'function')
      throw new Error(`${instrumentation.instrumentationName} takes no logger provider`);
    instrumentation.setLoggerProvider(loggerProvider);
  }
  return loggerProvider;
}

/** Runs `main(scenario)` and exits 0 only after spans were flushed. */
function runApp(tracing, scenarios) {
  const name = process.argv[2];
  const scenario = scenarios[name];
  if (!scenario) {
    process.stderr.write(`unknown scenario ${name}; expected one of ${Object.keys(scenarios).join(', ')}\n`);
    process.exit(2);
  }
  tracing
    .workflow(name, () => scenario())
    .then(
      () => tracing.shutdown().then(() => process.exit(0)),
      (err) => {
        process.stderr.write(`scenario ${name} failed: ${err && err.stack}\n`);
        return tracing.shutdown().then(() => process.exit(1));
      },
    );
}

/** The tool every agent scenario offers the model. */
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function getWeather({ city }) {
  return { city, forecast: 'sunny', temperatureC: 21 };
}

module.exports = { setupTracing, runApp, WEATHER_TOOL, getWeather };
