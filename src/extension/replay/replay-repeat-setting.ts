// traceReplay.replay.repeat (issue 18) as sample counts: N replays of each trace with the overrides
// and, when N > 1, N without them (A/A), as the CLI's --repeat N does (see core/replay/replay-samples.ts).
// The wizard starts from it (the summary's Samples row changes it for one replay); replays queued
// without questions use it as is. Also the cost budget traceReplay.replay.maxCostUsd the summary names.
import { InvalidRepeatError, sampleCounts, SINGLE_SAMPLE, type SampleCounts } from '../../core/replay/replay-samples';
import { getSetting } from '../common/settings';

export function repeatSetting(): SampleCounts {
  const n = getSetting('replay.repeat');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new InvalidRepeatError(
      `traceReplay.replay.repeat must be a whole number of 1 or more (the replays of each trace), got ${JSON.stringify(n)}; fix it in the settings.`,
    );
  return sampleCounts(n > 1 ? n : undefined);
}

/** The wizard's default: the setting, or a single replay with the warning saying why when the
 *  setting holds something else. */
export function defaultSamples(): { counts: SampleCounts; warning?: string } {
  try {
    return { counts: repeatSetting() };
  } catch (err) {
    if (!(err instanceof InvalidRepeatError)) throw err;
    return { counts: SINGLE_SAMPLE, warning: `${err.message} The wizard starts from a single replay.` };
  }
}

/** traceReplay.replay.maxCostUsd in US dollars, 0 for none (as the host reads it: only > 0 is a budget). */
export function costBudgetSetting(): number {
  const usd = getSetting('replay.maxCostUsd');
  return typeof usd === 'number' && usd > 0 ? usd : 0;
}
