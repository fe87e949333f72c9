// Builds the replayed trace: the original tree with new ids, replayed LLM spans carrying their new
// call, output, usage, cost and timings, everything else (LLM spans before a fork too) reused as
// recorded. Timings are laid out from the job's start: each span keeps its offset, shifted by how
// much longer (or shorter) the replayed LLM calls that ended before it took, so the waterfall stays
// readable.
import { millisToNanos } from '../model/time';
import type { LlmCall, Span, SpanReplayInfo, Trace } from '../model/trace';
import { replaySpanIdFor, replayTraceIdFor } from './replay-ids';
import type { LiveTraceParts } from './live-replay';
import { appendLiveSpans, withLiveToolResult } from './live-trace-spans';
import type { ReplayJob, ReplaySpanResult } from './replay-types';

/** The call as the engine prepared it for one LLM span (overrides, template, chaining applied). */
export interface PreparedCall {
  call: LlmCall;
  provider: string;
  model: string;
  api?: LlmCall['api'];
}

function replayInfo(result: ReplaySpanResult): SpanReplayInfo {
  const info: SpanReplayInfo = {
    originalSpanId: result.originalSpanId,
    status: result.status,
    warnings: result.warnings,
  };
  if (result.error !== undefined) info.error = result.error;
  if (result.cached) info.cached = true;
  if (result.divergence) info.divergence = { message: result.divergence.message, first: result.divergence.first };
  return info;
}

function replayedLlm(original: LlmCall, prepared: PreparedCall | undefined, result: ReplaySpanResult): LlmCall {
  const base: LlmCall = prepared
    ? {
        ...prepared.call,
        provider: prepared.provider,
        requestModel: prepared.model,
        api: prepared.api ?? prepared.call.api,
      }
    : { ...original };
  const exec = result.execution;
  const llm: LlmCall = {
    ...base,
    output: exec ? exec.output : { text: '', toolCalls: [] },
    usage: exec?.usage,
    responseModel: exec?.responseModel,
    responseId: exec?.responseId,
    costUsd: exec?.costUsd ?? undefined,
    timeToFirstTokenMs: exec?.timeToFirstTokenMs,
    streamed: exec?.streamed ?? base.streamed,
  };
  if (exec) {
    llm.provider = exec.provider;
    llm.requestModel = exec.model;
    llm.api = exec.api as LlmCall['api'];
  }
  for (const key of Object.keys(llm) as (keyof LlmCall)[]) if (llm[key] === undefined) delete llm[key];
  return llm;
}

/** `live`: what a live-tools run changed (matched tool spans' results) and added (new spans); spans
 *  whose result is `missing` (recorded steps the live run did not take) are left out. */
export function buildReplayTrace(
  original: Trace,
  job: ReplayJob,
  prepared: ReadonlyMap<string, PreparedCall>,
  live?: LiveTraceParts,
): Trace {
  const traceId = replayTraceIdFor(job.id);
  const results = new Map(job.spans.map((r) => [r.originalSpanId, r]));
  const anchor = job.startedAt ? Date.parse(job.startedAt) : Date.now();
  const offset = anchor - original.startTime;

  // Duration changes of replayed LLM spans, applied to everything that starts after they end.
  const deltas: { end: number; delta: number }[] = [];
  for (const span of original.spans) {
    const exec = results.get(span.id)?.execution;
    if (span.kind === 'llm' && exec)
      deltas.push({ end: span.endTime, delta: exec.durationMs - (span.endTime - span.startTime) });
  }
  const shiftAt = (t: number): number => deltas.reduce((sum, d) => (d.end <= t ? sum + d.delta : sum), 0);

  const kept = original.spans.filter((span) => results.get(span.id)?.status !== 'missing');
  const spans: Span[] = kept.map((span) => {
    const result = results.get(span.id);
    const start = span.startTime + offset + shiftAt(span.startTime);
    let end = span.endTime + offset + shiftAt(span.endTime);
    const copy: Span = {
      ...span,
      id: replaySpanIdFor(job.id, span.id),
      traceId,
      parentId: span.parentId !== undefined ? replaySpanIdFor(job.id, span.parentId) : undefined,
    };
    if (copy.parentId === undefined) delete copy.parentId;
    // An LLM span reused as recorded (it ended before the span a replay forked at) stays as it was.
    if (span.kind === 'llm' && span.llm && result && result.status !== 'reused') {
      const exec = result.execution;
      if (exec) end = start + exec.durationMs;
      else end = start + (span.endTime - span.startTime);
      copy.llm = replayedLlm(span.llm, prepared.get(span.id), result);
      // The raw attributes and events describe the recorded call, not this one.
      copy.attributes = { 'trace_replay.original_span_id': span.id, 'trace_replay.replay_id': job.id };
      copy.events = [];
      copy.status =
        result.status === 'replayed' ? { code: 'ok' } : { code: 'error', message: result.error ?? result.status };
      delete copy.wrappedLlm;
      delete copy.warnings;
    }
    const liveTool = live?.toolResults.get(span.id);
    if (liveTool) withLiveToolResult(copy, liveTool);
    if (result) copy.replay = replayInfo(result);
    copy.startTime = start;
    copy.endTime = Math.max(start, end);
    copy.startTimeUnixNano = millisToNanos(copy.startTime);
    copy.endTimeUnixNano = millisToNanos(copy.endTime);
    return copy;
  });

  if (live) appendLiveSpans(original, job.id, traceId, live, spans);

  // A parent ends no earlier than its children once replayed calls got longer.
  const byId = new Map(spans.map((s) => [s.id, s]));
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    const parent = s.parentId !== undefined ? byId.get(s.parentId) : undefined;
    if (parent && parent.endTime < s.endTime) {
      parent.endTime = s.endTime;
      parent.endTimeUnixNano = millisToNanos(s.endTime);
    }
  }

  // A loop, not Math.min(...spans): spreading 130k+ arguments overflows the stack.
  const startTime = spans.length ? spans.reduce((m, s) => Math.min(m, s.startTime), Infinity) : anchor;
  const endTime = spans.length ? spans.reduce((m, s) => Math.max(m, s.endTime), -Infinity) : anchor;
  const trace: Trace = {
    id: traceId,
    name: original.name,
    startTime,
    endTime,
    spans,
    replayOf: { originalTraceId: original.id, replayId: job.id },
  };
  if (original.serviceName !== undefined) trace.serviceName = original.serviceName;
  if (original.resource !== undefined) trace.resource = original.resource;
  return trace;
}
