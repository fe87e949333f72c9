// The scores a platform attached to a replay of one of its traces (its evaluators, annotations, API
// scores) and to the written-back replay, for the comparison panel: read through the trace's own
// connection with the core's platformScoresFor when a panel opens or on its Refresh — never on a
// timer (Langfuse Cloud allows as little as 30 requests a minute) — and kept until the next read.
import * as vscode from 'vscode';
import { platformScoresFor } from '../../core/replay/platform-replay';
import { PlatformError } from '../../core/sources/platform-errors';
import { findPlatform } from '../../core/sources/platform-registry';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { PlatformScoreCache, type PlatformScoreView } from './platform-score-cache';
import type { ReplayHost } from '../replay/replay-host';
import type { StoreHost } from '../store/store-host';
import type { TraceSources } from './trace-sources';
import { connectionLabel } from './platform-connection-list';

export class PlatformScores extends Disposable {
  private readonly cache: PlatformScoreCache;
  private readonly read = this.register(new vscode.EventEmitter<string>());
  /** A read of a replay's scores ended (with scores or an error); the id is the replay's. */
  readonly onDidRead = this.read.event;

  constructor(
    private readonly stores: StoreHost,
    replays: ReplayHost,
    sources: TraceSources,
    private readonly log: Log,
  ) {
    super();
    this.cache = new PlatformScoreCache({
      originOf: async (jobId) => {
        const job = await replays.getJob(jobId);
        const origin = job ? (await (await stores.get()).getTrace(job.traceId))?.source : undefined;
        const platform = origin ? findPlatform(origin.kind) : undefined;
        if (!origin || !platform?.capabilities.includes('scores')) return undefined;
        const entry = sources.connections.listSync(platform).find((c) => c.name === origin.connection);
        return {
          platform: platform.id,
          connection: origin.connection,
          label: entry?.label ?? connectionLabel(platform, origin.connection, { baseUrl: origin.baseUrl }),
        };
      },
      fetch: async (jobId, origin) => {
        // Missing keys are a PlatformConfigError: one sentence that says what to set.
        const scores = await platformScoresFor(await stores.get(), jobId, (platform, connection) =>
          sources.session(platform, connection),
        );
        const all = scores ? [...scores.original, ...scores.replay] : [];
        this.log.info(`replay ${jobId}: ${all.length} platform score(s) read from ${origin.label}`);
        return all;
      },
      describeError: (err, jobId) => {
        if (err instanceof PlatformError) {
          this.log.warn(`replay ${jobId}: platform scores not read: ${err.message}`);
          return err.message;
        }
        this.log.error(`reading the platform scores of replay ${jobId} failed`, err);
        return 'an unexpected error; see the Trace Replay output for details.';
      },
      onDidRead: (jobId) => this.read.fire(jobId),
    });
    this.register(stores.onDidChangeTraces((e) => e.kind === 'reset' && this.cache.clear()));
  }

  /** What the panel shows now; undefined for a replay of a local trace. */
  view(jobId: string): Promise<PlatformScoreView | undefined> {
    return this.cache.view(jobId);
  }

  /** Starts reading (see PlatformScoreCache.start); resolves once the replay shows as reading. */
  async start(jobId: string, options: { ifUnread?: boolean } = {}): Promise<void> {
    await this.cache.start(jobId, options);
  }
}
