// The words of repeated samples (issue 18) in the "Replay Trace" wizard, without VS Code: how many
// samples a choice means ("3 with your changes + 3 without (A/A noise floor)"), a typed count's check,
// and the summary's Estimated cost row counting the samples (the core estimate prices the A/A ones at
// the recorded model) and the cost budget (traceReplay.replay.maxCostUsd) the host enforces.
import { countOf } from '../../core/compare/format-values';
import { formatUsd } from '../../core/pricing/estimate-text';
import { CACHE_BYPASS_NOTICE, isRepeated, sampleCounts, type SampleCounts } from '../../core/replay/replay-samples';
import type { CostEstimate } from './replay-estimate';

/** The most samples the wizard takes (the setting traceReplay.replay.repeat's maximum). */
export const MAX_SAMPLES = 20;

/** The counts of a choice of N: N with the overrides and, when N > 1, N A/A (as the setting). */
export function countsOf(n: number): SampleCounts {
  return sampleCounts(n > 1 ? n : undefined);
}

/** "1 (a single replay)", or "3 with your changes + 3 without (A/A noise floor)"; "per trace" for a batch. */
export function samplesText(counts: SampleCounts, traces = 1): string {
  if (!isRepeated(counts)) return traces > 1 ? '1 per trace (a single replay each)' : '1 (a single replay)';
  const aa = counts.baselineRepeat > 0 ? ` + ${counts.baselineRepeat} without (A/A noise floor)` : '';
  return `${counts.repeat} with your changes${aa}${traces > 1 ? ' per trace' : ''}`;
}

/** What repeated samples do besides: said on the pick's rows and the summary's Samples row. */
export const SAMPLES_DETAIL = `Repeated samples bypass the response cache (every sample is sent to the provider); the batch panel shows their spread and the verdict`;

/** The notification when repeated samples turn the cache off. */
export const SAMPLES_CACHE_NOTICE = CACHE_BYPASS_NOTICE.charAt(0).toUpperCase() + CACHE_BYPASS_NOTICE.slice(1);

/** A typed number of samples: the problem, or undefined when it is a whole number from 1 to MAX_SAMPLES. */
export function sampleCountProblem(text: string): string | undefined {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_SAMPLES) return undefined;
  return `Type a whole number from 1 to ${MAX_SAMPLES} (replays of each trace with your changes; as many run without them), got "${t}".`;
}

export interface CostRowText {
  description: string;
  detail: string;
}

/** The summary's Estimated cost row: the range of every sample (`cost` was estimated with the
 *  counts), what it counts, and with a budget (> 0) the budget, warned when the estimate reaches past it. */
export function costRowText(cost: CostEstimate, counts: SampleCounts, budgetUsd: number): CostRowText {
  const parts: string[] = [];
  const usd = cost.estimate.usd;
  const budget = budgetUsd > 0 ? formatUsd(budgetUsd) : undefined;
  const setting = 'traceReplay.replay.maxCostUsd';
  if (budget !== undefined && usd.expected > budgetUsd)
    parts.push(
      `$(warning) The expected cost ${formatUsd(usd.expected)} is over the ${budget} budget (${setting}): the replay will stop when the budget is spent, before every call is sent`,
    );
  else if (budget !== undefined && usd.high > budgetUsd)
    parts.push(
      `$(warning) The high end ${formatUsd(usd.high)} is over the ${budget} budget (${setting}): the replay will stop when the budget is spent`,
    );
  if (budget !== undefined && cost.estimate.unpricedCalls > 0)
    parts.push(`${countOf(cost.estimate.unpricedCalls, 'call')} without a price cannot count against the budget`);
  if (isRepeated(counts))
    parts.push(
      `${countOf(counts.repeat, 'replay')} with your changes + ${counts.baselineRepeat} A/A at the recorded model's prices per trace`,
    );
  parts.push(cost.basis);
  return {
    description: budget !== undefined ? `${cost.range} · budget ${budget}` : cost.range,
    detail: parts.join('; '),
  };
}
