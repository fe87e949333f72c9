// traceReplay.replay.repeat (issue 18) as sample counts: N replays of each trace with the overrides
// and, when N > 1, N without them (A/A), as the CLI's --repeat N does (see core/replay/replay-samples.ts).
import { InvalidRepeatError, sampleCounts, type SampleCounts } from '../../core/replay/replay-samples';
import { getSetting } from '../common/settings';

export function repeatSetting(): SampleCounts {
  const n = getSetting('replay.repeat');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new InvalidRepeatError(
      `traceReplay.replay.repeat must be a whole number of 1 or more (the replays of each trace), got ${JSON.stringify(n)}; fix it in the settings.`,
    );
  return sampleCounts(n > 1 ? n : undefined);
}
