// Live tool mode inside a replay job (overrides.toolPolicy 'live'): the first replayed LLM span whose
// answer asks for tools hands over to the live tool loop (live-tool-loop.ts); from there the loop's
// steps stand for the rest of the recording. Later recorded LLM spans are matched to the loop's LLM
// steps in order, recorded tool spans (after the hand-over) to its tool steps of the same name in
// order; a recorded span no step matches is `missing` (the live run did not take that step), a step
// no recorded span matches becomes a new span of the replayed trace, marked new. Why the loop
// stopped early (max steps, a tool with no result, a failed step) fails the job with that reason,
// once the replayed trace is written. A resumed job runs the loop again from the hand-over: its tools
// run again, and the span says so.
import type { LlmExecution } from '../llm/llm-types';
import type { Span, Trace } from '../model/trace';
import { recordedToolResults } from '../tools/recorded-tool-results';
import type { ToolHost } from '../tools/tool-host';
import { runLiveToolLoop, type LiveLlmStep, type LiveToolLoopResult, type LiveToolStep } from './live-tool-loop';
import { replaySpanIdFor } from './replay-ids';
import type { ReplayServices } from './replay-services';
import type { PreparedCall } from './replay-trace-builder';
import type { ReplayExecutionSummary, ReplayJob, ReplaySpanResult } from './replay-types';

/** The hand-over span's warning when the job was resumed after an interruption. */
export const RESUMED_LIVE_WARNING =
  'This replay was resumed after an interruption: the live tools of this replay run again from this span (a tool that had already run before the interruption is called a second time).';

/** Default bound on the extra LLM calls of a live run (`--max-steps`). */
export const DEFAULT_MAX_STEPS = 20;

/** A span the live run added to the replayed trace (no recorded counterpart). */
export interface AddedSpan {
  /** Stable key of the span within the job (its id derives from it). */
  key: string;
  /** The recorded span whose parent it gets (the span that handed over). */
  siblingOf: string;
  step: LiveLlmStep | LiveToolStep;
}

/** What the trace builder needs from a live run. */
export interface LiveTraceParts {
  /** Recorded tool spans matched to a loop tool step, by original span id: what the step got. */
  toolResults: ReadonlyMap<string, LiveToolStep>;
  added: readonly AddedSpan[];
}

export interface LiveReplayOptions {
  job: ReplayJob;
  trace: Trace;
  services: ReplayServices;
  host: ToolHost;
  maxSteps: number;
  signal: AbortSignal;
  /** The runner's summary of one execution for a recorded LLM span (cost, original cost, ...). */
  summarize(span: Span, prepared: PreparedCall, api: string, execution: LlmExecution): ReplayExecutionSummary;
}

function missingResult(job: ReplayJob, span: Span, why: string): ReplaySpanResult {
  return {
    originalSpanId: span.id,
    replaySpanId: replaySpanIdFor(job.id, span.id),
    kind: span.kind,
    status: 'missing',
    warnings: [`the live run did not take this recorded step (${why})`],
  };
}

export class LiveReplay {
  private loop?: LiveToolLoopResult;
  private handOver?: Span;
  private nextLlm = 0;
  private readonly usedTools = new Set<LiveToolStep>();
  private readonly usedLlm = new Set<LiveLlmStep>();
  private readonly matchedTools = new Map<string, LiveToolStep>();

  constructor(private readonly options: LiveReplayOptions) {}

  /** Whether a span has handed over: later spans are answered by resultFor. */
  get active(): boolean {
    return this.loop !== undefined;
  }

  /** Why the live run stopped before the model's final answer (the job fails with it). */
  get stopReason(): string | undefined {
    return this.loop?.stopped?.reason;
  }

  /** After a replayed LLM span: when its answer asks for tools, the live loop runs from there. */
  async afterSpan(span: Span, result: ReplaySpanResult, prepared: PreparedCall | undefined): Promise<void> {
    const output = result.execution?.output;
    if (this.loop || result.status !== 'replayed' || !output || output.toolCalls.length === 0 || !prepared) return;
    const { job, trace, services, host, maxSteps, signal } = this.options;
    this.handOver = span;
    const loop = await runLiveToolLoop({
      call: prepared.call,
      output,
      services,
      ...(job.overrides.model !== undefined ? { modelSpec: job.overrides.model } : {}),
      host,
      recorded: recordedToolResults(trace),
      maxSteps,
      signal,
    });
    this.loop = loop;
    result.toolResults = loop.toolResults;
    // A resumed job's span result already holds the warnings of its first run.
    const warnings = [...(job.resumed ? [RESUMED_LIVE_WARNING] : []), ...loop.warnings];
    if (loop.stopped) warnings.push(loop.stopped.reason);
    for (const w of warnings) if (!result.warnings.includes(w)) result.warnings.push(w);
    for (const step of loop.llmSteps) job.providerMs += step.execution.durationMs;
  }

  /** The result of a span after the hand-over (undefined: the runner handles it as usual). Matched
   *  LLM spans add their prepared call to `prepared` for the trace builder. */
  resultFor(span: Span, prepared: Map<string, PreparedCall>): ReplaySpanResult | undefined {
    const { loop, handOver } = this;
    if (!loop || !handOver) return undefined;
    const { job } = this.options;
    if (span.kind === 'llm' && span.llm) {
      const step = loop.llmSteps[this.nextLlm++];
      if (!step) return missingResult(job, span, loop.stopped ? loop.stopped.reason : 'the model answered earlier');
      this.usedLlm.add(step);
      const call: PreparedCall = {
        call: step.call,
        provider: step.target.provider,
        model: step.target.model,
        api: step.api,
      };
      prepared.set(span.id, call);
      return {
        originalSpanId: span.id,
        replaySpanId: replaySpanIdFor(job.id, span.id),
        kind: 'llm',
        status: 'replayed',
        warnings: [...step.requestWarnings, ...(step.execution.warnings ?? [])],
        execution: this.options.summarize(span, call, step.api, step.execution),
        toolResults: step.toolResults,
        startedAt: step.startedAt,
        finishedAt: step.finishedAt,
      };
    }
    if (span.kind === 'tool' && span.startTime >= handOver.startTime) {
      const name = span.toolName ?? span.name;
      const step = loop.toolSteps.find((t) => !this.usedTools.has(t) && t.result !== undefined && t.name === name);
      if (!step) return missingResult(job, span, `no live call of ${name} matched it`);
      this.usedTools.add(step);
      this.matchedTools.set(span.id, step);
      return {
        originalSpanId: span.id,
        replaySpanId: replaySpanIdFor(job.id, span.id),
        kind: 'tool',
        status: step.source === 'live' ? 'replayed' : 'reused',
        warnings: step.warnings,
        startedAt: step.startedAt,
        finishedAt: step.finishedAt,
      };
    }
    return undefined;
  }

  /** The parts of the replayed trace the live run changed or added. */
  traceParts(): LiveTraceParts | undefined {
    const { loop, handOver } = this;
    if (!loop || !handOver) return undefined;
    const added: AddedSpan[] = [];
    loop.steps.forEach((step, i) => {
      const used = step.kind === 'llm' ? this.usedLlm.has(step) : this.usedTools.has(step);
      if (!used) added.push({ key: `live-step-${i}`, siblingOf: handOver.id, step });
    });
    return { toolResults: this.matchedTools, added };
  }
}
