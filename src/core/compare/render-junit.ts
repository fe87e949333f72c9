// JUnit XML for `batch --junit`: one testcase per evaluator, failing when it regresses under the
// threshold, so CI systems show evaluator regressions like failing tests. With A/A samples (--repeat)
// each testcase says the noise band and the verdict the gate used; the suite's properties and its
// system-out carry the tool-call drift of the batch.
import { isRegression, type BatchAggregate, type PairedStat } from './aggregate-batch';
import { formatChange } from './format-values';
import { VERDICT_LABELS } from './noise-floor';
import { noiseText, statTexts, versusTexts } from './stat-texts';
import { batchToolDriftText, TOOL_DRIFT_STATUSES } from './tool-drift';

export interface JunitOptions {
  /** The --fail-on-regression threshold; without it no testcase fails. */
  threshold?: number;
  suiteName?: string;
}

/** Escapes text for XML 1.0 attributes and content, dropping characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** What the numbers are: both means and their delta for a reference-free evaluator; for one that
 *  scores the replay against the original, the mean replay-vs-original score (1 = the same output). */
function summary(s: PairedStat): string {
  if (s.referenceBased) {
    const v = versusTexts(s);
    return `scored against the original (1.000 = the same output): mean replay vs original ${v.mean}, CI ${v.ci === '—' ? 'n/a' : v.ci}, differs/same ${v.counts}, n ${v.n}${noiseSummary(s)}`;
  }
  const t = statTexts(s);
  const delta = t.delta.replace(/^\S+ /, '');
  return `mean original ${t.original}, mean replay ${t.replay}, mean delta ${delta}, CI ${t.ci === '—' ? 'n/a' : t.ci}, wins/losses/ties ${t.counts}, n ${t.n}${noiseSummary(s)}`;
}

/** With A/A samples: ", A/A noise [-0.080, +0.050], verdict not enough evidence". */
function noiseSummary(s: PairedStat): string {
  if (!s.noise) return '';
  return `, A/A noise ${noiseText(s, s.referenceBased === true)} (${s.noise.samples} samples), verdict ${VERDICT_LABELS[s.verdict]}`;
}

function failureMessage(s: PairedStat, threshold: number): string {
  if (s.noise) {
    // The gate with A/A samples (isRegression): worse beyond the noise band, by more than the threshold.
    const beyond = formatChange(s.meanOriginal, s.meanReplay, s.unit).signed((s.meanDelta ?? 0) - s.noise.center);
    return `${s.name} regressed: worse than the A/A noise ${noiseText(s, s.referenceBased === true)} allows, by ${beyond} from the A/A centre (< -${threshold})`;
  }
  if (s.referenceBased) {
    const own = statTexts(s).original;
    return `${s.name} regressed: the replays score ${versusTexts(s).mean} against the original on average, more than ${threshold} below the original's own ${own}, and the CI of that difference excludes 0`;
  }
  return `${s.name} regressed: mean delta ${statTexts(s).delta.replace(/^\S+ /, '')} < -${threshold} and the CI excludes 0`;
}

export function renderJunit(agg: BatchAggregate, options: JunitOptions = {}): string {
  const suite = options.suiteName ?? 'trace-replay';
  const threshold = options.threshold;
  const cases = agg.evaluators.map((s) => {
    const open = `    <testcase classname="${xmlEscape(`${suite}.evaluators`)}" name="${xmlEscape(s.name)}" time="0">`;
    const out = `      <system-out>${xmlEscape(summary(s))}</system-out>`;
    if (threshold !== undefined && isRegression(s, threshold)) {
      const message = failureMessage(s, threshold);
      return [
        open,
        `      <failure message="${xmlEscape(message)}" type="regression">${xmlEscape(summary(s))}</failure>`,
        out,
        '    </testcase>',
      ].join('\n');
    }
    if (s.n === 0)
      return [
        open,
        `      <skipped message="${xmlEscape('no comparable scores (every pair had an unknown side)')}"/>`,
        out,
        '    </testcase>',
      ].join('\n');
    return [open, out, '    </testcase>'].join('\n');
  });
  const failures = threshold === undefined ? 0 : agg.evaluators.filter((s) => isRegression(s, threshold)).length;
  const skipped = agg.evaluators.filter(
    (s) => s.n === 0 && !(threshold !== undefined && isRegression(s, threshold)),
  ).length;
  const props = [
    ['replays', String(agg.count)],
    ['incomplete', String(agg.incomplete)],
    ['bootstrap.seed', String(agg.seed)],
    ['bootstrap.resamples', String(agg.resamples)],
    ['bootstrap.level', String(agg.level)],
    ...(threshold !== undefined ? [['threshold', String(threshold)]] : []),
    ...(agg.samples
      ? [
          ['samples.repeat', String(agg.samples.repeat)],
          ['samples.baselineRepeat', String(agg.samples.baselineRepeat)],
        ]
      : []),
    ['toolDrift.tracesWithToolCalls', String(agg.toolDrift.withToolCalls)],
    ['toolDrift.drifted', String(agg.toolDrift.drifted)],
    ...TOOL_DRIFT_STATUSES.map((k) => [`toolDrift.calls.${k}`, String(agg.toolDrift.counts[k])]),
  ].map(([k, v]) => `      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
  const drift = batchToolDriftText(agg.toolDrift);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `  <testsuite name="${xmlEscape(`${suite}.evaluators`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    ...(drift ? [`    <system-out>${xmlEscape(drift)}</system-out>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
