// What the panels show, read from the open store: a replay's comparison with its trace's replay
// history (and the scores a platform attached, for a replay of one of its traces), a trace's detail,
// a batch's aggregate. Answers "why not" as data (gone, still running, failed before replaying) so
// the commands and the serializers each word it their own way.
import * as vscode from 'vscode';
import { aggregateBatch } from '../../core/compare/aggregate-batch';
import type { Comparison } from '../../core/compare/comparison-types';
import { sampledComparisonOfJob } from '../../core/compare/load-comparison';
import { toBatchJson, toComparisonJson } from '../../core/compare/render-json';
import type { PlatformScore } from '../../core/eval/evaluation-types';
import type { Span } from '../../core/model/trace';
import { comparisonShowParams, traceShowParams } from '../../core/report/panel-data';
import { TraceNotFoundError } from '../../core/replay/replay-errors';
import type { ReplayJob } from '../../core/replay/replay-types';
import type { PlatformScores } from '../sources/platform-scores';
import type { ReplayHost } from '../replay/replay-host';
import type { StoreHost } from '../store/store-host';
import { fileBaseName } from '../templates/template-traces';
import type { TemplateFiles } from '../templates/template-files';
import type { BatchPanelData } from './batch-panel';
import type { ComparisonPanelData } from './comparison-panel';
import type { TraceDetailPanelData } from './trace-detail-panel';
import { resolveInWorkspace } from '../common/workspace-paths';

export type ComparisonLoad =
  | { kind: 'ok'; job: ReplayJob; data: ComparisonPanelData }
  | { kind: 'missing'; jobId: string }
  /** The job exists but there is nothing to compare (yet): `reason` is one sentence for the user. */
  | { kind: 'not-comparable'; job: ReplayJob; reason: string };

/** One sentence on why a replay has no comparison, or undefined when it has one. */
export function notComparableReason(job: ReplayJob): string | undefined {
  if (job.status === 'PENDING') return 'This replay is still queued; its comparison opens once it has run.';
  if (job.status === 'RUNNING') return 'This replay is still running; open its comparison when it completes.';
  if (!job.replayTraceId) {
    const what = job.status === 'CANCELLED' ? 'was cancelled' : 'failed';
    return `This replay ${what} before it produced a replayed trace, so there is nothing to compare${job.error ? `: ${job.error}` : '.'}`;
  }
  return undefined;
}

/** The file a replay's prompt template is in, when it is one (a platform's prompt version is not). */
export function templateUriOf(job: ReplayJob): vscode.Uri | undefined {
  const t = job.overrides.template;
  if (t?.kind !== 'file') return undefined;
  const file = resolveInWorkspace(t.path);
  return file ? vscode.Uri.file(file) : undefined;
}

/** When a comparison is loaded, whether the platform's scores are read first: `always` (a panel
 *  opens, its Refresh), `if-unread` (another replay shown in a panel, a restored panel), or not
 *  (the default: panels kept current by queue events show what was read). */
export type PlatformScoreRead = 'always' | 'if-unread';

export class PanelDataSource {
  constructor(
    private readonly stores: StoreHost,
    private readonly replays: ReplayHost,
    private readonly templates: TemplateFiles,
    private readonly platform?: PlatformScores,
  ) {}

  private async comparisonOf(job: ReplayJob, platform?: PlatformScore[]): Promise<Comparison | undefined> {
    try {
      // One of several samples (--repeat, traceReplay.replay.repeat): with the spread over its run.
      return (await sampledComparisonOfJob(await this.stores.get(), job, platform)).comparison;
    } catch (err) {
      if (err instanceof TraceNotFoundError) return undefined;
      throw err;
    }
  }

  async comparison(jobId: string, options: { readPlatformScores?: PlatformScoreRead } = {}): Promise<ComparisonLoad> {
    const job = await this.replays.getJob(jobId);
    if (!job) return { kind: 'missing', jobId };
    const reason = notComparableReason(job);
    if (reason) return { kind: 'not-comparable', job, reason };
    if (this.platform && options.readPlatformScores)
      await this.platform.start(jobId, { ifUnread: options.readPlatformScores === 'if-unread' });
    const platform = await this.platform?.view(jobId);
    const comparison = await this.comparisonOf(job, platform?.scores);
    if (!comparison)
      return {
        kind: 'not-comparable',
        job,
        reason: 'A trace of this replay is no longer in the store, so there is nothing to compare.',
      };
    const jobs = await this.replays.listJobs({ traceId: job.traceId });
    const data: ComparisonPanelData = comparisonShowParams(toComparisonJson(comparison), jobs);
    if (platform) data.platform = platform.status;
    return { kind: 'ok', job, data };
  }

  async trace(traceId: string, selectSpanId?: string): Promise<TraceDetailPanelData | undefined> {
    const trace = await (await this.stores.get()).getTrace(traceId);
    if (!trace) return undefined;
    const [jobs, templatePathOf] = await Promise.all([this.replays.listJobs({ traceId }), this.templateLinker()]);
    const data: TraceDetailPanelData = traceShowParams(trace, jobs, { templatePathOf });
    if (selectSpanId !== undefined) data.selectSpanId = selectSpanId;
    return data;
  }

  /** The aggregate over the replays that can be compared; undefined when none can. */
  async batch(jobIds: readonly string[]): Promise<BatchPanelData | undefined> {
    const comparisons: Comparison[] = [];
    for (const id of jobIds) {
      const job = await this.replays.getJob(id);
      if (!job || notComparableReason(job)) continue;
      const c = await this.comparisonOf(job);
      if (c) comparisons.push(c);
    }
    if (!comparisons.length) return undefined;
    const batch = toBatchJson(aggregateBatch(comparisons));
    return { batch, title: `Batch: ${comparisons.length} replay${comparisons.length === 1 ? '' : 's'}` };
  }

  /** Links an LLM span to a workspace template file by the prompt name it recorded (the file's
   *  base name), so the trace panel can offer "Open Template". */
  private async templateLinker(): Promise<(span: Span) => string | undefined> {
    const byName = new Map<string, string>();
    for (const uri of await this.templates.list().catch(() => [])) byName.set(fileBaseName(uri.fsPath), uri.fsPath);
    return (span) => {
      const name = span.llm?.prompt?.name;
      return name !== undefined ? byName.get(name) : undefined;
    };
  }
}
