// The choices of "Replay Trace" run without a trace (Command Palette): the traces of the source the
// Traces view shows, as quick-pick rows that remember where each trace is listed. No `vscode`
// import, so the rows are unit-tested in plain Node.
import { countOf } from '../../core/compare/format-values';
import type { TraceSummary } from '../../core/model/trace';
import { formatCostPrecise, relativeTime } from '../common/format';
import type { TraceRef } from './trace-sources';

export interface TracePickItem {
  label: string;
  description?: string;
  detail?: string;
  /** The trace as the source lists it (a platform id with its source id; a store id alone). */
  ref: TraceRef;
}

/** Rows of the traces that have LLM calls (nothing else can be replayed), in the given order.
 *  `sourceId`: the platform source they were listed from; absent: the local store. */
export function tracePickItems(
  summaries: readonly TraceSummary[],
  sourceId?: string,
  nowMs: number = Date.now(),
): TracePickItem[] {
  return summaries
    .filter((s) => s.llmSpanCount > 0)
    .map((s) => {
      const cost = s.costUsd ? formatCostPrecise(s.costUsd) : undefined;
      return {
        label: s.name || s.id,
        description: [relativeTime(s.startTime, nowMs), s.models.join(', '), cost].filter(Boolean).join(' · '),
        detail: `${countOf(s.llmSpanCount, 'LLM call')} · ${s.id}`,
        ref: sourceId === undefined ? { id: s.id } : { id: s.id, sourceId },
      };
    });
}
