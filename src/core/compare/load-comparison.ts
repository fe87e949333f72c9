// Builds the comparison of a stored replay job: the job, its original trace and its replayed
// trace, all read from the store. Shared by `trace-replay compare`, the batch report and the
// extension's comparison panel. A job that is one of several samples (`--repeat`) can be compared
// with the spread of its sibling samples (loadSampledComparison).
import { UserError } from '../util/user-error';
import type { EvaluationResult, PlatformScore } from '../eval/evaluation-types';
import { listReplayJobs, openReplayJobs } from '../replay/replay-history';
import { ReplayJobNotFoundError, TraceNotFoundError } from '../replay/replay-errors';
import type { ReplaySample } from '../replay/replay-samples';
import type { ReplayJob } from '../replay/replay-types';
import type { TraceStore } from '../store/trace-store';
import { buildComparison } from './build-comparison';
import type { Comparison } from './comparison-types';
import { countOf } from './format-values';
import { withSampleSpread } from './sample-spread';

export class ReplayNotComparableError extends UserError {
  readonly code = 'REPLAY_NOT_COMPARABLE';
  constructor(readonly job: ReplayJob) {
    super(
      `Replay ${job.id} is ${job.status} and produced no replayed trace${job.error ? ` (${job.error})` : ''}; there is nothing to compare yet.`,
    );
    this.name = 'ReplayNotComparableError';
  }
}

/** `platform`: scores the trace's platform attached (e.g. Langfuse evaluators), read at the time of
 *  asking since platforms score asynchronously; shown apart from ours. */
export async function comparisonOfJob(
  store: TraceStore,
  job: ReplayJob,
  platform?: PlatformScore[],
): Promise<Comparison> {
  if (!job.replayTraceId) throw new ReplayNotComparableError(job);
  const [original, replay] = await Promise.all([store.getTrace(job.traceId), store.getTrace(job.replayTraceId)]);
  if (!original) throw new TraceNotFoundError(job.traceId);
  if (!replay) throw new TraceNotFoundError(job.replayTraceId);
  const evaluation: EvaluationResult | undefined =
    platform && platform.length > 0
      ? {
          ...(job.evaluation ?? { evaluatedAt: new Date().toISOString(), original: [], replay: [] }),
          platform: [...(job.evaluation?.platform ?? []), ...platform],
        }
      : job.evaluation;
  return buildComparison({ original, replay, job, evaluation });
}

export interface SampledComparison {
  /** The job's comparison; for an A/B sample with usable siblings, with the spread over them all
   *  (its own tables first: see withSampleSpread). */
  comparison: Comparison;
  /** One sentence on which sample the job is and what the spread covers ("sample 2 of 3 (run …):
   *  spreads over the 3 A/B samples…"); absent for a job that is not a sample. */
  sampleLine?: string;
}

/** The comparison of a stored job (comparisonOfJob) and, when it is one of several A/B samples,
 *  the spread over its sibling samples: the jobs of the same run and trace read from the store.
 *  Whatever keeps a sibling out of the spread (gone from the store, failed, no run id on an older
 *  job) is a warning of the comparison naming it. */
export async function loadSampledComparison(
  store: TraceStore,
  jobId: string,
  platform?: PlatformScore[],
): Promise<SampledComparison> {
  const jobs = await openReplayJobs(store);
  const job = jobs.isValidId(jobId) ? await jobs.get(jobId) : undefined;
  if (!job) throw new ReplayJobNotFoundError(jobId);
  return sampledComparisonOfJob(store, job, platform);
}

/** loadSampledComparison of a job already read (the VS Code comparison panel has it). */
export async function sampledComparisonOfJob(
  store: TraceStore,
  job: ReplayJob,
  platform?: PlatformScore[],
): Promise<SampledComparison> {
  const own = await comparisonOfJob(store, job, platform);
  const sample = job.sample;
  if (!sample) return { comparison: own };
  const place = samplePlace(sample);
  if (sample.run === undefined) {
    const why = `it was stored before samples carried their run id, so its sibling samples cannot be told from those of other runs`;
    return {
      comparison: withWarning(
        own,
        `No spread over samples: replay ${job.id} is ${place} of its trace, but ${why}; replay again with --repeat for a spread.`,
      ),
      sampleLine: `${place}: no spread, ${why}`,
    };
  }
  const run = sample.run;
  // Read only for a sample of a run: a plain replay (every panel refresh) opens no job collection.
  const jobs = await openReplayJobs(store);
  const siblings = (await listReplayJobs(jobs, { traceId: job.traceId })).filter(
    (j) => j.id !== job.id && j.sample?.run === run && j.sample.group === sample.group,
  );
  const byIndex = (a: ReplayJob, b: ReplayJob): number => a.sample!.index - b.sample!.index;
  const ab = siblings.filter((j) => !j.sample!.baseline).sort(byIndex);
  const aa = siblings.filter((j) => j.sample!.baseline);
  const runText = `${place} (run ${run})`;
  if (sample.baseline) {
    const abCount = storedCount(ab.length, sample.of?.repeat);
    return {
      comparison: own,
      sampleLine:
        `${runText}: no override, the recorded model replayed against its recording, so it shows the noise ` +
        `of two runs of the same request, not the change; A/B samples: ${abCount}` +
        (ab.length ? ` (compare one for the change and its spread: ${ab[0].id})` : ''),
    };
  }
  const aaText = `A/A samples: ${storedCount(aa.length, sample.of?.baselineRepeat)}`;
  const expected = Math.max(sample.of?.repeat ?? 0, ab.length + 1);
  if (expected < 2)
    return { comparison: own, sampleLine: `${runText}: the only A/B sample of its run, so no spread; ${aaText}` };

  const usable: Comparison[] = [];
  const left: string[] = [];
  for (const sibling of ab) {
    const label = `sample ${sibling.sample!.index + 1} (replay ${sibling.id})`;
    if (!sibling.replayTraceId) {
      left.push(`${label} is ${sibling.status}${sibling.error ? ` (${sibling.error})` : ''}`);
      continue;
    }
    try {
      usable.push(await comparisonOfJob(store, sibling));
    } catch (err) {
      if (!(err instanceof TraceNotFoundError)) throw err;
      left.push(`${label} has lost a trace (${err.message})`);
    }
  }
  const gone = expected - 1 - ab.length;
  if (gone > 0) left.push(`${countOf(gone, 'sample')} ${gone === 1 ? 'is' : 'are'} not in the store`);
  const leftText = left.join('; ');
  if (!usable.length) {
    const why = `the other ${countOf(expected - 1, 'A/B sample')} of run ${run}: ${leftText}`;
    return {
      comparison: withWarning(
        own,
        `No spread over samples: no sibling of replay ${job.id} can be compared (${why}); replay again with --repeat for a spread.`,
      ),
      sampleLine: `${runText}: no spread, no other A/B sample of the run can be compared (${leftText}); ${aaText}`,
    };
  }
  const n = usable.length + 1;
  const spread = withSampleSpread([own, ...usable]);
  return {
    comparison: left.length
      ? withWarning(
          spread,
          `The spread is over ${n} of the ${expected} A/B samples of run ${run}: ${leftText}; replay again with --repeat for all of them.`,
        )
      : spread,
    sampleLine: `${runText}: spreads over ${n === expected ? 'the' : `${n} of the`} ${countOf(expected, 'A/B sample')}, the tables show this sample; ${aaText}`,
  };
}

/** "sample 2 of 3", "A/A sample 1 of 2"; "sample 2" without the run's counts. */
function samplePlace(sample: ReplaySample): string {
  const total = sample.of ? (sample.baseline ? sample.of.baselineRepeat : sample.of.repeat) : undefined;
  return `${sample.baseline ? 'A/A sample' : 'sample'} ${sample.index + 1}${total !== undefined ? ` of ${total}` : ''}`;
}

/** "3", or "1 of 2 in the store" when fewer than the run made are stored. */
function storedCount(stored: number, made: number | undefined): string {
  return made !== undefined && stored < made ? `${stored} of ${made} in the store` : String(stored);
}

function withWarning(c: Comparison, message: string): Comparison {
  return { ...c, warnings: [...c.warnings, { source: 'job', message }] };
}
