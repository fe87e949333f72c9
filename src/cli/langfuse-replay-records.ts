// After replays of Langfuse traces (`replay`, `batch` with --source langfuse): each finished job is
// recorded against its Langfuse original and, when completed and asked for, written back. A failed
// write-back does not undo the replay; it is reported in one sentence per job.
import { recordLangfuseReplay, type LangfuseReplayRecord } from '../core/replay/langfuse-replay';
import type { ReplayJob } from '../core/replay/replay-types';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import type { OpenedTraceSource } from '../core/sources/open-source';
import type { TraceStore } from '../core/store/trace-store';

export interface LangfuseReplayRecords {
  /** By job id. */
  records: Map<string, LangfuseReplayRecord>;
  writeBackErrors: string[];
}

export async function recordLangfuseReplays(store: TraceStore, source: OpenedTraceSource, jobs: ReplayJob[], writeBack: boolean): Promise<LangfuseReplayRecords> {
  const out: LangfuseReplayRecords = { records: new Map(), writeBackErrors: [] };
  if (source.kind !== 'langfuse') return out;
  for (const job of jobs) {
    try {
      const record = await recordLangfuseReplay(store, source, job, { writeBack: writeBack && job.status === 'COMPLETED' });
      if (record) out.records.set(job.id, record);
    } catch (err) {
      if (!(err instanceof LangfuseError)) throw err;
      out.writeBackErrors.push(`The replay ${job.id} completed but writing it back to Langfuse failed: ${err.message}`);
    }
  }
  return out;
}

export function langfuseRecordText(record: LangfuseReplayRecord): string {
  const lines = [`  langfuse: original ${record.originalTraceId}${record.originalUrl ? ` ${record.originalUrl}` : ''}`];
  if (record.writeBack) lines.push(`  langfuse: replay written back as ${record.writeBack.langfuseTraceId}${record.writeBack.url ? ` ${record.writeBack.url}` : ''}`);
  return lines.join('\n');
}
