// Langfuse v2 observations -> the normalized trace. Each observation becomes a RawSpan carrying
// the `langfuse.observation.*` / `langfuse.trace.*` attributes the Langfuse SDKs emit over OTLP,
// and goes through the normalizer like any received span (the normalizer's Langfuse reader does
// messages, tools, parameters, prompt link, time to first token). What the API gives beyond the
// SDK attributes is applied afterwards (refineLlm): Langfuse's usage semantics, Anthropic-style
// `system`, content-block outputs, plain-text io.
import type { Attributes, LlmCall, Message, RawSpan, Span, Trace, Usage } from '../../model/trace';
import { assembleTrace } from '../../normalize/assemble-trace';
import { isRecord, toNumber, tryParseJson } from '../../normalize/attribute-readers';
import {
  contentPart,
  looseMessages,
  outputFromMessages,
  systemInstructionMessage,
} from '../../normalize/message-parts';
import { normalizeSpan } from '../../normalize/normalize-span';
import type { ObservationV2 } from './langfuse-api-types';

export const LANGFUSE_SCOPE = 'langfuse';

const ISO_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/** ISO time -> nanosecond decimal string, keeping sub-millisecond digits when present. */
export function isoToNanos(iso: string): string | undefined {
  const m = ISO_RE.exec(iso.trim());
  if (!m) {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? (BigInt(Math.round(ms)) * 1_000_000n).toString() : undefined;
  }
  const secondsMs = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(secondsMs)) return undefined;
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'));
  return (BigInt(secondsMs) * 1_000_000n + frac).toString();
}

/** Raw io string -> an attribute value that is always valid JSON (what the SDKs send), so the
 *  normalizer never warns about plain text. Non-strings (older servers) are JSON-encoded. */
function ioAttr(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return JSON.stringify(value);
  return tryParseJson(value).ok ? value : JSON.stringify(value);
}

/** Raw io string -> its JSON value, or the text itself when it is not JSON. */
export function parseIo(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  const parsed = tryParseJson(value);
  return parsed.ok ? parsed.value : value;
}

export function observationModel(o: ObservationV2): string | undefined {
  return o.model ?? o.providedModelName ?? undefined;
}

function observationAttributes(o: ObservationV2, isRoot: boolean): Attributes {
  const a: Attributes = { 'langfuse.observation.type': o.type.toLowerCase() };
  const input = ioAttr(o.input);
  if (input !== undefined) a['langfuse.observation.input'] = input;
  const output = ioAttr(o.output);
  if (output !== undefined) a['langfuse.observation.output'] = output;
  const model = observationModel(o);
  if (model) a['langfuse.observation.model.name'] = model;
  if (isRecord(o.modelParameters) && Object.keys(o.modelParameters).length)
    a['langfuse.observation.model.parameters'] = JSON.stringify(o.modelParameters);
  if (o.usageDetails && Object.keys(o.usageDetails).length)
    a['langfuse.observation.usage_details'] = JSON.stringify(o.usageDetails);
  const cost =
    o.costDetails && Object.keys(o.costDetails).length
      ? o.costDetails
      : typeof o.totalCost === 'number'
        ? { total: o.totalCost }
        : undefined;
  if (cost) a['langfuse.observation.cost_details'] = JSON.stringify(cost);
  if (o.promptName) a['langfuse.observation.prompt.name'] = o.promptName;
  if (typeof o.promptVersion === 'number') a['langfuse.observation.prompt.version'] = o.promptVersion;
  if (o.completionStartTime) a['langfuse.observation.completion_start_time'] = JSON.stringify(o.completionStartTime);
  if (o.level && o.level !== 'DEFAULT') a['langfuse.observation.level'] = o.level;
  if (o.statusMessage) a['langfuse.observation.status_message'] = o.statusMessage;
  if (o.version) a['langfuse.version'] = o.version;
  if (o.environment) a['langfuse.environment'] = o.environment;
  if (isRecord(o.metadata)) {
    for (const [k, v] of Object.entries(o.metadata))
      a[`langfuse.observation.metadata.${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (isRoot) {
    if (o.traceName) a['langfuse.trace.name'] = o.traceName;
    if (o.tags?.length) a['langfuse.trace.tags'] = [...o.tags];
    if (o.userId) a['user.id'] = o.userId;
    if (o.sessionId) a['session.id'] = o.sessionId;
    if (o.release) a['langfuse.release'] = o.release;
  }
  return a;
}

export function observationToRawSpan(o: ObservationV2, traceId: string, isRoot: boolean): RawSpan {
  const start = isoToNanos(o.startTime) ?? '0';
  let end = o.endTime ? (isoToNanos(o.endTime) ?? start) : start;
  if (BigInt(end) < BigInt(start)) end = start;
  const raw: RawSpan = {
    traceId,
    spanId: o.id,
    name: o.name ?? o.type.toLowerCase(),
    otelKind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: observationAttributes(o, isRoot),
    events: [],
    links: [],
    status:
      o.level === 'ERROR'
        ? { code: 'error', ...(o.statusMessage ? { message: o.statusMessage } : {}) }
        : { code: 'unset' },
    resource: {},
    scope: { name: LANGFUSE_SCOPE },
  };
  if (o.parentObservationId) raw.parentSpanId = o.parentObservationId;
  return raw;
}

/** Langfuse's usage model: `input` is the uncached part, cache reads/writes are separate (separately
 *  priced) keys on top of it, so inputIncludesCache is false. */
export function usageFromDetails(details: Record<string, number> | null | undefined): Usage | undefined {
  if (!details) return undefined;
  const n = (...keys: string[]): number | undefined => {
    for (const k of keys) {
      const v = toNumber(details[k]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const usage: Usage = { inputIncludesCache: false };
  const set = (key: Exclude<keyof Usage, 'inputIncludesCache'>, v: number | undefined): void => {
    if (v !== undefined) usage[key] = v;
  };
  set('inputTokens', n('input', 'input_tokens', 'prompt_tokens'));
  set('outputTokens', n('output', 'output_tokens', 'completion_tokens'));
  set('totalTokens', n('total', 'total_tokens'));
  set('cacheReadTokens', n('cache_read_input_tokens', 'input_cached_tokens', 'input_cache_read', 'cached_tokens'));
  set('cacheWriteTokens', n('cache_creation_input_tokens', 'input_cache_creation', 'input_cache_write'));
  set('reasoningTokens', n('output_reasoning_tokens', 'output_reasoning', 'reasoning_tokens'));
  return Object.keys(usage).length > 1 ? usage : undefined;
}

function isContentBlockList(v: unknown): v is unknown[] {
  return (
    Array.isArray(v) && v.length > 0 && v.every((b) => isRecord(b) && typeof b.type === 'string' && !('role' in b))
  );
}

function refineLlm(call: LlmCall, o: ObservationV2): LlmCall {
  const out: LlmCall = { ...call };
  const input = parseIo(o.input);
  if (isRecord(input)) {
    // Anthropic-style {system, messages} and Responses-style {instructions, input}.
    const system = systemInstructionMessage(input.system ?? input.instructions);
    if (Array.isArray(input.input) && !Array.isArray(input.messages)) out.messages = looseMessages(input.input);
    if (system && !out.messages.some((m) => m.role === 'system')) out.messages = [system, ...out.messages];
  }
  const output = parseIo(o.output);
  let outMessages: Message[] | undefined;
  if (isContentBlockList(output)) outMessages = [{ role: 'assistant', parts: output.map(contentPart) }];
  else if (
    isRecord(output) &&
    Array.isArray(output.choices) &&
    isRecord(output.choices[0]) &&
    isRecord(output.choices[0].message)
  ) {
    outMessages = looseMessages([{ ...output.choices[0].message, role: 'assistant' }]);
  } else if (isRecord(output) && isContentBlockList(output.content)) {
    outMessages = [{ role: 'assistant', parts: output.content.map(contentPart) }];
  }
  if (outMessages) {
    const read = outputFromMessages(
      outMessages,
      call.output.finishReason ??
        (isRecord(output) && typeof output.stop_reason === 'string' ? output.stop_reason : undefined),
    );
    out.output = read;
  } else if (typeof output === 'string' && out.output.text === '') {
    out.output = { ...out.output, text: output };
  }
  const usage = usageFromDetails(o.usageDetails);
  if (usage) out.usage = usage;
  else delete out.usage;
  const total = o.costDetails?.total ?? o.totalCost ?? undefined;
  if (typeof total === 'number') out.costUsd = total;
  if (out.timeToFirstTokenMs === undefined && typeof o.timeToFirstToken === 'number')
    out.timeToFirstTokenMs = o.timeToFirstToken * 1000;
  const model = observationModel(o);
  if (model) out.requestModel = model;
  return out;
}

export function observationToSpan(o: ObservationV2, traceId: string, isRoot: boolean): Span {
  const span = normalizeSpan(observationToRawSpan(o, traceId, isRoot));
  if (span.llm) span.llm = refineLlm(span.llm, o);
  else if (o.input != null || o.output != null) {
    // Plain-text io stays text (the JSON-encoding above is for the attribute only).
    span.io = {};
    if (o.input != null) span.io.input = parseIo(o.input);
    if (o.output != null) span.io.output = parseIo(o.output);
  }
  if (span.warnings === undefined) delete span.warnings;
  return span;
}

/** All observations of one trace -> a Trace with the Langfuse ids as they are. */
export function observationsToTrace(traceId: string, observations: ObservationV2[]): Trace {
  const ids = new Set(observations.map((o) => o.id));
  const spans = observations.map((o) =>
    observationToSpan(o, traceId, !o.parentObservationId || !ids.has(o.parentObservationId)),
  );
  const trace = assembleTrace(spans);
  trace.id = traceId;
  return trace;
}
