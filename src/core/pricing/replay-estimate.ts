// What a replay will cost, before it starts: the recorded token counts of every LLM call that will be
// sent, priced for the model it goes to (offline price data, llm-pricing.ts), per trace, per model and
// in total. An estimate, not a promise: the new model may answer with more or fewer tokens, so each
// call is a range — the recorded input tokens with half (low) to twice (high) the recorded output
// tokens, the recorded counts themselves being the expected value. Repeated samples multiply it
// (`samples`: replays with the overrides, and A/A baseline replays priced at the recorded model), and
// llm-judge evaluators add one call per scored output on each side, sized from the judge prompt built
// from the recorded text (about 4 characters a token). A call that cannot be priced (no usage recorded,
// a model without price data, a model that cannot be resolved) is counted as unpriced with its reason,
// never as 0. The response cache is not assumed: a call it answers would cost nothing.
import type { EvaluatorConfig } from '../eval/evaluator-types';
import { evaluationTargets } from '../eval/evaluation-targets';
import { judgeCall, type LlmJudgeOptions } from '../eval/llm-judge-evaluator';
import type { ProviderConfigs } from '../llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../llm/model-target';
import { providerById } from '../llm/provider-registry';
import type { LlmCall, Message, Trace, Usage } from '../model/trace';
import { forkSpanOf, spansBeforeFork } from '../replay/replay-fork';
import type { SampleCounts } from '../replay/replay-samples';
import { unreplayableReason } from '../replay/replayability';
import { errorMessage } from '../util/error-message';
import { priceLlmCall } from './llm-pricing';

/** The output-token factors of the range's two ends. */
export const OUTPUT_RANGE = { low: 0.5, high: 2 } as const;
/** A judge answers a short JSON object: its output tokens at the range's low end and as expected;
 *  the high end is the judge's maxTokens. */
export const JUDGE_OUTPUT_TOKENS = { low: 30, expected: 100 } as const;
const JUDGE_DEFAULT_MAX_TOKENS = 512;
/** Characters per token, to size a judge prompt that was never sent. */
const CHARS_PER_TOKEN = 4;

export interface ReplaySamples {
  /** Replays of the trace with the overrides (default 1). */
  replay?: number;
  /** A/A baseline replays with no override: the recorded model (default 0). */
  baseline?: number;
}

/** --repeat / --baseline-repeat (or the wizard's Samples) as the estimate counts them: N replays with
 *  the overrides and M A/A baseline replays of each trace. */
export function estimateSamples(counts: SampleCounts): ReplaySamples {
  return { replay: counts.repeat, baseline: counts.baselineRepeat };
}

export interface ReplayEstimateOptions {
  /** The target model (`provider:model`); absent: each call's recorded model. */
  model?: string;
  configs: ProviderConfigs;
  /** How `model` becomes a provider and model name (default parseModelSpec). */
  resolveModel?: (spec: string, configs: ProviderConfigs) => { provider: string; model: string };
  /** Replay from this span: the spans that ended before it keep their recorded output (not sent). */
  fromSpanId?: string;
  /** Samples per trace (a number, or per trace); default one replay and no baseline. */
  samples?: ReplaySamples | ((trace: Trace) => ReplaySamples);
  /** The evaluator configs of the run: its enabled llm-judge entries add their calls. */
  evaluators?: EvaluatorConfig[];
}

export type EstimateRole = 'replay' | 'baseline' | 'judge';

export interface UsdRange {
  low: number;
  expected: number;
  high: number;
}

/** The calls of one model in one role; `usd` covers the priced ones. */
export interface ModelEstimate {
  role: EstimateRole;
  /** `provider:model` as priced (or as named, when it could not be resolved). */
  model: string;
  calls: number;
  usd: UsdRange;
  unpricedCalls: number;
  /** Why the unpriced calls have no price (the first reason met). */
  unpricedReason?: string;
}

export interface TraceEstimate {
  traceId: string;
  calls: number;
  judgeCalls: number;
  usd: UsdRange;
  unpricedCalls: number;
}

export interface ReplayEstimate {
  traces: TraceEstimate[];
  models: ModelEstimate[];
  /** LLM calls the replays send (samples included), and the judge calls of their evaluation. */
  calls: number;
  judgeCalls: number;
  /** Of the priced calls only: see unpricedCalls. */
  usd: UsdRange;
  unpricedCalls: number;
  /** One per model that could not be priced, with the reason. */
  unpriced: { model: string; role: EstimateRole; calls: number; reason: string }[];
}

function zero(): UsdRange {
  return { low: 0, expected: 0, high: 0 };
}

function addRange(to: UsdRange, from: UsdRange, times = 1): void {
  to.low += from.low * times;
  to.expected += from.expected * times;
  to.high += from.high * times;
}

function withOutput(usage: Usage, outputTokens: number | undefined): Usage {
  return outputTokens === undefined ? usage : { ...usage, outputTokens };
}

type Priced = { usd: UsdRange } | { reason: string };

/** One call's range at `usages` (low, expected, high), or why it has no price. */
function priceRange(provider: string, model: string, usages: [Usage, Usage, Usage] | undefined): Priced {
  const expected = priceLlmCall({ provider, model, usage: usages?.[1] });
  if (expected.costUsd === null) return { reason: expected.reason };
  const low = priceLlmCall({ provider, model, usage: usages?.[0] }).costUsd ?? expected.costUsd;
  const high = priceLlmCall({ provider, model, usage: usages?.[2] }).costUsd ?? expected.costUsd;
  return { usd: { low, expected: expected.costUsd, high } };
}

function recordedUsages(usage: Usage | undefined): [Usage, Usage, Usage] | undefined {
  if (!usage) return undefined;
  const out = usage.outputTokens;
  return [
    withOutput(usage, out === undefined ? undefined : Math.round(out * OUTPUT_RANGE.low)),
    usage,
    withOutput(usage, out === undefined ? undefined : Math.round(out * OUTPUT_RANGE.high)),
  ];
}

/** `provider:model` as the replay resolves it, or as named when the provider is a registry one not
 *  set up here (the estimate prices it all the same: a missing key is the run's problem, not its price). */
export function estimateModelSpec(spec: string, configs: ProviderConfigs): { provider: string; model: string } {
  try {
    return parseModelSpec(spec, configs);
  } catch (err) {
    const colon = spec.indexOf(':');
    const provider = spec.slice(0, colon).trim().toLowerCase();
    const model = spec.slice(colon + 1).trim();
    if (colon > 0 && model !== '' && providerById(provider) !== undefined) return { provider, model };
    throw err;
  }
}

function samplesOf(options: ReplayEstimateOptions, trace: Trace): { replay: number; baseline: number } {
  const s = typeof options.samples === 'function' ? options.samples(trace) : (options.samples ?? {});
  return { replay: Math.max(0, s.replay ?? 1), baseline: Math.max(0, s.baseline ?? 0) };
}

/** The LLM calls of `trace` a replay sends: replayable, and not before the fork. */
function sentCalls(trace: Trace, fromSpanId: string | undefined): LlmCall[] {
  let before = new Set<string>();
  if (fromSpanId !== undefined) {
    try {
      before = spansBeforeFork(trace, forkSpanOf(trace, fromSpanId));
    } catch {
      // A span the trace does not have: the replay refuses it before sending anything.
      return [];
    }
  }
  return trace.spans
    .filter((s) => s.kind === 'llm' && s.llm && !before.has(s.id) && unreplayableReason(s) === undefined)
    .map((s) => s.llm!);
}

/** The enabled llm-judge configs. */
function judgesOf(evaluators: EvaluatorConfig[] | undefined): EvaluatorConfig[] {
  return (evaluators ?? []).filter((e) => e.enabled && e.type === 'llm-judge');
}

function messageChars(messages: Message[]): number {
  let n = 0;
  for (const m of messages)
    for (const p of m.parts) {
      if (p.type === 'text' || p.type === 'reasoning') n += p.text.length;
      else if (p.type === 'tool_call') n += p.name.length + JSON.stringify(p.arguments ?? '').length;
      else if (p.type === 'tool_result') n += String(p.content).length;
    }
  return n;
}

class Tally {
  readonly models = new Map<string, ModelEstimate>();
  readonly usd = zero();
  unpricedCalls = 0;

  add(role: EstimateRole, model: string, priced: Priced, times: number): void {
    if (times <= 0) return;
    const key = `${role}\u0000${model}`;
    let entry = this.models.get(key);
    if (!entry) this.models.set(key, (entry = { role, model, calls: 0, usd: zero(), unpricedCalls: 0 }));
    entry.calls += times;
    if ('usd' in priced) {
      addRange(entry.usd, priced.usd, times);
      addRange(this.usd, priced.usd, times);
    } else {
      entry.unpricedCalls += times;
      entry.unpricedReason ??= priced.reason;
      this.unpricedCalls += times;
    }
  }
}

export function estimateReplayCost(traces: Trace[], options: ReplayEstimateOptions): ReplayEstimate {
  const { configs } = options;
  const resolve = options.resolveModel ?? estimateModelSpec;
  let target: { provider: string; model: string } | { error: string } | undefined;
  if (options.model !== undefined) {
    try {
      target = resolve(options.model, configs);
    } catch (err) {
      target = { error: errorMessage(err) };
    }
  }
  const judges = judgesOf(options.evaluators);
  const total = new Tally();
  const perTrace: TraceEstimate[] = [];
  let calls = 0;
  let judgeCalls = 0;
  for (const trace of traces) {
    const samples = samplesOf(options, trace);
    const tally = new Tally();
    const sent = sentCalls(trace, options.fromSpanId);
    for (const call of sent) {
      // The recorded model keeps its dated response name when it is the one replayed.
      let recorded: { name: string; priced: Priced };
      try {
        const t = targetForRecorded(call, configs);
        const model = call.responseModel ?? t.model;
        recorded = {
          name: `${t.provider}:${model}`,
          priced: priceRange(t.provider, model, recordedUsages(call.usage)),
        };
      } catch (err) {
        recorded = { name: call.requestModel ?? call.responseModel ?? '?', priced: { reason: errorMessage(err) } };
      }
      let replayed = recorded;
      if (target && 'error' in target) replayed = { name: options.model!, priced: { reason: target.error } };
      else if (target)
        replayed = {
          name: `${target.provider}:${target.model}`,
          priced: priceRange(target.provider, target.model, recordedUsages(call.usage)),
        };
      for (const t of [tally, total]) {
        t.add('replay', replayed.name, replayed.priced, samples.replay);
        t.add('baseline', recorded.name, recorded.priced, samples.baseline);
      }
    }
    const jobs = samples.replay + samples.baseline;
    let traceJudgeCalls = 0;
    if (judges.length > 0 && jobs > 0) {
      // Each job scores the original and its replay; the replay's text is not known yet, so the
      // recorded text stands in for it.
      const targets = evaluationTargets(trace, trace);
      for (const judge of judges) {
        const options = judge.options as unknown as LlmJudgeOptions;
        const maxTokens = options.maxTokens ?? JUDGE_DEFAULT_MAX_TOKENS;
        let spec: { provider: string; model: string } | undefined;
        let unresolved: string | undefined;
        try {
          spec = resolve(options.model, configs);
        } catch (err) {
          unresolved = errorMessage(err);
        }
        for (const t of targets) {
          if (judge.scope !== 'all' && judge.scope !== t.input.scope) continue;
          const name = spec ? `${spec.provider}:${spec.model}` : String(options.model);
          let priced: Priced;
          if (!spec) priced = { reason: unresolved ?? 'no judge model' };
          else {
            const inputTokens = Math.ceil(
              messageChars(judgeCall(options.rubric ?? '', t.input, maxTokens).messages) / CHARS_PER_TOKEN,
            );
            const usage = (outputTokens: number): Usage => ({ inputTokens, outputTokens, inputIncludesCache: true });
            priced = priceRange(spec.provider, spec.model, [
              usage(Math.min(JUDGE_OUTPUT_TOKENS.low, maxTokens)),
              usage(Math.min(JUDGE_OUTPUT_TOKENS.expected, maxTokens)),
              usage(maxTokens),
            ]);
          }
          for (const x of [tally, total]) x.add('judge', `${judge.id} (${name})`, priced, 2 * jobs);
          traceJudgeCalls += 2 * jobs;
        }
      }
    }
    const traceCalls = sent.length * jobs;
    calls += traceCalls;
    judgeCalls += traceJudgeCalls;
    perTrace.push({
      traceId: trace.id,
      calls: traceCalls,
      judgeCalls: traceJudgeCalls,
      usd: tally.usd,
      unpricedCalls: tally.unpricedCalls,
    });
  }
  const models = [...total.models.values()];
  return {
    traces: perTrace,
    models,
    calls,
    judgeCalls,
    usd: total.usd,
    unpricedCalls: total.unpricedCalls,
    unpriced: models
      .filter((m) => m.unpricedCalls > 0)
      .map((m) => ({ model: m.model, role: m.role, calls: m.unpricedCalls, reason: m.unpricedReason ?? 'unknown' })),
  };
}
