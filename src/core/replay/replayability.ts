// Whether an LLM span can be replayed at all. A span whose instrumentation recorded no input
// messages (content capture off, or content sent in OTLP logs that never reached the receiver)
// would be sent with an empty conversation and "succeed": it is refused instead, before any
// request, with one sentence naming the cause and the switch that records content for the
// instrumentation that produced it. The replay engine, the CLI, the trace detail panel and the
// Replay Trace wizard all ask here.
import type { Span, Trace } from '../model/trace';

export interface RefusedSpan {
  spanId: string;
  reason: string;
}

export interface TraceReplayability {
  /** LLM spans that can be sent. */
  replayable: string[];
  /** LLM spans that cannot, each with its reason. */
  refused: RefusedSpan[];
}

/** The switch that records message content, by the instrumentation (OTel scope) or convention. */
export function contentCaptureHint(span: Span): string {
  const scope = span.scope?.name ?? '';
  const conventions = span.conventions ?? [];
  if (
    /^opentelemetry\.instrumentation\.(openai_v2|google_genai|vertexai)|^@opentelemetry\/instrumentation-openai/.test(
      scope,
    )
  ) {
    return "set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (with the latest conventions, OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental too) and export the app's OTLP logs to the receiver's /v1/logs as well as its traces";
  }
  if (conventions.includes('openinference') || scope.startsWith('openinference.') || scope.startsWith('@arizeai/')) {
    return 'unset OPENINFERENCE_HIDE_INPUTS and OPENINFERENCE_HIDE_INPUT_MESSAGES (or the TraceConfig options hideInputs / hideInputMessages) in the app';
  }
  if (
    conventions.includes('traceloop') ||
    scope.startsWith('opentelemetry.instrumentation.') ||
    scope.startsWith('@traceloop/')
  ) {
    return 'set TRACELOOP_TRACE_CONTENT=true (or traceContent: true) in the app';
  }
  if (conventions.includes('vercel_ai')) {
    return 'pass experimental_telemetry: { isEnabled: true, recordInputs: true } to the AI SDK call';
  }
  if (conventions.includes('langfuse')) {
    return "record the generation's input in Langfuse (input masking or an empty input leaves nothing to send)";
  }
  return "turn on message-content capture in the app's instrumentation";
}

/** Undefined when the span can be replayed; else the one-sentence reason. */
export function unreplayableReason(span: Span): string | undefined {
  const llm = span.llm;
  if (span.kind !== 'llm' || llm === undefined) return undefined;
  // Messages without any part (content capture off still emits one empty log event per message).
  if (llm.messages.some((m) => m.parts.length > 0)) return undefined;
  return `LLM span ${span.id} (${span.name}) recorded no input messages, so there is nothing to send; to record them, ${contentCaptureHint(span)}, then record the trace again.`;
}

export function traceReplayability(trace: Trace): TraceReplayability {
  const out: TraceReplayability = { replayable: [], refused: [] };
  for (const span of trace.spans) {
    if (span.kind !== 'llm' || span.llm === undefined) continue;
    const reason = unreplayableReason(span);
    if (reason === undefined) out.replayable.push(span.id);
    else out.refused.push({ spanId: span.id, reason });
  }
  return out;
}

/** One sentence for a whole trace whose LLM spans cannot all be replayed; undefined when all can. */
export function replayabilitySummary(r: TraceReplayability): string | undefined {
  if (r.refused.length === 0) return undefined;
  const total = r.refused.length + r.replayable.length;
  if (r.refused.length === 1) return r.refused[0].reason;
  return `${r.refused.length} of ${total} LLM spans recorded no input messages and cannot be replayed; first: ${r.refused[0].reason}`;
}
