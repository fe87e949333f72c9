// Turns a decoded OTLP span into a normalized Span: decides its kind, and for model calls merges
// what every convention present on the span recorded into one LlmCall. Never throws on content:
// what cannot be read is reported on span.warnings and stays in the raw attributes.
import type { Attributes, LlmCall, RawSpan, Span, SpanIo, SpanKind } from '../model/trace';
import { nanosToMillis } from '../model/time';
import { looseValue, str, type ReadContext } from './attribute-readers';
import { detectKind } from './detect-kind';
import { GENAI, hasGenAiCurrent, readGenAiCurrent } from './genai-current';
import { readGenAiLegacy } from './genai-legacy';
import { LANGFUSE, langfuseIo, langfuseType, readLangfuse } from './langfuse-attributes';
import { mergeReadings, type LlmReading, type SpanInput } from './llm-reading';
import { toolResultsInToolRole } from './message-parts';
import { hasOpenInference, OPENINFERENCE, openInferenceIo, readOpenInference } from './openinference';
import { resolveApi } from './provider-api';
import { hasTraceloop, TRACELOOP, traceloopIo, traceloopPrompt } from './traceloop';
import { readVercel, VERCEL_AI, vercelIo, vercelOperation } from './vercel-ai';

export function normalizeSpan(raw: RawSpan): Span {
  const startTime = nanosToMillis(raw.startTimeUnixNano);
  const ctx: ReadContext = { attrs: raw.attributes, warnings: [] };
  const input: SpanInput = {
    ctx,
    name: raw.name,
    scopeName: raw.scope?.name ?? '',
    events: raw.events,
    startMs: startTime,
  };
  const a = raw.attributes;
  const op = vercelOperation(a, raw.name);
  const kind = detectKind(a, op);
  const isLlm = kind === 'llm';

  const conventions: string[] = [];
  const readings: LlmReading[] = [];
  if (hasGenAiCurrent(a)) {
    conventions.push(GENAI);
    if (isLlm) readings.push(readGenAiCurrent(input));
  }
  if (hasOpenInference(a)) {
    conventions.push(OPENINFERENCE);
    if (isLlm) readings.push(readOpenInference(input));
  }
  if (op) {
    conventions.push(VERCEL_AI);
    if (isLlm) readings.push(readVercel(input, op));
  }
  const lf = langfuseType(a);
  if (lf) {
    conventions.push(LANGFUSE);
    if (isLlm) readings.push(readLangfuse(input));
  }
  if (isLlm) {
    const legacy = readGenAiLegacy(input);
    if (legacy) {
      readings.push(legacy);
      conventions.push(legacy.convention);
    }
  }
  if (hasTraceloop(a)) {
    conventions.push(TRACELOOP);
    const prompt = isLlm ? traceloopPrompt(ctx) : undefined;
    if (prompt) readings.push({ convention: TRACELOOP, prompt });
  }

  const span: Span = {
    id: raw.spanId,
    traceId: raw.traceId,
    name: raw.name,
    kind,
    startTime,
    endTime: nanosToMillis(raw.endTimeUnixNano),
    startTimeUnixNano: raw.startTimeUnixNano,
    endTimeUnixNano: raw.endTimeUnixNano,
    status: raw.status,
    attributes: raw.attributes,
    events: raw.events,
    otelKind: raw.otelKind,
    scope: raw.scope,
    resource: raw.resource,
    conventions,
  };
  if (raw.parentSpanId) span.parentId = raw.parentSpanId;
  if (raw.links.length) span.links = raw.links;
  if (isLlm) {
    span.llm = finishCall(mergeReadings(readings), a);
  } else {
    const { io, toolName } = spanIo(input, kind, op);
    if (io) span.io = io;
    if (toolName) span.toolName = toolName;
  }
  if (ctx.warnings.length) span.warnings = ctx.warnings;
  return span;
}

function finishCall(call: LlmCall, a: Attributes): LlmCall {
  const chatLike = a['gen_ai.operation.name'] !== 'text_completion' && a['llm.request.type'] !== 'completion';
  call.api = resolveApi(call.provider, call.api, call.responseId, chatLike);
  call.messages = toolResultsInToolRole(call.messages);
  return call;
}

/** Tool name and recorded input/output of a non-LLM span; the first convention that has a value wins. */
function spanIo(input: SpanInput, kind: SpanKind, op: string | undefined): { io?: SpanIo; toolName?: string } {
  const { ctx } = input;
  const a = ctx.attrs;
  const candidates: (SpanIo | undefined)[] = [];
  let toolName: string | undefined;
  if (kind === 'tool') {
    toolName = str(a, 'gen_ai.tool.name') ?? str(a, 'tool.name');
    const genAi: SpanIo = {};
    if (a['gen_ai.tool.call.arguments'] !== undefined)
      genAi.input = looseValue(ctx, 'gen_ai.tool.call.arguments', a['gen_ai.tool.call.arguments']);
    if (a['gen_ai.tool.call.result'] !== undefined)
      genAi.output = looseValue(ctx, 'gen_ai.tool.call.result', a['gen_ai.tool.call.result']);
    candidates.push(genAi);
  }
  if (op) {
    const v = vercelIo(input, op);
    toolName ??= v.toolName;
    candidates.push(v.io);
  }
  candidates.push(openInferenceIo(ctx), traceloopIo(ctx), langfuseType(a) ? langfuseIo(input) : undefined);
  if (kind === 'tool') toolName ??= str(a, 'traceloop.entity.name') ?? input.name;
  const io: SpanIo = {};
  for (const c of candidates) {
    if (!c) continue;
    if (io.input === undefined && c.input !== undefined) io.input = c.input;
    if (io.output === undefined && c.output !== undefined) io.output = c.output;
  }
  return { io: io.input === undefined && io.output === undefined ? undefined : io, toolName };
}
