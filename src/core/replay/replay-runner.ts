// Runs one replay job from RUNNING to its end: every LLM span of the trace is prepared (chaining,
// template, parameters, target), built by the provider layer, served from the response cache or sent,
// priced and recorded span by span; every other span is reused as recorded. Finally both traces are
// scored by the same evaluators (when the services evaluate) and the replayed trace is written. Span
// results already in the job (a resumed job) are reused, not re-sent. What an execution costs is
// execution-summary.ts; the evaluation and the final status, job-conclusion.ts.
// A replay from a span (overrides.fromSpanId) reuses the recorded output of every span that ended
// before it and replays it and every later LLM span, chained; `--tools strict` stops the job at the
// first span whose tool calls diverge from the recording. `--tools live` hands the rest of the run
// to the live tool loop at the first replayed answer that asks for tools (see live-replay.ts).
import { formatTemplateRef } from '../prompts/template-ref';
import { MissingApiKeyError, RequestAbortedError, UnknownModelError, UnknownProviderError } from '../llm/llm-errors';
import type { Span, Trace } from '../model/trace';
import { applyChain, findToolCallDivergence, type ChainLink } from './replay-chaining';
import {
  checkForkOverrides,
  checkTemplateAfterFork,
  forkSpanOf,
  spansBeforeFork,
  ToolCallsDivergedError,
} from './replay-fork';
import {
  NothingReplayableError,
  ReplayCancelledError,
  SpanNotReplayableError,
  TemplateNotLinkedError,
  TemplatesUnavailableError,
  TraceNotFoundError,
} from './replay-errors';
import { replayabilitySummary, traceReplayability, unreplayableReason } from './replayability';
import {
  fillToolDefinitions,
  loadToolDefinitionsFile,
  storeToolCatalog,
  type ToolFillContext,
} from './tool-definitions';
import { replaySpanIdFor } from './replay-ids';
import { summarizeExecution as summarize } from './execution-summary';
import { conclude, evaluateJob } from './job-conclusion';
import { DEFAULT_MAX_STEPS, LiveReplay } from './live-replay';
import { isCacheable, mergeParameters, validateParameterOverrides } from './replay-parameters';
import type { ReplayServices, ReplayTemplate } from './replay-services';
import { buildReplayTrace, type PreparedCall } from './replay-trace-builder';
import type { ReplayEvent, ReplayJob, ReplaySpanResult } from './replay-types';
import type { ResponseCache } from './response-cache';
import { redactedMessage } from '../util/redact-secrets';
import { errorCodeOf } from '../util/user-error';

export interface RunContext {
  signal: AbortSignal;
  cache: ResponseCache;
  /** The job's trace when it was already read (while the job waited); absent: read it now. */
  trace?: Promise<Trace | undefined>;
  /** Persists the job as it is now, in the background (writes of a job stay in order). */
  save(job: ReplayJob): void;
  /** Persists the job as it is now; resolves once it is on disk. */
  saveNow(job: ReplayJob): Promise<void>;
  emit(event: ReplayEvent): void;
  /** Writes the job's final state with its replayed trace (default: saveNow and the store's
   *  putTrace, in one turn); a queue worker hands both back to its submitter instead. */
  saveFinal?(job: ReplayJob, replayTrace: Trace): Promise<void>;
  /** Called once the job needs no provider any more (its calls and its evaluation are done): what
   *  is left is writing the replayed trace, so the queue lets the next job start meanwhile. */
  providerWorkDone?(): void;
  /** Asked before each span is sent: a refusal (e.g. the cost budget is spent) stops the job there,
   *  CANCELLED with the refusal's message and code; spans already sent are kept. */
  mayStart?(): { message: string; code: string } | undefined;
}

/** A span the context refused to start (RunContext.mayStart): ends the job CANCELLED with its reason. */
class StartRefused extends Error {
  constructor(readonly refusal: { message: string; code: string }) {
    super(refusal.message);
  }
}

/** Errors that would fail every span the same way: the job fails at once. */
function isJobFatal(err: unknown): boolean {
  return err instanceof MissingApiKeyError || err instanceof UnknownModelError || err instanceof UnknownProviderError;
}

class JobRun {
  private readonly prepared = new Map<string, PreparedCall>();
  private readonly links: ChainLink[] = [];
  private diverged = false;
  private template?: ReplayTemplate;
  /** The spans the template applies to, and what to say when the link was inferred. */
  private templateSpans = new Set<string>();
  private templateWarning?: string;
  /** Where missing tool definitions come from (see tool-definitions.ts). */
  private tools: ToolFillContext = {};
  /** Replay from a span: the span it forks at, and the spans that keep their recorded output. */
  private fork?: Span;
  private beforeFork = new Set<string>();
  /** Live tools: the agent continuation once a replayed answer asks for tools. */
  private live?: LiveReplay;
  /** The last span result is not saved yet (see replaySpan). */
  private unsaved = false;
  /** The job's final state is on disk (written with the replayed trace, see finish). */
  finalSaved = false;

  constructor(
    private readonly job: ReplayJob,
    private readonly services: ReplayServices,
    private readonly ctx: RunContext,
  ) {}

  private checkCancelled(): void {
    if (this.ctx.signal.aborted) throw new ReplayCancelledError();
  }

  async run(): Promise<void> {
    const { job, services } = this;
    const trace = await (this.ctx.trace ?? services.store.getTrace(job.traceId));
    if (!trace) throw new TraceNotFoundError(job.traceId);
    validateParameterOverrides(job.overrides.parameters);
    checkForkOverrides(job.overrides, services.toolHost !== undefined);
    if (job.overrides.toolPolicy === 'live' && services.toolHost) {
      this.live = new LiveReplay({
        job,
        trace,
        services,
        host: services.toolHost,
        maxSteps: job.overrides.maxSteps ?? DEFAULT_MAX_STEPS,
        signal: this.ctx.signal,
        summarize,
      });
    }
    if (job.overrides.fromSpanId !== undefined) {
      this.fork = forkSpanOf(trace, job.overrides.fromSpanId);
      this.beforeFork = spansBeforeFork(trace, this.fork);
    }
    // Before any request: spans that recorded no input are never sent; with none left, nothing is.
    const replayability = traceReplayability(trace);
    if (replayability.refused.length > 0 && replayability.replayable.length === 0) {
      throw new NothingReplayableError(replayabilitySummary(replayability)!);
    }
    if (job.overrides.template !== undefined) {
      if (!services.loadTemplate) throw new TemplatesUnavailableError();
      this.template = await services.loadTemplate(job.overrides.template);
      // Before any request: a template that applies to no span would change nothing.
      const link = this.template.link(trace, job.overrides.templateSpanIds);
      if (link.spanIds.length === 0)
        throw new TemplateNotLinkedError(
          link.reason ??
            `The template ${formatTemplateRef(job.overrides.template)} links to no LLM span of trace ${trace.id}.`,
        );
      if (this.fork) checkTemplateAfterFork(link.spanIds, this.beforeFork, this.fork);
      this.templateSpans = new Set(link.spanIds);
      this.templateWarning = link.warning;
    }
    const toolsPath = job.overrides.toolsPath;
    this.tools = {
      trace,
      catalog: services.toolCatalog?.(trace.id) ?? storeToolCatalog(services.store, trace.id),
      ...(toolsPath !== undefined
        ? {
            file: {
              path: toolsPath,
              tools: await (services.loadToolDefinitions ?? loadToolDefinitionsFile)(toolsPath),
            },
          }
        : {}),
    };
    const previous = new Map(job.spans.map((r) => [r.originalSpanId, r]));
    let lastLlm = -1;
    trace.spans.forEach((s, i) => {
      if (s.kind === 'llm' && s.llm) lastLlm = i;
    });
    job.spans = [];
    for (const [i, span] of trace.spans.entries()) {
      this.checkCancelled();
      const liveResult = this.live?.resultFor(span, this.prepared);
      if (liveResult) {
        job.spans.push(liveResult);
        continue;
      }
      if (span.kind !== 'llm' || !span.llm) {
        job.spans.push({
          originalSpanId: span.id,
          replaySpanId: replaySpanIdFor(job.id, span.id),
          kind: span.kind,
          status: 'reused',
          warnings: [],
        });
        continue;
      }
      if (this.beforeFork.has(span.id)) {
        this.reuseBeforeFork(span);
        continue;
      }
      const done = previous.get(span.id);
      await this.replaySpan(span, done?.status === 'replayed' && done.execution ? done : undefined, i === lastLlm);
      if (this.live && !this.live.active)
        await this.live.afterSpan(span, job.spans[job.spans.length - 1], this.prepared.get(span.id));
      const divergence = job.spans[job.spans.length - 1]?.divergence;
      if (job.overrides.toolPolicy === 'strict' && divergence) {
        throw new ToolCallsDivergedError(`Span ${span.id} (${span.name}): ${divergence.message}.`);
      }
    }
    await this.finish(trace);
  }

  /** An LLM span that ended before the fork: its recorded output, no request; later spans chain
   *  on it as if it had been replayed with the same answer. */
  private reuseBeforeFork(span: Span): void {
    const recorded = span.llm!;
    this.job.spans.push({
      originalSpanId: span.id,
      replaySpanId: replaySpanIdFor(this.job.id, span.id),
      kind: 'llm',
      status: 'reused',
      warnings: [],
    });
    this.links.push({ originalSpanId: span.id, recorded: recorded.output, replayed: recorded.output, diverged: false });
  }

  /** `last`: no LLM span follows, so the result is saved by finish, in the same write turn as the
   *  replayed trace (no await in between: it is as early on disk, one queue turn sooner). */
  private async replaySpan(span: Span, done: ReplaySpanResult | undefined, last: boolean): Promise<void> {
    const { job, services, ctx } = this;
    const result: ReplaySpanResult = done ?? {
      originalSpanId: span.id,
      replaySpanId: replaySpanIdFor(job.id, span.id),
      kind: 'llm',
      status: 'failed',
      warnings: [],
      startedAt: new Date().toISOString(),
    };
    if (this.fork?.id === span.id) result.forkPoint = true;
    const refusal = done ? undefined : ctx.mayStart?.();
    if (refusal) {
      result.status = 'cancelled';
      result.error = refusal.message;
      result.finishedAt = new Date().toISOString();
      job.spans.push(result);
      throw new StartRefused(refusal);
    }
    if (!done) ctx.emit({ type: 'span-started', job, originalSpanId: span.id });
    const recorded = span.llm!;
    try {
      const refused = unreplayableReason(span);
      if (refused !== undefined) throw new SpanNotReplayableError(span.id, refused);
      let call = structuredClone(recorded);
      const warnings: string[] = [];
      const filled = await fillToolDefinitions(call, span, this.tools);
      call = filled.call;
      warnings.push(...filled.warnings);
      if (job.overrides.mode === 'chained' || this.fork) {
        const chained = applyChain(call, this.links);
        call = chained.call;
        warnings.push(...chained.warnings);
      }
      if (this.template && this.templateSpans.has(span.id)) {
        const applied = this.template.apply(call, span.id);
        call = applied.call;
        if (this.templateWarning !== undefined) warnings.push(this.templateWarning);
        warnings.push(...applied.warnings);
      }
      call.parameters = mergeParameters(call.parameters, job.overrides.parameters);
      const target = services.resolveTarget(call, job.overrides.model);
      const request = services.gateway.build(call, target);
      warnings.push(...request.warnings);
      const prepared: PreparedCall = { call, provider: target.provider, model: target.model, api: request.api };
      this.prepared.set(span.id, prepared);
      if (!done) {
        const useCache = job.overrides.cache !== false && isCacheable(call.parameters);
        let execution = useCache ? await ctx.cache.get(request) : undefined;
        if (execution) result.cached = true;
        else {
          execution = await services.gateway.execute(request, target, { signal: ctx.signal });
          job.providerMs += execution.durationMs;
          if (useCache) await ctx.cache.put(request, execution);
        }
        result.status = 'replayed';
        result.warnings = [...warnings, ...(execution.warnings ?? [])];
        result.execution = summarize(span, prepared, request.api, execution);
        const divergence = findToolCallDivergence(
          recorded.output,
          execution.output,
          !this.diverged,
          job.overrides.toolPolicy,
        );
        if (divergence) result.divergence = divergence;
      }
      const diverged = result.divergence !== undefined;
      this.diverged ||= diverged;
      this.links.push({
        originalSpanId: span.id,
        recorded: recorded.output,
        replayed: result.execution!.output,
        diverged,
      });
    } catch (err) {
      if (err instanceof RequestAbortedError || ctx.signal.aborted) {
        result.status = 'cancelled';
        result.error = 'cancelled';
        result.finishedAt = new Date().toISOString();
        job.spans.push(result);
        throw new ReplayCancelledError();
      }
      if (isJobFatal(err)) throw err;
      result.status = 'failed';
      result.error = redactedMessage(err);
      // Later spans that contain this span's answer keep the recorded one, flagged (chained mode).
      this.links.push({
        originalSpanId: span.id,
        recorded: recorded.output,
        replayed: recorded.output,
        diverged: false,
        failed: true,
      });
    }
    if (!done) result.finishedAt = new Date().toISOString();
    job.spans.push(result);
    if (!done) {
      if (last) this.unsaved = true;
      else ctx.save(job);
      ctx.emit({ type: 'span-finished', job, result });
    }
  }

  private saveUnsaved(): void {
    if (!this.unsaved) return;
    this.unsaved = false;
    this.ctx.save(this.job);
  }

  private async finish(trace: Trace): Promise<void> {
    const { job } = this;
    const replayTrace = buildReplayTrace(trace, job, this.prepared, this.live?.traceParts());
    const liveStopped = this.live?.stopReason;
    if (liveStopped !== undefined) job.liveStopped = liveStopped;
    else delete job.liveStopped; // a resumed job whose earlier run had stopped
    // An evaluation may take long (an LLM judge): the last result must not wait for it.
    if (this.services.evaluate) this.saveUnsaved();
    await evaluateJob(job, this.services, trace, replayTrace, this.ctx.signal);
    this.ctx.providerWorkDone?.();
    // The job's final document and the replayed trace share one turn of the store's queue, so the
    // job ends one store turn sooner than with a separate final write after the trace. The job in
    // memory (what getJob and events show) turns final only once both are on disk.
    const finishedAt = new Date().toISOString();
    const final = conclude(structuredClone(job), replayTrace.id, finishedAt);
    this.unsaved = false;
    await (this.ctx.saveFinal
      ? this.ctx.saveFinal(final, replayTrace)
      : Promise.all([this.ctx.saveNow(final), this.services.store.putTrace(replayTrace)]));
    conclude(job, replayTrace.id, finishedAt);
    this.finalSaved = true;
  }
}

/** Marks a job RUNNING as it starts (a local slot or a queue worker took it), `queuedAtMs` after
 *  it was queued. */
export function markRunning(job: ReplayJob, queuedAtMs: number, now = Date.now()): void {
  job.status = 'RUNNING';
  job.startedAt = new Date(now).toISOString();
  job.queueWaitMs = Math.max(0, now - queuedAtMs);
  delete job.finishedAt;
}

/** Runs `job` (already RUNNING) to COMPLETED, FAILED or CANCELLED; never throws for job-level errors,
 *  which end up in job.error / job.errorCode. */
export async function runReplayJob(
  job: ReplayJob,
  services: ReplayServices,
  ctx: RunContext,
): Promise<{ finalSaved: boolean }> {
  const run = new JobRun(job, services, ctx);
  try {
    await run.run();
    return { finalSaved: run.finalSaved };
  } catch (err) {
    if (err instanceof StartRefused) {
      job.status = 'CANCELLED';
      job.error = err.refusal.message;
      job.errorCode = err.refusal.code;
    } else if (err instanceof ReplayCancelledError || ctx.signal.aborted) {
      job.status = 'CANCELLED';
      job.error = 'The replay was cancelled.';
      job.errorCode = 'CANCELLED';
    } else {
      job.status = 'FAILED';
      job.error = redactedMessage(err);
      const code = errorCodeOf(err);
      if (code !== undefined) job.errorCode = code;
    }
    return { finalSaved: false };
  }
}
