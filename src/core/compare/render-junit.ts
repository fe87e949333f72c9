// JUnit XML for `batch --junit`: one testcase per evaluator, failing when it regresses under the
// threshold, so CI systems show evaluator regressions like failing tests.
import { isRegression, type BatchAggregate, type PairedStat } from './aggregate-batch';
import { formatSigned, formatValue } from './format-values';

export interface JunitOptions {
  /** The --fail-on-regression threshold; without it no testcase fails. */
  threshold?: number;
  suiteName?: string;
}

/** Escapes text for XML 1.0 attributes and content, dropping characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function summary(s: PairedStat): string {
  const ci = s.ci ? `[${formatSigned(s.ci.low, 'score')}, ${formatSigned(s.ci.high, 'score')}]` : 'n/a';
  return (
    `mean original ${formatValue(s.meanOriginal, 'score')}, mean replay ${formatValue(s.meanReplay, 'score')}, ` +
    `mean delta ${formatSigned(s.meanDelta, 'score')}, CI ${ci}, wins/losses/ties ${s.wins}/${s.losses}/${s.ties}, n ${s.n}` +
    (s.unpaired ? ` (+${s.unpaired} unpaired)` : '')
  );
}

export function renderJunit(agg: BatchAggregate, options: JunitOptions = {}): string {
  const suite = options.suiteName ?? 'trace-replay';
  const threshold = options.threshold;
  const cases = agg.evaluators.map(s => {
    const open = `    <testcase classname="${xmlEscape(`${suite}.evaluators`)}" name="${xmlEscape(s.name)}" time="0">`;
    const out = `      <system-out>${xmlEscape(summary(s))}</system-out>`;
    if (threshold !== undefined && isRegression(s, threshold)) {
      const message = `${s.name} regressed: mean delta ${formatSigned(s.meanDelta, 'score')} < -${threshold} and the CI excludes 0`;
      return [open, `      <failure message="${xmlEscape(message)}" type="regression">${xmlEscape(summary(s))}</failure>`, out, '    </testcase>'].join('\n');
    }
    if (s.n === 0) return [open, `      <skipped message="${xmlEscape('no comparable scores (every pair had an unknown side)')}"/>`, out, '    </testcase>'].join('\n');
    return [open, out, '    </testcase>'].join('\n');
  });
  const failures = threshold === undefined ? 0 : agg.evaluators.filter(s => isRegression(s, threshold)).length;
  const skipped = agg.evaluators.filter(s => s.n === 0 && !(threshold !== undefined && isRegression(s, threshold))).length;
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
