// After replays of platform traces (`replay`, `batch` with --source <platform>): each finished job is
// recorded against its original on the platform and, when completed and asked for, written back
// (with our scores where the platform takes them). A failed write-back does not undo the replay;
// it is reported in one sentence per job.
import { recordPlatformReplay, type PlatformReplayRecord } from '../core/replay/platform-replay';
import type { ReplayJob } from '../core/replay/replay-types';
import type { OpenedTraceSource } from '../core/sources/open-source';
import { PlatformError } from '../core/sources/platform-errors';
import type { TraceStore } from '../core/store/trace-store';

export interface PlatformReplayRecords {
  /** By job id. */
  records: Map<string, PlatformReplayRecord>;
  writeBackErrors: string[];
}

export async function recordPlatformReplays(
  store: TraceStore,
  source: OpenedTraceSource,
  jobs: ReplayJob[],
  writeBack: boolean,
): Promise<PlatformReplayRecords> {
  const out: PlatformReplayRecords = { records: new Map(), writeBackErrors: [] };
  if (source.kind !== 'platform') return out;
  const name = source.session.descriptor.displayName;
  for (const job of jobs) {
    try {
      const record = await recordPlatformReplay(store, source.session, job, {
        writeBack: writeBack && job.status === 'COMPLETED',
      });
      if (record) out.records.set(job.id, record);
      if (record?.scoresError)
        out.writeBackErrors.push(
          `The replay ${job.id} was written back to ${name} but its scores were not: ${record.scoresError}`,
        );
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      out.writeBackErrors.push(`The replay ${job.id} completed but writing it back to ${name} failed: ${err.message}`);
    }
  }
  return out;
}

export function platformRecordText(record: PlatformReplayRecord): string {
  const p = record.platform;
  const lines = [`  ${p}: original ${record.originalTraceId}${record.originalUrl ? ` ${record.originalUrl}` : ''}`];
  if (record.writeBack)
    lines.push(
      `  ${p}: replay written back as ${record.writeBack.platformTraceId}${record.writeBack.url ? ` ${record.writeBack.url}` : ''}`,
    );
  if (record.scoresWritten)
    lines.push(`  ${p}: ${record.scoresWritten} score${record.scoresWritten === 1 ? '' : 's'} attached to the replay`);
  return lines.join('\n');
}

/** The record as `replay --json` prints it, under the platform's id: `"langfuse": {...}` with
 *  `writeBack.langfuseTraceId` (0.1's shape), `"phoenix": {...}` with `writeBack.phoenixTraceId`. */
export function platformRecordJson(record: PlatformReplayRecord): Record<string, unknown> {
  const { platform, writeBack, ...rest } = record;
  const json: Record<string, unknown> = { ...rest };
  if (writeBack) {
    const { platformTraceId, ...wb } = writeBack;
    json.writeBack = { [`${platform}TraceId`]: platformTraceId, ...wb };
  }
  return { [platform]: json };
}
