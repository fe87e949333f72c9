// After a replay of a platform trace ends: records it against the original (store collection
// `platform-replays`) and, when `traceReplay.<platform>.writeBack` is on and the replay completed,
// sends the replayed trace (and, where the platform takes them, our scores) to the platform so its
// own evaluators see it too — what the CLI's `replay --source <platform>` does. A failed write-back
// is one warning; the replay stays.
import { readPlatformReplay, recordPlatformReplay, type PlatformReplayRecord } from '../../core/replay/platform-replay';
import type { ReplayJob } from '../../core/replay/replay-types';
import { PlatformError } from '../../core/sources/platform-errors';
import { findPlatform } from '../../core/sources/platform-registry';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { ReplayHost } from '../replay/replay-host';
import type { StoreHost } from '../store/store-host';
import type { TraceSources } from './trace-sources';
import { openOutputFix, type Notifications } from '../common/notifications';

type Recorded = Promise<PlatformReplayRecord | undefined>;

export class PlatformReplayRecorder extends Disposable {
  private readonly settled = new Map<string, Recorded>();
  private readonly waiting = new Map<string, ((r: Recorded) => void)[]>();

  constructor(
    replays: ReplayHost,
    private readonly stores: StoreHost,
    private readonly sources: TraceSources,
    private readonly log: Log,
    private readonly notifications: Notifications,
  ) {
    super();
    this.register(replays.onDidEvent((e) => e.type === 'job-finished' && this.track(e.job)));
  }

  /** What was recorded for a job once its replay ended (undefined: not a platform trace). */
  recorded(jobId: string): Recorded {
    const done = this.settled.get(jobId);
    if (done) return done;
    return new Promise((resolve) => this.waiting.set(jobId, [...(this.waiting.get(jobId) ?? []), (r) => resolve(r)]));
  }

  private track(job: ReplayJob): void {
    const result = this.record(job).catch((err) => {
      this.log.error(`recording the platform replay ${job.id} failed`, err);
      return undefined;
    });
    this.settled.set(job.id, result);
    for (const resolve of this.waiting.get(job.id) ?? []) resolve(result);
    this.waiting.delete(job.id);
  }

  private async record(job: ReplayJob): Promise<PlatformReplayRecord | undefined> {
    const store = await this.stores.get();
    const origin = (await store.getTrace(job.traceId))?.source;
    const platform = origin ? findPlatform(origin.kind) : undefined;
    if (!origin || !platform) return undefined;
    const writeBack = this.sources.writeBackEnabled(platform) && job.status === 'COMPLETED';
    try {
      const session = await this.sources.session(platform, origin.connection);
      const record = await recordPlatformReplay(store, session, job, { writeBack });
      if (record?.writeBack)
        this.log.info(
          `replay ${job.id} written back to ${origin.baseUrl} as trace ${record.writeBack.platformTraceId}`,
        );
      if (record?.scoresError)
        this.log.warn(`replay ${job.id}: scores not written to ${platform.displayName}: ${record.scoresError}`);
      return record;
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      this.log.warn(`replay ${job.id}: ${err.message}`);
      if (writeBack) {
        void this.notifications.warning(
          `The replay completed, but writing it back to ${platform.displayName} failed: ${err.message}`,
          openOutputFix(this.log),
        );
      }
      return readPlatformReplay(store, job.id);
    }
  }
}
