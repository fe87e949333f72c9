// JUnit XML for `batch --junit`: one testcase per evaluator, failing when it regresses under the
// threshold, so CI systems show evaluator regressions like failing tests.
import { isRegression, type BatchAggregate, type PairedStat } from './aggregate-batch';
import { statTexts, versusTexts } from './stat-texts';

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
    return `scored against the original (1.000 = the same output): mean replay vs original ${v.mean}, CI ${v.ci === '—' ? 'n/a' : v.ci}, differs/same ${v.counts}, n ${v.n}`;
  }
  const t = statTexts(s);
  const delta = t.delta.replace(/^\S+ /, '');
  return `mean original ${t.original}, mean replay ${t.replay}, mean delta ${delta}, CI ${t.ci === '—' ? 'n/a' : t.ci}, wins/losses/ties ${t.counts}, n ${t.n}`;
}

function failureMessage(s: PairedStat, threshold: number): string {
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
  ].map(([k, v]) => `      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `  <testsuite name="${xmlEscape(`${suite}.evaluators`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
