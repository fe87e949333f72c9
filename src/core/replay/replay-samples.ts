// Repeated samples (`--repeat N`, `--baseline-repeat M`): each trace is replayed N times with the
// overrides (A/B) and M times without them (A/A, the recorded model against itself today), so a batch
// can tell a real change from the noise of two runs of the same request. This file holds the
// counts, their checks, the job plan and the overrides of a baseline sample; the statistics are in
// core/compare/noise-floor.ts.
import { randomUUID } from 'node:crypto';
import { UserError } from '../util/user-error';
import type { ReplayOverrides } from './replay-types';

/** Which sample of which trace a job is: `group` is the trace id, `index` counts from 0 within
 *  the A/B samples or within the A/A samples of that trace. */
export interface ReplaySample {
  group: string;
  index: number;
  /** True for an A/A sample (no override). */
  baseline: boolean;
  /** The run the sample belongs to: the samples queued together (the batch id of a named Redis batch,
   *  else a fresh id), so a comparison can find a job's sibling samples in the store. Absent on jobs
   *  stored before it existed. */
  run?: string;
  /** The counts of that run (how many A/B and A/A samples each trace got). */
  of?: SampleCounts;
}

export interface SampleCounts {
  /** A/B samples per trace (>= 1). */
  repeat: number;
  /** A/A samples per trace (>= 0). */
  baselineRepeat: number;
}

export const SINGLE_SAMPLE: SampleCounts = { repeat: 1, baselineRepeat: 0 };

export class InvalidRepeatError extends UserError {
  readonly code = 'INVALID_REPEAT';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRepeatError';
  }
}

/** The counts from `--repeat` / `--baseline-repeat` (as typed, or numbers from the setting): repeat
 *  is a whole number >= 1, baselineRepeat a whole number >= 0 that defaults to repeat when repeat was
 *  given and to 0 when not. */
export function sampleCounts(repeat?: string | number, baselineRepeat?: string | number): SampleCounts {
  const n = count(repeat, 1, '--repeat', 'the samples with the overrides per trace');
  const m = count(baselineRepeat, 0, '--baseline-repeat', 'the samples without overrides per trace');
  return { repeat: n ?? 1, baselineRepeat: m ?? (n !== undefined ? n : 0) };
}

function count(value: string | number | undefined, min: number, flag: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidRepeatError(
      `${flag} must be a whole number of ${min} or more (${what}), got ${JSON.stringify(value)}.`,
    );
  return n;
}

/** Replays one trace gets: N A/B samples plus M A/A samples (what a cost estimate multiplies by). */
export function samplesPerTrace(counts: SampleCounts): number {
  return counts.repeat + counts.baselineRepeat;
}

/** More than one answer per request is asked for: the response cache must not serve them. */
export function isRepeated(counts: SampleCounts): boolean {
  return counts.repeat > 1 || counts.baselineRepeat > 0;
}

/** Said once when repeated samples turn the response cache off. */
export const CACHE_BYPASS_NOTICE =
  'repeated samples bypass the response cache: a cached answer would repeat itself and fake agreement, so every sample is sent to the provider.';

/** The overrides of an A/A sample: no model, parameters or template (the treatment), the same way of
 *  replaying (mode, fork span, tool policy, tool definitions, step bound), and never the cache. */
export function baselineOverrides(overrides: ReplayOverrides): ReplayOverrides {
  const out: ReplayOverrides = { cache: false };
  if (overrides.mode !== undefined) out.mode = overrides.mode;
  if (overrides.fromSpanId !== undefined) out.fromSpanId = overrides.fromSpanId;
  if (overrides.toolPolicy !== undefined) out.toolPolicy = overrides.toolPolicy;
  if (overrides.toolsPath !== undefined) out.toolsPath = overrides.toolsPath;
  if (overrides.maxSteps !== undefined) out.maxSteps = overrides.maxSteps;
  return out;
}

export interface PlannedSample {
  traceId: string;
  overrides: ReplayOverrides;
  /** Absent for a single A/B sample and no baseline (a plain replay, as before samples existed). */
  sample?: ReplaySample;
}

/** The jobs to queue, trace by trace: its N A/B samples, then its M A/A samples. Repeated samples
 *  run with the cache off (see CACHE_BYPASS_NOTICE). */
export function planSamples(
  traceIds: readonly string[],
  overrides: ReplayOverrides,
  counts: SampleCounts,
  /** The run id the samples share (see ReplaySample.run). */
  run: string = randomUUID(),
): PlannedSample[] {
  if (!isRepeated(counts)) return traceIds.map((traceId) => ({ traceId, overrides }));
  const of = { ...counts };
  const ab: ReplayOverrides = { ...overrides, cache: false };
  const aa = baselineOverrides(overrides);
  const out: PlannedSample[] = [];
  for (const traceId of traceIds) {
    for (let i = 0; i < counts.repeat; i++)
      out.push({ traceId, overrides: ab, sample: { group: traceId, index: i, baseline: false, run, of } });
    for (let j = 0; j < counts.baselineRepeat; j++)
      out.push({ traceId, overrides: aa, sample: { group: traceId, index: j, baseline: true, run, of } });
  }
  return out;
}

/** A job's sample in a list: "sample 2/3" for an A/B sample, "A/A 1/3" for an A/A one (the count is
 *  the run's A/B or A/A samples per trace; without the run's counts, on older jobs, "sample 2"). */
export function sampleLabel(sample: ReplaySample): string {
  const total = sample.of ? (sample.baseline ? sample.of.baselineRepeat : sample.of.repeat) : undefined;
  return `${sample.baseline ? 'A/A' : 'sample'} ${sample.index + 1}${total !== undefined ? `/${total}` : ''}`;
}
