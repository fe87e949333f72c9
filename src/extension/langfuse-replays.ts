// After a replay of a Langfuse trace ends: records it against the original (store collection
// `langfuse-replays`) and, when `traceReplay.langfuse.writeBack` is on and the replay completed,
// sends the replayed trace to Langfuse over OTLP so the project's evaluators score it too — what
// the CLI's `replay --source langfuse` does. A failed write-back is one warning; the replay stays.
import * as vscode from 'vscode';
import { readLangfuseReplay, recordLangfuseReplay, type LangfuseReplayRecord } from '../core/replay/langfuse-replay';
import type { ReplayJob } from '../core/replay/replay-types';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import { Disposable } from './lifecycle';
import type { Log } from './log';
import type { ReplayHost } from './replay-host';
import { getSetting } from './settings';
import type { StoreHost } from './store-host';
import type { TraceSources } from './trace-sources';

type Recorded = Promise<LangfuseReplayRecord | undefined>;

export class LangfuseReplayRecorder extends Disposable {
  private readonly settled = new Map<string, Recorded>();
  private readonly waiting = new Map<string, ((r: Recorded) => void)[]>();

  constructor(
    replays: ReplayHost,
    private readonly stores: StoreHost,
    private readonly sources: TraceSources,
    private readonly log: Log,
  ) {
    super();
    this.register(replays.onDidEvent(e => e.type === 'job-finished' && this.track(e.job)));
  }

  /** What was recorded for a job once its replay ended (undefined: not a Langfuse trace). */
  recorded(jobId: string): Recorded {
    const done = this.settled.get(jobId);
    if (done) return done;
    return new Promise(resolve => this.waiting.set(jobId, [...(this.waiting.get(jobId) ?? []), r => resolve(r)]));
  }

  private track(job: ReplayJob): void {
    const result = this.record(job).catch(err => {
      this.log.error(`recording the Langfuse replay ${job.id} failed`, err);
      return undefined;
    });
    this.settled.set(job.id, result);
    for (const resolve of this.waiting.get(job.id) ?? []) resolve(result);
    this.waiting.delete(job.id);
  }

  private async record(job: ReplayJob): Promise<LangfuseReplayRecord | undefined> {
    const store = await this.stores.get();
    const origin = (await store.getTrace(job.traceId))?.source;
    if (origin?.kind !== 'langfuse') return undefined;
    const writeBack = getSetting('langfuse.writeBack') && job.status === 'COMPLETED';
    try {
      const lf = await this.sources.langfuse(origin.connection);
      const record = await recordLangfuseReplay(store, lf, job, { writeBack });
      if (record?.writeBack) this.log.info(`replay ${job.id} written back to ${origin.baseUrl} as trace ${record.writeBack.langfuseTraceId}`);
      return record;
    } catch (err) {
      if (!(err instanceof LangfuseError)) throw err;
      this.log.warn(`replay ${job.id}: ${err.message}`);
      if (writeBack) {
        void vscode.window
          .showWarningMessage(`Trace Replay: the replay completed, but writing it back to Langfuse failed: ${err.message}`, 'Open Output')
          .then(choice => choice && this.log.show());
      }
      return readLangfuseReplay(store, job.id);
    }
  }
}
