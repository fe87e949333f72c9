// Markdown reports (`compare --format md`, `batch --report FILE.md`). Trace content is untrusted:
// table cells are escaped (pipes, HTML, newlines) and diffs go in fences longer than any backtick run.
import { isRegression, type BatchAggregate, type PairedStat } from './aggregate-batch';
import type { Comparison, MetricDelta, ScoreComparison, TextDiff } from './comparison-types';
import { METRIC_NAMES } from './comparison-types';
import { deltaText, directionText, elideEqual, formatSigned, formatValue, METRIC_LABELS, overridesText, trendArrow, unknownReason } from './format-values';

export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\r?\n/g, '<br>');
}

export function markdownTable(header: string[], rows: string[][], align: ('left' | 'right')[]): string {
  const sep = align.map(a => (a === 'right' ? '---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header.map(escapeCell)), line(sep), ...rows.map(r => line(r.map(escapeCell)))].join('\n');
}

function fence(body: string, lang = ''): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map(m => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body}\n${f}`;
}

/** Word diffs in git's word-diff notation; JSON diffs as a ```diff block. */
export function diffMarkdown(diff: TextDiff): string {
  if (diff.format === 'json') {
    const lines: string[] = [];
    for (const c of diff.chunks) {
      const prefix = c.op === 'insert' ? '+' : c.op === 'delete' ? '-' : ' ';
      const text = c.text.endsWith('\n') ? c.text.slice(0, -1) : c.text;
      for (const l of text.split('\n')) lines.push(prefix + l);
    }
    return fence(lines.join('\n'), 'diff');
  }
  const body = elideEqual(diff.chunks)
    .map(c => (c.op === 'equal' ? c.text : c.op === 'insert' ? `{+${c.text}+}` : `[-${c.text}-]`))
    .join('');
  return fence(body, 'text');
}

const metricCells = (m: MetricDelta): string[] => [formatValue(m.original, m.unit), formatValue(m.replay, m.unit), deltaText(m), directionText(m.direction)];

function scoreRows(scores: ScoreComparison[]): string[][] {
  return scores.map(s => [
    s.evaluatorId,
    s.original?.error ? 'error' : formatValue(s.original?.value ?? null, 'score'),
    s.replay?.error ? 'error' : formatValue(s.replay?.value ?? null, 'score'),
    deltaText(s.delta),
    directionText(s.delta.direction),
    s.versionMismatch ? 'versions differ' : (s.replay?.error ?? s.original?.error ?? ''),
  ]);
}

const SCORE_HEADER = ['Evaluator', 'Original', 'Replay', 'Delta', 'Trend', 'Note'];
const SCORE_ALIGN: ('left' | 'right')[] = ['left', 'right', 'right', 'left', 'left', 'left'];

export function renderComparisonMarkdown(c: Comparison): string {
  const out: string[] = [];
  out.push(`## Replay \`${c.replayId}\` of ${escapeCell(c.traceName)}`, '');
  out.push(`- Status: ${c.jobStatus}`, `- Original trace: \`${c.originalTraceId}\``, `- Replay trace: \`${c.replayTraceId}\``);
  out.push(`- Overrides: ${escapeCell(overridesText(c.overrides))}`, '');

  out.push('### Metrics', '');
  const metricRows = METRIC_NAMES.map(n => [METRIC_LABELS[n], ...metricCells(c.metrics[n])]);
  out.push(markdownTable(['Metric', 'Original', 'Replay', 'Delta', 'Trend'], metricRows, ['left', 'right', 'right', 'left', 'left']), '');
  for (const n of METRIC_NAMES) {
    const why = unknownReason(c.metrics[n]);
    if (why) out.push(`- ${METRIC_LABELS[n]} unknown: ${escapeCell(why)}`);
  }
  const t = c.timing;
  out.push(
    `- Replay time: queue wait ${formatValue(t.queueWaitMs, 'ms')}, provider ${formatValue(t.providerMs, 'ms')}, wall ${formatValue(t.wallMs, 'ms')}; ${t.sentCalls} call(s) sent, ${t.cachedCalls} from cache`,
    '',
  );

  out.push('### Spans', '');
  const spanRows = c.spans.map(r => {
    const ref = (r.original ?? r.replay)!;
    const om = r.original?.model;
    const rm = r.replay?.model;
    return [
      r.status,
      `${'\u00a0\u00a0'.repeat(r.depth)}${ref.name}`,
      ref.kind,
      formatValue(r.original?.durationMs ?? null, 'ms'),
      formatValue(r.replay?.durationMs ?? null, 'ms'),
      om && rm && om !== rm ? `${om} → ${rm}` : (rm ?? om ?? ''),
      r.llm?.output ? (r.llm.output.changed ? 'changed' : 'same') : '',
      [r.cached ? 'cached' : '', r.error ? `error: ${r.error}` : '', r.divergence ? `diverged: ${r.divergence}` : ''].filter(Boolean).join('; '),
    ];
  });
  out.push(markdownTable(['Status', 'Span', 'Kind', 'Original', 'Replay', 'Model', 'Output', 'Notes'], spanRows, ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left']), '');

  out.push('### Scores', '');
  out.push(c.scores.length ? markdownTable(SCORE_HEADER, scoreRows(c.scores), SCORE_ALIGN) : '_No trace-level scores._', '');
  if (c.skippedEvaluators.length) out.push(`Skipped: ${c.skippedEvaluators.map(s => `${s.evaluatorId} (${escapeCell(s.reason)})`).join(', ')}`, '');
  if (c.platformScores.length) {
    out.push('Platform scores (original trace):', '');
    out.push(markdownTable(['Name', 'Value', 'Source'], c.platformScores.map(p => [p.name, String(p.value), p.source]), ['left', 'right', 'left']), '');
  }

  const changed = c.spans.filter(r => r.llm && (r.llm.input.changed || r.llm.output?.changed || r.scores.length));
  if (changed.length) out.push('### Changes per LLM span', '');
  for (const r of changed) {
    const llm = r.llm!;
    const ref = (r.original ?? r.replay)!;
    out.push(`#### ${escapeCell(ref.name)} (\`${ref.spanId}\`)`, '');
    if (llm.input.model.changed) out.push(`- Model: ${escapeCell(llm.input.model.original ?? '—')} → ${escapeCell(llm.input.model.replay ?? '—')}`);
    for (const p of llm.input.parameters) out.push(`- ${escapeCell(p.name)}: ${escapeCell(JSON.stringify(p.original) ?? '—')} → ${escapeCell(JSON.stringify(p.replay) ?? '—')}`);
    if (llm.input.toolsChanged) out.push('- Tools: changed');
    out.push('');
    if (llm.input.messages.changed) out.push('Messages:', '', diffMarkdown(llm.input.messages), '');
    if (llm.output?.text.changed) out.push('Output:', '', diffMarkdown(llm.output.text), '');
    for (const tc of llm.output?.toolCalls ?? []) {
      if (!tc.nameChanged && !tc.arguments.changed) continue;
      const name = tc.nameChanged ? `${tc.originalName ?? '—'} → ${tc.replayName ?? '—'}` : (tc.replayName ?? '');
      out.push(`Tool call ${tc.index + 1} ${escapeCell(name)}:`, '', diffMarkdown(tc.arguments), '');
    }
    if (r.scores.length) out.push(markdownTable(SCORE_HEADER, scoreRows(r.scores), SCORE_ALIGN), '');
  }

  if (c.warnings.length) out.push('### Warnings', '', ...c.warnings.map(w => `- [${w.source}] ${escapeCell(w.message)}`), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function statCells(s: PairedStat, label: string, threshold: number | undefined): string[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  return [
    label,
    formatValue(s.meanOriginal, s.unit),
    formatValue(s.meanReplay, s.unit),
    `${trendArrow({ delta: s.meanDelta, unit: s.unit })} ${formatSigned(s.meanDelta, s.unit)}`,
    s.ci ? `[${formatSigned(s.ci.low, s.unit)}, ${formatSigned(s.ci.high, s.unit)}]` : '—',
    `${s.wins} / ${s.losses} / ${s.ties}`,
    `${s.n}${s.unpaired ? ` (+${s.unpaired} unpaired)` : ''}`,
    regressed ? '**regression**' : directionText(s.direction),
  ];
}

export function renderBatchMarkdown(agg: BatchAggregate, options: { threshold?: number; title?: string } = {}): string {
  const level = `${Math.round(agg.level * 100)}% CI`;
  const header = ['', 'Original (mean)', 'Replay (mean)', 'Mean delta', level, 'Wins / losses / ties', 'n', 'Trend'];
  const align: ('left' | 'right')[] = ['left', 'right', 'right', 'left', 'left', 'right', 'right', 'left'];
  const out = [
    `## ${escapeCell(options.title ?? 'Batch replay report')}`,
    '',
    `${agg.count} replay(s)${agg.incomplete ? `, ${agg.incomplete} incomplete` : ''}. Paired deltas are replay − original; ` +
      `bootstrap ${level} over ${agg.resamples} resamples (seed ${agg.seed}). Wins: the replay is better.`,
  ];
  if (options.threshold !== undefined) out.push(`Regression gate: mean score delta below −${options.threshold} with the CI excluding 0.`);
  out.push('', '### Evaluators', '');
  const statRow = (s: PairedStat, label: string): string[] => statCells(s, label, options.threshold);
  out.push(agg.evaluators.length ? markdownTable(header, agg.evaluators.map(s => statRow(s, s.name)), align) : '_No scores._', '');
  out.push('### Metrics', '');
  out.push(markdownTable(header, METRIC_NAMES.map(n => statCells(agg.metrics[n], METRIC_LABELS[n], undefined)), align));
  return out.join('\n') + '\n';
}
