// The spans a live replay adds to the replayed trace (see live-replay.ts): each loop step no recorded
// span matched becomes an LLM or tool span marked new (replay.new, no original span), a sibling of
// the span that handed over, laid out one after the other after the last replayed step. Recorded
// tool spans matched to a loop step carry what the step really got.
import { millisToNanos } from '../model/time';
import type { LlmCall, Span, SpanReplayInfo, Trace } from '../model/trace';
import { priceLlmCall } from '../pricing/llm-pricing';
import type { LiveTraceParts } from './live-replay';
import type { LiveToolStep } from './live-tool-loop';
import { replaySpanIdFor } from './replay-ids';

/** A recorded tool span's copy with the live step's arguments and result. */
export function withLiveToolResult(copy: Span, step: LiveToolStep): void {
  copy.toolName = step.name;
  copy.io = { input: step.arguments, ...(step.result ? { output: step.result.content } : {}) };
  copy.status = step.result?.isError ? { code: 'error', message: step.result.content } : { code: 'ok' };
}

function times(span: Span, start: number, durationMs: number): void {
  span.startTime = start;
  span.endTime = start + Math.max(0, durationMs);
  span.startTimeUnixNano = millisToNanos(span.startTime);
  span.endTimeUnixNano = millisToNanos(span.endTime);
}

/** The new spans, appended to `spans` (the replayed trace's spans built so far). */
export function appendLiveSpans(
  original: Trace,
  jobId: string,
  traceId: string,
  parts: LiveTraceParts,
  spans: Span[],
): void {
  const byId = new Map(original.spans.map((s) => [s.id, s]));
  let cursor = spans
    .filter((s) => s.kind === 'llm' || s.kind === 'tool')
    .reduce((m, s) => Math.max(m, s.endTime), spans.length ? spans[0].startTime : 0);
  for (const added of parts.added) {
    const sibling = byId.get(added.siblingOf);
    const { step } = added;
    const span: Span = {
      id: replaySpanIdFor(jobId, added.key),
      traceId,
      name: step.kind === 'llm' ? (sibling?.name ?? 'llm') : step.name,
      kind: step.kind,
      startTime: 0,
      endTime: 0,
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      status: { code: 'ok' },
      attributes: { 'trace_replay.replay_id': jobId, 'trace_replay.live_step': added.key },
      events: [],
      conventions: [],
    };
    if (sibling?.parentId !== undefined) span.parentId = replaySpanIdFor(jobId, sibling.parentId);
    const info: SpanReplayInfo = { originalSpanId: '', status: 'replayed', warnings: [], new: true };
    if (step.kind === 'llm') {
      const exec = step.execution;
      const llm: LlmCall = {
        ...step.call,
        provider: step.target.provider,
        requestModel: step.target.model,
        api: step.api,
        output: exec.output,
        streamed: exec.streamed,
      };
      if (exec.usage !== undefined) llm.usage = exec.usage;
      if (exec.responseModel !== undefined) llm.responseModel = exec.responseModel;
      if (exec.responseId !== undefined) llm.responseId = exec.responseId;
      if (exec.timeToFirstTokenMs !== undefined) llm.timeToFirstTokenMs = exec.timeToFirstTokenMs;
      const cost = priceLlmCall({
        provider: step.target.provider,
        model: exec.responseModel ?? step.target.model,
        usage: exec.usage,
      });
      if (cost.costUsd !== null) llm.costUsd = cost.costUsd;
      span.llm = llm;
      info.warnings = [...step.requestWarnings, ...(exec.warnings ?? [])];
      times(span, cursor, exec.durationMs);
    } else {
      withLiveToolResult(span, step);
      if (!step.result)
        span.status = { code: 'error', message: step.error ?? 'the live run stopped at this call: no result' };
      info.status = step.source === 'live' ? 'replayed' : 'reused';
      info.warnings = step.warnings;
      times(span, cursor, step.durationMs);
    }
    span.replay = info;
    cursor = span.endTime;
    spans.push(span);
  }
}
