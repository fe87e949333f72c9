// Terminal rendering of a comparison and of a batch aggregate: aligned tables, ▲ ▼ = trend arrows
// with better / worse marks, word diffs as [-deleted-]{+inserted+} (or red / green with colour).
import type { BatchAggregate, PairedStat } from './aggregate-batch';
import { isRegression } from './aggregate-batch';
import type { Comparison, Direction, MetricDelta, ScoreComparison, SpanRow, TextDiff } from './comparison-types';
import { METRIC_NAMES } from './comparison-types';
import {
  deltaText,
  directionText,
  elideEqual,
  formatSigned,
  formatValue,
  METRIC_LABELS,
  overridesText,
  safeText,
  trendArrow,
  unknownReason,
} from './format-values';
import { paint, renderTable, type Cell } from './text-table';

export interface TextRenderOptions {
  /** ANSI colours (off by default: output is often piped or captured). */
  color?: boolean;
}

const DIRECTION_COLOR: Record<Direction, string | undefined> = { better: '32', worse: '31', same: '2', changed: undefined, unknown: '33' };

function dirCell(d: Direction): Cell {
  return { text: directionText(d), color: DIRECTION_COLOR[d] };
}

function deltaCell(m: MetricDelta): Cell {
  return { text: deltaText(m), color: DIRECTION_COLOR[m.direction] };
}

export function renderDiffText(diff: TextDiff, color = false, elide = true): string {
  if (diff.format === 'json') return renderLineDiff(diff, color);
  const chunks = elide ? elideEqual(diff.chunks) : diff.chunks;
  return chunks
    .map(c => {
      const t = safeText(c.text);
      if (c.op === 'equal') return t;
      if (color) return paint(t, c.op === 'insert' ? '32' : '31;9', true);
      return c.op === 'insert' ? `{+${t}+}` : `[-${t}-]`;
    })
    .join('');
}

/** JSON diffs are line diffs: unified-diff style "- " / "+ " prefixes read better than inline marks. */
function renderLineDiff(diff: TextDiff, color: boolean): string {
  const out: string[] = [];
  for (const c of diff.chunks) {
    const prefix = c.op === 'insert' ? '+ ' : c.op === 'delete' ? '- ' : '  ';
    const lines = c.text.endsWith('\n') ? c.text.slice(0, -1).split('\n') : c.text.split('\n');
    for (const l of lines) out.push(paint(prefix + safeText(l), c.op === 'insert' ? '32' : c.op === 'delete' ? '31' : undefined, color));
  }
  return out.join('\n');
}

function indentBlock(text: string, indent: string): string {
  return text
    .split('\n')
    .map(l => indent + l)
    .join('\n');
}

function scoreTable(scores: ScoreComparison[], color: boolean, indent = ''): string {
  const rows = scores.map(s => [
    s.evaluatorId,
    s.original?.error ? 'error' : formatValue(s.original?.value ?? null, 'score'),
    s.replay?.error ? 'error' : formatValue(s.replay?.value ?? null, 'score'),
    deltaCell(s.delta),
    dirCell(s.delta.direction),
    s.versionMismatch ? 'versions differ' : (s.replay?.error ?? s.original?.error ?? ''),
  ]);
  return renderTable(['Evaluator', 'Original', 'Replay', 'Delta', '', 'Note'], rows, ['left', 'right', 'right', 'left', 'left', 'left'], { color, indent });
}

function spanLabel(row: SpanRow): string {
  const ref = row.original ?? row.replay!;
  return `${'  '.repeat(row.depth)}${safeText(ref.name)}`;
}

function spanTable(c: Comparison, color: boolean): string {
  const statusColor: Record<string, string | undefined> = { failed: '31', cancelled: '33', missing: '31', extra: '33', replayed: '36' };
  const rows = c.spans.map(row => {
    const om = row.original?.model;
    const rm = row.replay?.model;
    const model = om && rm && om !== rm ? `${om} → ${rm}` : (rm ?? om ?? '');
    const out = row.llm?.output ? (row.llm.output.changed ? 'changed' : 'same') : '';
    const notes = [row.cached ? 'cached' : '', row.error ? `error: ${row.error}` : '', row.divergence ? 'diverged' : ''].filter(Boolean).join(', ');
    return [
      { text: row.status, color: statusColor[row.status] },
      spanLabel(row),
      row.original?.kind ?? row.replay!.kind,
      formatValue(row.original?.durationMs ?? null, 'ms'),
      formatValue(row.replay?.durationMs ?? null, 'ms'),
      safeText(model),
      out,
      safeText(notes),
    ];
  });
  return renderTable(['Status', 'Span', 'Kind', 'Original', 'Replay', 'Model', 'Output', 'Notes'], rows, ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left'], { color });
}

function llmChanges(c: Comparison, color: boolean): string[] {
  const out: string[] = [];
  for (const row of c.spans) {
    const llm = row.llm;
    if (!llm || (!llm.input.changed && !llm.output?.changed)) continue;
    const ref = row.original ?? row.replay!;
    out.push(`${safeText(ref.name)} (${ref.spanId})`);
    if (llm.input.model.changed) out.push(`  model: ${llm.input.model.original ?? '—'} → ${llm.input.model.replay ?? '—'}`);
    for (const p of llm.input.parameters) out.push(`  ${p.name}: ${JSON.stringify(p.original) ?? '—'} → ${JSON.stringify(p.replay) ?? '—'}`);
    if (llm.input.toolsChanged) out.push('  tools: changed');
    if (llm.input.messages.changed) out.push('  messages:', indentBlock(renderDiffText(llm.input.messages, color), '    '));
    if (llm.output?.text.changed) out.push(`  output${llm.output.text.format === 'json' ? ' (JSON)' : ''}:`, indentBlock(renderDiffText(llm.output.text, color, false), '    '));
    for (const t of llm.output?.toolCalls ?? []) {
      if (!t.nameChanged && !t.arguments.changed) continue;
      const name = t.nameChanged ? `${t.originalName ?? '—'} → ${t.replayName ?? '—'}` : (t.replayName ?? '');
      out.push(`  tool call ${t.index + 1} ${safeText(name)}:`, indentBlock(renderDiffText(t.arguments, color, false), '    '));
    }
    if (row.scores.length) out.push('  scores:', scoreTable(row.scores, color, '    '));
  }
  return out;
}

export function renderComparisonText(c: Comparison, options: TextRenderOptions = {}): string {
  const color = options.color ?? false;
  const lines: string[] = [];
  lines.push(paint(`Replay ${c.replayId} of "${safeText(c.traceName)}" (${c.jobStatus})`, '1', color));
  lines.push(`original ${c.originalTraceId}  →  replay ${c.replayTraceId}`);
  lines.push(`overrides: ${safeText(overridesText(c.overrides))}`, '');

  const footnotes: string[] = [];
  const metricRows = METRIC_NAMES.map(name => {
    const m = c.metrics[name];
    const why = unknownReason(m);
    if (why) footnotes.push(`  ${METRIC_LABELS[name]}: ${safeText(why)}`);
    return [METRIC_LABELS[name], formatValue(m.original, m.unit), formatValue(m.replay, m.unit), deltaCell(m), dirCell(m.direction)];
  });
  lines.push(renderTable(['Metric', 'Original', 'Replay', 'Delta', ''], metricRows, ['left', 'right', 'right', 'left', 'left'], { color }));
  if (footnotes.length) lines.push('unknown values:', ...footnotes);
  const t = c.timing;
  lines.push(
    `replay time: queue wait ${formatValue(t.queueWaitMs, 'ms')}, provider ${formatValue(t.providerMs, 'ms')}, wall ${formatValue(t.wallMs, 'ms')}; ` +
      `${t.sentCalls} call(s) sent, ${t.cachedCalls} from cache`,
    '',
  );

  const k = c.counts;
  lines.push(paint('Spans', '1', color) + ` (${k.replayed} replayed, ${k.reused} reused, ${k.failed} failed, ${k.cancelled} cancelled, ${k.missing} missing, ${k.extra} extra)`);
  lines.push(spanTable(c, color), '');

  lines.push(paint('Scores', '1', color));
  lines.push(c.scores.length ? scoreTable(c.scores, color) : '  (no trace-level scores)');
  if (c.skippedEvaluators.length) lines.push(`skipped: ${c.skippedEvaluators.map(s => `${s.evaluatorId} (${safeText(s.reason)})`).join(', ')}`);
  if (c.platformScores.length) {
    for (const side of ['original', 'replay'] as const) {
      const scores = c.platformScores.filter(p => (p.target.traceId === c.replayTraceId) === (side === 'replay'));
      if (scores.length) lines.push(`platform scores (${side}): ` + scores.map(p => `${safeText(p.name)}=${safeText(String(p.value))} [${p.source}]`).join(', '));
    }
  }

  const changes = llmChanges(c, color);
  if (changes.length) lines.push('', paint('Changes per LLM span', '1', color), ...changes);
  if (c.warnings.length) lines.push('', paint('Warnings', '1', color), ...c.warnings.map(w => `  - [${w.source}] ${safeText(w.message)}`));
  return lines.join('\n') + '\n';
}

function ciText(s: PairedStat): string {
  if (!s.ci) return '—';
  return `[${formatSigned(s.ci.low, s.unit)}, ${formatSigned(s.ci.high, s.unit)}]`;
}

function statRow(s: PairedStat, label: string, threshold: number | undefined): Cell[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  return [
    { text: label },
    { text: formatValue(s.meanOriginal, s.unit) },
    { text: formatValue(s.meanReplay, s.unit) },
    { text: `${trendArrow({ delta: s.meanDelta, unit: s.unit })} ${formatSigned(s.meanDelta, s.unit)}`, color: DIRECTION_COLOR[s.direction] },
    { text: ciText(s) },
    { text: `${s.wins}/${s.losses}/${s.ties}` },
    { text: `${s.n}${s.unpaired ? ` (+${s.unpaired} unpaired)` : ''}` },
    regressed ? { text: 'REGRESSION', color: '31;1' } : dirCell(s.direction),
  ];
}

export function renderBatchText(agg: BatchAggregate, options: TextRenderOptions & { threshold?: number } = {}): string {
  const color = options.color ?? false;
  const level = `${Math.round(agg.level * 100)}% CI`;
  const header = ['', 'Original', 'Replay', 'Mean delta', level, 'W/L/T', 'n', ''];
  const align = ['left', 'right', 'right', 'left', 'left', 'right', 'left', 'left'] as const;
  const lines = [
    paint(`Batch of ${agg.count} replay(s)`, '1', color) + (agg.incomplete ? ` (${agg.incomplete} incomplete)` : ''),
    `bootstrap: ${agg.resamples} resamples, seed ${agg.seed}; W/L/T = replay better / worse / same`,
    '',
    paint('Evaluators', '1', color),
    agg.evaluators.length
      ? renderTable(header, agg.evaluators.map(s => statRow(s, s.name, options.threshold)), [...align], { color })
      : '  (no scores)',
    '',
    paint('Metrics', '1', color),
    renderTable(header, METRIC_NAMES.map(n => statRow(agg.metrics[n], METRIC_LABELS[n], undefined)), [...align], { color }),
  ];
  return lines.join('\n') + '\n';
}
