// STUB (to be replaced by the real normalizer): builds a Trace from its normalized spans.
import type { Span, Trace, TraceSummary } from '../model/trace';

export function assembleTrace(spans: Span[]): Trace {
  const sorted = [...spans].sort((a, b) => a.startTime - b.startTime);
  const ids = new Set(sorted.map(s => s.id));
  const root = sorted.find(s => !s.parentId || !ids.has(s.parentId)) ?? sorted[0];
  return {
    id: sorted[0]?.traceId ?? '',
    name: root?.name ?? '',
    startTime: Math.min(...sorted.map(s => s.startTime)),
    endTime: Math.max(...sorted.map(s => s.endTime)),
    spans: sorted,
  };
}

export function summarizeTrace(trace: Trace, updatedAt = Date.now()): TraceSummary {
  const llm = trace.spans.filter(s => s.kind === 'llm' && s.llm);
  return {
    id: trace.id,
    name: trace.name,
    startTime: trace.startTime,
    durationMs: trace.endTime - trace.startTime,
    spanCount: trace.spans.length,
    llmSpanCount: llm.length,
    models: [...new Set(llm.map(s => s.llm?.responseModel ?? s.llm?.requestModel).filter((m): m is string => !!m))],
    inputTokens: llm.reduce((n, s) => n + (s.llm?.usage?.inputTokens ?? 0), 0),
    outputTokens: llm.reduce((n, s) => n + (s.llm?.usage?.outputTokens ?? 0), 0),
    promptNames: [],
    serviceName: trace.serviceName,
    replayOf: trace.replayOf,
    updatedAt,
  };
}
