// Owns the replay engine of the open store: one ReplayQueue per store (opened with it, stopped
// before it closes), the provider configuration it sends with (settings + SecretStorage, rebuilt
// when either changes), the concurrency setting, the cost budget (replay.maxCostUsd) and resuming jobs
// a reload interrupted, and live tools (live-tools.ts: the MCP servers of .vscode/mcp.json, in a
// trusted workspace, started before a live job is queued and shared by the jobs).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { createLlmGateway } from '../../core/llm/llm-gateway';
import type { LlmGateway, ProviderConfigs } from '../../core/llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../../core/llm/model-target';
import { replayTemplateLoader } from '../../core/replay/default-replay-services';
import { REPLAYS_COLLECTION } from '../../core/replay/replay-history';
import { parseRedisUrl, DEFAULT_QUEUE_NAME } from '../../core/queue/redis-connection';
import { RemoteReplayQueue } from '../../core/queue/remote-replay-queue';
import type { ReplayJobQueue } from '../../core/replay/replay-job-queue';
import { ReplayQueue } from '../../core/replay/replay-queue';
import type { ReplaySample } from '../../core/replay/replay-samples';
import { CostBudget } from '../../core/replay/cost-budget';
import { ToolPolicyError } from '../../core/replay/replay-fork';
import { errorMessage } from '../../core/util/error-message';
import type { ReplayServices, ReplayTemplate } from '../../core/replay/replay-services';
import type { TemplatePromptRef, TemplateRef } from '../../core/prompts/template-ref';
import type { PromptVersionReader } from '../../core/replay/prompt-versions';
import { PlatformConfigError } from '../../core/sources/platform-errors';
import {
  TERMINAL_STATUSES,
  type ReplayEvent,
  type ReplayJob,
  type ReplayOverrides,
} from '../../core/replay/replay-types';
import type { TraceStore } from '../../core/store/trace-store';
import type { ApiKeys } from '../keys/api-keys';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { evaluatorConfigPath, extensionJobEvaluator } from './evaluation-settings';
import { buildProviderConfigs } from '../keys/provider-settings';
import { affectsSetting, getSetting, SECTION } from '../common/settings';
import { resolveInWorkspace } from '../common/workspace-paths';
import type { StoreHost } from '../store/store-host';
import { LiveTools } from './live-tools';

/** Where platform prompt versions (`langfuse:<name>@<version>`, `phoenix:<name>#<tag>`) come from
 *  (TraceSources). */
export interface PromptVersionSources {
  /** Checks the prompt exists and picks its connection before the job is queued; returns the ref
   *  naming that connection (what the job keeps). */
  prepareTemplate(traceId: string, ref: TemplatePromptRef): Promise<TemplatePromptRef>;
  promptVersions(): PromptVersionReader;
}

interface OpenQueue {
  store: TraceStore;
  queue: ReplayJobQueue;
  unsubscribe: () => void;
}

export class ReplayHost extends Disposable {
  private opening: Promise<OpenQueue> | undefined;
  private current: OpenQueue | undefined;
  private configs: Promise<ProviderConfigs>;
  private gateway: LlmGateway | undefined;
  private readonly events = this.register(new vscode.EventEmitter<ReplayEvent>());
  /** Every event of the current queue (job-queued/started, span-started/finished, job-finished). */
  readonly onDidEvent = this.events.event;
  /** replay.maxCostUsd: the budget of the replays started together (a new one starts when nothing is
   *  queued or running); undefined: no budget. */
  private budget: CostBudget | undefined;
  private readonly active = new Set<string>();
  private readonly resetEmitter = this.register(new vscode.EventEmitter<void>());
  /** The queue was replaced (another store) or a job was deleted: re-read the history. */
  readonly onDidReset = this.resetEmitter.event;
  /** The MCP servers live jobs call (the wizard asks it whether live can be picked). */
  readonly liveTools: LiveTools;

  constructor(
    private readonly stores: StoreHost,
    private readonly keys: ApiKeys,
    private readonly log: Log,
    private readonly promptSources?: PromptVersionSources,
  ) {
    super();
    this.liveTools = this.register(new LiveTools(log, () => this.runsOnWorkers));
    this.configs = this.readConfigs();
    this.register(keys.onDidChange(() => this.reloadConfigs('an API key changed')));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.providers`)) this.reloadConfigs('provider settings changed');
        if (affectsSetting(e, 'replay.maxConcurrent')) this.applyConcurrency();
        if (affectsSetting(e, 'queue.redisUrl') || affectsSetting(e, 'queue.name')) void this.switchQueue();
      }),
    );
    this.register(stores.onWillCloseStore((store, reason) => this.release(store, reason)));
    this.register(stores.onDidChangeTraces((e) => e.kind === 'reset' && this.resetEmitter.fire()));
    this.register(
      toDisposable(
        () =>
          void this.opening?.then(
            (q) => q.unsubscribe(),
            () => undefined,
          ),
      ),
    );
  }

  /** Replays run on the workers of a Redis queue (setting traceReplay.queue.redisUrl), not here:
   *  the keys are the workers', so nothing is checked for keys before queuing. */
  get runsOnWorkers(): boolean {
    return getSetting('queue.redisUrl').trim() !== '';
  }

  /** The queue of the open store, opening both on first use. */
  queue(): Promise<ReplayJobQueue> {
    return this.open().then((q) => q.queue);
  }

  /** Resumes the jobs a previous session left PENDING or RUNNING; does nothing (and creates no
   *  store folder) when the store was never created. */
  async resumeInterrupted(): Promise<ReplayJob[]> {
    if (!fs.existsSync(this.stores.storeDir())) return [];
    const queue = await this.queue();
    await this.configs.catch(() => undefined);
    const resumed = await queue.resume();
    if (resumed.length) this.log.info(`resumed ${resumed.length} interrupted replay(s)`);
    return resumed;
  }

  /** `sample`: which of several samples of the trace the job is (traceReplay.replay.repeat). */
  async enqueue(traceId: string, overrides: ReplayOverrides, sample?: ReplaySample): Promise<ReplayJob> {
    const queue = await this.queue();
    // Read afresh: a key stored a moment ago (its change event may not have arrived yet) counts.
    this.configs = this.readConfigs();
    await this.configs;
    const template = overrides.template;
    if (template?.kind === 'prompt') {
      if (!this.promptSources)
        throw new PlatformConfigError(
          `The template is a prompt version on ${template.platform}, which needs a connection to it.`,
        );
      overrides = { ...overrides, template: await this.promptSources.prepareTemplate(traceId, template) };
    }
    const toolsSetting = getSetting('replay.toolDefinitionsPath').trim();
    if (overrides.toolsPath === undefined && toolsSetting !== '') {
      const toolsPath = resolveInWorkspace(toolsSetting);
      if (toolsPath !== undefined) overrides = { ...overrides, toolsPath };
    }
    if (overrides.toolPolicy === 'live') {
      // As the CLI does: the servers start (or are refused) before the job is queued.
      const live = this.liveTools.availability();
      if (!live.ok) throw new ToolPolicyError(live.reason);
      await this.liveTools.prepare();
    }
    this.startBudget();
    const job = await queue.enqueue(traceId, overrides, sample);
    this.log.info(`replay ${job.id} queued for trace ${traceId} ${JSON.stringify(overrides)}`);
    return job;
  }

  async cancel(jobId: string): Promise<boolean> {
    return (await this.queue()).cancel(jobId);
  }

  async wait(jobId: string): Promise<ReplayJob> {
    return (await this.queue()).wait(jobId);
  }

  async getJob(jobId: string): Promise<ReplayJob | undefined> {
    return (await this.queue()).getJob(jobId);
  }

  async listJobs(filter: { traceId?: string } = {}): Promise<ReplayJob[]> {
    return (await this.queue()).listJobs(filter);
  }

  /** Removes a finished job from the history, with the replayed trace it wrote. The queue has no
   *  delete, so this goes through the store's `replays` collection (same single writer). */
  async deleteJob(jobId: string): Promise<boolean> {
    const { store, queue } = await this.open();
    const job = await queue.getJob(jobId);
    if (!job) return false;
    if (!TERMINAL_STATUSES.has(job.status)) throw new Error('Cancel the replay before deleting it.');
    const jobs = await store.collection<ReplayJob>(REPLAYS_COLLECTION);
    const deleted = await jobs.delete(jobId);
    if (job.replayTraceId) await store.deleteTrace(job.replayTraceId);
    this.log.info(`replay ${jobId} deleted from the history`);
    this.resetEmitter.fire();
    return deleted;
  }

  /** The provider configuration jobs send with (keys included: never log it). */
  providerConfigs(): Promise<ProviderConfigs> {
    return this.configs;
  }

  private open(): Promise<OpenQueue> {
    this.opening ??= this.openQueue().catch((err) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async openQueue(): Promise<OpenQueue> {
    const store = await this.stores.get();
    const redisUrl = getSetting('queue.redisUrl').trim();
    let queue: ReplayJobQueue;
    if (redisUrl) {
      const remote = await RemoteReplayQueue.open(store, {
        redis: parseRedisUrl(redisUrl),
        queueName: getSetting('queue.name').trim() || DEFAULT_QUEUE_NAME,
        promptVersions: this.promptSources?.promptVersions(),
        evaluation: { configPath: evaluatorConfigPath() },
        mayStart: () => this.mayStart(),
      });
      this.log.info(`replays run on the workers of ${remote.where}`);
      queue = remote;
    } else {
      const local = await ReplayQueue.open(this.services(store), {
        concurrency: getSetting('replay.maxConcurrent'),
        mayStart: () => this.mayStart(),
      });
      this.log.info(`replay queue open (${local.concurrency} at once)`);
      queue = local;
    }
    const unsubscribe = queue.onEvent((e) => {
      this.budget?.observe(e);
      if (e.type === 'job-queued') this.active.add(e.job.id);
      else if (e.type === 'job-finished') this.active.delete(e.job.id);
      this.events.fire(e);
    });
    this.current = { store, queue, unsubscribe };
    return this.current;
  }

  /** Services that read the current configuration at call time, so a key set while jobs wait in
   *  the queue is used by them. */
  private services(store: TraceStore): ReplayServices {
    const current = (): LlmGateway => {
      if (!this.gateway) throw new Error('provider configuration not loaded');
      return this.gateway;
    };
    const live = this.liveTools;
    return {
      store,
      // Read when a job is queued or run: live tools only in a trusted workspace, replaying here.
      get toolHost() {
        return live.toolHost();
      },
      gateway: {
        build: (call, target) => current().build(call, target),
        execute: (request, target, options) => current().execute(request, target, options),
      },
      resolveTarget: (call, spec) =>
        spec !== undefined ? parseModelSpec(spec, this.latest ?? {}) : targetForRecorded(call, this.latest ?? {}),
      loadTemplate: (spec) => this.loadTemplate(spec),
      // The budget of the moment (it starts afresh with each run) sees the judge calls too.
      evaluate: extensionJobEvaluator(current, () => this.latest ?? {}, {
        mayStart: () => this.mayStart(),
        addJudgeCall: (call) => this.budget?.addJudgeCall(call),
      }),
    };
  }

  private latest: ProviderConfigs | undefined;

  /** A replay is being queued: with nothing queued or running, the budget starts afresh from the setting. */
  private startBudget(): void {
    if (this.active.size > 0) return;
    const usd = getSetting('replay.maxCostUsd');
    this.budget = usd > 0 ? new CostBudget(usd, (line) => this.log.warn(line)) : undefined;
  }

  /** The queue's hook before each job and span: refused once the budget is spent (said once in the log). */
  private mayStart(): { message: string; code: string } | undefined {
    const budget = this.budget;
    if (!budget) return undefined;
    const first = !budget.stoppedByBudget;
    const refusal = budget.mayStart();
    if (refusal && first) this.log.warn(`replays ${refusal.message}; raise traceReplay.replay.maxCostUsd to go on`);
    return refusal;
  }

  /** A template file, or a prompt version read from the connection it names (prepareTemplate). */
  private loadTemplate(ref: TemplateRef): Promise<ReplayTemplate> {
    return replayTemplateLoader({ promptVersions: this.promptSources?.promptVersions() })(ref);
  }

  private async readConfigs(): Promise<ProviderConfigs> {
    try {
      const configs = await buildProviderConfigs(this.keys);
      this.latest = configs;
      this.gateway = createLlmGateway(configs);
      return configs;
    } catch (err) {
      this.log.error('reading the provider settings failed', err);
      throw err;
    }
  }

  private reloadConfigs(reason: string): void {
    this.log.info(`provider configuration reloaded: ${reason}`);
    const next = this.readConfigs();
    // Callers awaiting the old promise get the newest configuration.
    this.configs = next;
    void next.catch(() => undefined);
  }

  /** The queue setting changed: the next replay opens the queue it names; jobs followed so far
   *  are left as they are (they end on their side and are read from the store). */
  private async switchQueue(): Promise<void> {
    const open = await this.opening?.catch(() => undefined);
    if (!open) return;
    this.opening = undefined;
    this.current = undefined;
    this.active.clear();
    open.unsubscribe();
    await open.queue.detach().catch((err: unknown) => this.log.warn(`closing the replay queue: ${errorMessage(err)}`));
    this.log.info('replay queue setting changed: the next replay uses it');
    this.resetEmitter.fire();
  }

  private applyConcurrency(): void {
    // A queue still opening reads the setting when it is created.
    if (!this.current) return;
    const { queue } = this.current;
    if (!(queue instanceof ReplayQueue)) {
      this.log.info(
        'replay.maxConcurrent does not apply: replays run on the queue workers (each its own --concurrency)',
      );
      return;
    }
    queue.concurrency = getSetting('replay.maxConcurrent');
    this.log.info(`replays at once: ${queue.concurrency}`);
  }

  /** Before the store closes: for another store, cancel what runs here; at shutdown, leave the
   *  jobs as they are on disk so the next activation resumes them. */
  private async release(store: TraceStore, reason: 'reset' | 'shutdown'): Promise<void> {
    const opening = this.opening;
    const open = await opening?.catch(() => undefined);
    if (!open || open.store !== store) return;
    this.opening = undefined;
    this.current = undefined;
    this.active.clear();
    open.unsubscribe();
    if (reason === 'reset') await open.queue.close();
    else await open.queue.detach();
  }
}
