// The scores Langfuse attached to a replay of one of its traces (its evaluators, annotations, API
// scores) and to the written-back replay, for the comparison panel: read through the trace's own
// connection with the core's platformScoresFor when a panel opens or on its Refresh — never on a
// timer (Langfuse Cloud allows as little as 30 requests a minute) — and kept until the next read.
import * as vscode from 'vscode';
import { platformScoresFor } from '../core/replay/langfuse-replay';
import { LangfuseError } from '../core/sources/langfuse/langfuse-errors';
import { connectionLabel } from './langfuse-connection-list';
import { Disposable } from './lifecycle';
import type { Log } from './log';
import { PlatformScoreCache, type PlatformScoreView } from './platform-score-cache';
import type { ReplayHost } from './replay-host';
import type { StoreHost } from './store-host';
import type { TraceSources } from './trace-sources';

export class LangfuseScores extends Disposable {
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
      originOf: async jobId => {
        const job = await replays.getJob(jobId);
        const origin = job ? (await (await stores.get()).getTrace(job.traceId))?.source : undefined;
        if (origin?.kind !== 'langfuse') return undefined;
        const entry = sources.connections.listSync().find(c => c.name === origin.connection);
        return { connection: origin.connection, label: entry?.label ?? connectionLabel(origin.connection, origin.baseUrl) };
      },
      fetch: async (jobId, origin) => {
        // Missing keys are a LangfuseConfigError: one sentence that says what to set.
        const lf = await sources.langfuse(origin.connection);
        const scores = await platformScoresFor(await stores.get(), jobId, { connections: [lf.connection], clientOptions: sources.clientOptions });
        const all = scores ? [...scores.original, ...scores.replay] : [];
        this.log.info(`replay ${jobId}: ${all.length} Langfuse score(s) read from ${origin.label}`);
        return all;
      },
      describeError: (err, jobId) => {
        if (err instanceof LangfuseError) {
          this.log.warn(`replay ${jobId}: Langfuse scores not read: ${err.message}`);
          return err.message;
        }
        this.log.error(`reading the Langfuse scores of replay ${jobId} failed`, err);
        return 'an unexpected error; see the Trace Replay output for details.';
      },
      onDidRead: jobId => this.read.fire(jobId),
    });
    this.register(stores.onDidChangeTraces(e => e.kind === 'reset' && this.cache.clear()));
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
