// OpenTelemetry set-up: every span the app makes is batched and sent over OTLP/HTTP (protobuf) to
// Trace Replay's receiver, and the OpenAI SDK is instrumented by OpenInference so each model call
// becomes an LLM span with its messages, parameters, tool calls and token counts.
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';

/** Where `trace-replay receive` (or the VS Code command "Start OTLP Receiver") listens by default.
 *  127.0.0.1 rather than the SDK's default `localhost`, because the receiver binds IPv4 loopback only. */
const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/** The standard OpenTelemetry variables decide where traces go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is
 *  the full URL, OTEL_EXPORTER_OTLP_ENDPOINT the base to which /v1/traces is added. */
export function tracesEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT || DEFAULT_OTLP_ENDPOINT;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

export interface Tracing {
  /** Sends the spans still buffered and stops; call it before the process exits or they are lost. */
  shutdown(): Promise<void>;
}

/** Call once, before the first model call. */
export function startTracing(serviceName: string): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesEndpoint() }))],
  });
  // Registered globally so the spans of the app's own steps (openinference-core's traceChain,
  // traceAgent, traceTool) and the instrumented model calls end up in the same traces.
  provider.register();

  // manuallyInstrument patches the class itself, so it works however `openai` was loaded (CommonJS,
  // ESM, tsx); the automatic require hook would only see a CommonJS require made after this point.
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
  instrumentation.manuallyInstrument(OpenAI);

  return { shutdown: () => provider.shutdown() };
}
