// Which trace summaries a list or count includes. Works on TraceSummary only, so filtering never
// reads trace documents.
import type { TraceSummary } from '../model/trace';

export interface TraceFilter {
  /** Case-insensitive substring of the trace name, a model, a prompt name or the service name. */
  text?: string;
  /** A model the trace used (case-insensitive, exact). */
  model?: string;
  /** A prompt name the trace used (case-insensitive, exact). */
  prompt?: string;
  /** Inclusive bounds on startTime, epoch ms. */
  since?: number;
  until?: number;
  /** Recorded traces, traces produced by replays, or both (default). */
  origin?: 'recorded' | 'replay' | 'any';
}

/** Builds a predicate once per query so the lowercasing is not repeated for every summary. */
export function compileTraceFilter(filter: TraceFilter | undefined): ((s: TraceSummary) => boolean) | undefined {
  if (!filter) return undefined;
  const text = filter.text?.trim().toLowerCase() || undefined;
  const model = filter.model?.toLowerCase() || undefined;
  const prompt = filter.prompt?.toLowerCase() || undefined;
  const { since, until } = filter;
  const origin = filter.origin === 'any' ? undefined : filter.origin;
  if (
    text === undefined &&
    model === undefined &&
    prompt === undefined &&
    since === undefined &&
    until === undefined &&
    origin === undefined
  ) {
    return undefined;
  }
  return (s) => {
    if (origin !== undefined && (s.replayOf !== undefined) !== (origin === 'replay')) return false;
    if (since !== undefined && s.startTime < since) return false;
    if (until !== undefined && s.startTime > until) return false;
    if (model !== undefined && !s.models.some((m) => m.toLowerCase() === model)) return false;
    if (prompt !== undefined && !s.promptNames.some((p) => p.toLowerCase() === prompt)) return false;
    if (text !== undefined) {
      const hit =
        s.name.toLowerCase().includes(text) ||
        (s.serviceName?.toLowerCase().includes(text) ?? false) ||
        s.models.some((m) => m.toLowerCase().includes(text)) ||
        s.promptNames.some((p) => p.toLowerCase().includes(text));
      if (!hit) return false;
    }
    return true;
  };
}

export function matchesTraceFilter(summary: TraceSummary, filter: TraceFilter | undefined): boolean {
  return compileTraceFilter(filter)?.(summary) ?? true;
}
