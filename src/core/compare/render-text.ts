// Terminal rendering of a comparison and of a batch aggregate: aligned tables, ▲ ▼ = trend arrows
// with better / worse marks, word diffs as [-deleted-]{+inserted+} (or red / green with colour).
import type { BatchAggregate, PairedStat } from './aggregate-batch';
import { isRegression } from './aggregate-batch';
import type { Comparison, Direction, MetricDelta, ScoreComparison, SpanRow, TextDiff } from './comparison-types';
import { METRIC_NAMES } from './comparison-types';
import {
  countOf,
  deltaText,
  directionText,
  elideEqual,
  formatChange,
  formatValue,
  METRIC_LABELS,
  metricTexts,
  overridesText,
  safeText,
  spanLabel,
  unknownReason,
  versusOriginalText,
  warningText,
} from './format-values';
import { shownSampleText, spreadLines } from './sample-spread';
import { hasNoise, noiseText, samplesText, statTexts, verdictText, versusTexts } from './stat-texts';
import { paint, renderTable, type Align, type Cell } from './text-table';
import { batchToolDriftText, toolDriftCountsText, toolDriftEntries, type ToolDriftStatus } from './tool-drift';

export interface TextRenderOptions {
  /** ANSI colours (off by default: output is often piped or captured). */
  color?: boolean;
}

const DIRECTION_COLOR: Record<Direction, string | undefined> = {
  better: '32',
  worse: '31',
  same: '2',
  changed: undefined,
  unknown: '33',
};

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
    .map((c) => {
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
    for (const l of lines)
      out.push(paint(prefix + safeText(l), c.op === 'insert' ? '32' : c.op === 'delete' ? '31' : undefined, color));
  }
  return out.join('\n');
}

function indentBlock(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** Why a score cell is not a plain number: versions differ, an evaluator error, or why a side has no score. */
const scoreNote = (s: ScoreComparison): string =>
  safeText(
    s.versionMismatch
      ? 'versions differ'
      : (s.replay?.error ?? s.original?.error ?? (s.delta.delta === null ? (unknownReason(s.delta) ?? '') : '')),
  );

/** Reference-free evaluators: each side scored on its own, with the delta. Reference-based ones
 *  (the replay scored against the original): one value, replay vs original, never an Original 1.000. */
function scoreTables(scores: ScoreComparison[], color: boolean, indent = ''): string[] {
  const out: string[] = [];
  const free = scores.filter((s) => !s.referenceBased);
  const versus = scores.filter((s) => s.referenceBased);
  if (free.length) {
    const rows = free.map((s) => {
      const f = formatChange(s.original?.value ?? null, s.replay?.value ?? null, 'score');
      return [
        s.evaluatorId,
        s.original?.error ? 'error' : f.original,
        s.replay?.error ? 'error' : f.replay,
        deltaCell(s.delta),
        dirCell(s.delta.direction),
        scoreNote(s),
      ];
    });
    out.push(
      renderTable(
        ['Evaluator', 'Original', 'Replay', 'Delta', '', 'Note'],
        rows,
        ['left', 'right', 'right', 'left', 'left', 'left'],
        { color, indent },
      ),
    );
  }
  if (versus.length) {
    const rows = versus.map((s) => [s.evaluatorId, versusOriginalText(s), scoreNote(s)]);
    if (free.length) out.push('');
    out.push(
      renderTable(['Evaluator', 'Replay vs original', 'Note'], rows, ['left', 'right', 'left'], { color, indent }),
    );
  }
  return out;
}

function treeLabel(row: SpanRow): string {
  return `${'  '.repeat(row.depth)}${safeText(spanLabel(row.original ?? row.replay!))}`;
}

function spanTable(c: Comparison, color: boolean): string {
  const statusColor: Record<string, string | undefined> = {
    failed: '31',
    cancelled: '33',
    missing: '31',
    extra: '33',
    replayed: '36',
  };
  const rows = c.spans.map((row) => {
    const om = row.original?.model;
    const rm = row.replay?.model;
    const model = om && rm && om !== rm ? `${om} → ${rm}` : (rm ?? om ?? '');
    const out = row.llm?.output ? (row.llm.output.changed ? 'changed' : 'same') : '';
    const notes = [
      row.forkPoint ? 'fork point' : '',
      row.cached ? 'cached' : '',
      row.error ? `error: ${row.error}` : '',
      row.divergence ? 'diverged' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const durations = formatChange(row.original?.durationMs ?? null, row.replay?.durationMs ?? null, 'ms');
    return [
      { text: row.status, color: statusColor[row.status] },
      treeLabel(row),
      row.original?.kind ?? row.replay!.kind,
      durations.original,
      durations.replay,
      safeText(model),
      out,
      safeText(notes),
    ];
  });
  return renderTable(
    ['Status', 'Span', 'Kind', 'Original', 'Replay', 'Model', 'Output', 'Notes'],
    rows,
    ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'left'],
    { color },
  );
}

function llmChanges(c: Comparison, color: boolean): string[] {
  const out: string[] = [];
  for (const row of c.spans) {
    const llm = row.llm;
    if (!llm || (!llm.input.changed && !llm.output?.changed)) continue;
    const ref = row.original ?? row.replay!;
    out.push(
      `${safeText(spanLabel(ref))} (${ref.name === spanLabel(ref) ? '' : `${safeText(ref.name)}, `}${ref.spanId})`,
    );
    if (llm.input.model.changed)
      out.push(`  model: ${llm.input.model.original ?? '—'} → ${llm.input.model.replay ?? '—'}`);
    for (const p of llm.input.parameters)
      out.push(`  ${p.name}: ${JSON.stringify(p.original) ?? '—'} → ${JSON.stringify(p.replay) ?? '—'}`);
    if (llm.input.toolsChanged) out.push('  tools: changed');
    if (llm.input.messages.changed)
      out.push('  messages:', indentBlock(renderDiffText(llm.input.messages, color), '    '));
    if (llm.output?.text.changed)
      out.push(
        `  output${llm.output.text.format === 'json' ? ' (JSON)' : ''}:`,
        indentBlock(renderDiffText(llm.output.text, color, false), '    '),
      );
    for (const t of llm.output?.toolCalls ?? []) {
      if (!t.nameChanged && !t.arguments.changed) continue;
      const name = t.nameChanged ? `${t.originalName ?? '—'} → ${t.replayName ?? '—'}` : (t.replayName ?? '');
      out.push(
        `  tool call ${t.index + 1} ${safeText(name)}:`,
        indentBlock(renderDiffText(t.arguments, color, false), '    '),
      );
    }
    if (row.scores.length) out.push('  scores:', ...scoreTables(row.scores, color, '    '));
  }
  return out;
}

const DRIFT_COLOR: Record<ToolDriftStatus, string | undefined> = {
  matched: '2',
  changed: '33',
  missing: '31',
  new: '36',
};

/** One line per tool call (recorded → replayed, with the result the replay used), changed
 *  arguments key by key under it; nothing when no LLM span called a tool on either side. */
function toolCallLines(c: Comparison, color: boolean): string[] {
  if (!c.toolDrift.length) return [];
  const out = [paint('Tool calls', '1', color) + ` (${toolDriftCountsText(c.toolDriftCounts)})`];
  for (const e of toolDriftEntries(c)) {
    const status = paint(e.status, DRIFT_COLOR[e.status], color);
    out.push(`  ${safeText(e.span)} · ${status} · ${safeText(e.calls)} · ${e.result}`);
    for (const change of e.changes) out.push(`      ${safeText(change)}`);
  }
  return out;
}

export function renderComparisonText(c: Comparison, options: TextRenderOptions = {}): string {
  const color = options.color ?? false;
  const lines: string[] = [];
  // What the user came for first: which trace, replayed how; the ids after.
  lines.push(paint(`"${safeText(c.traceName)}" replayed (${c.jobStatus})`, '1', color));
  lines.push(`overrides: ${safeText(overridesText(c.overrides))}`);
  lines.push(`replay ${c.replayId}; original trace ${c.originalTraceId}  →  replay trace ${c.replayTraceId}`, '');

  const footnotes: string[] = [];
  const metricRows = METRIC_NAMES.map((name) => {
    const m = c.metrics[name];
    const t = metricTexts(m);
    // An unknown cell carries the mark of the footnote that says why.
    const why = unknownReason(m);
    const mark = why
      ? ` [${footnotes.push(`  [${footnotes.length + 1}] ${METRIC_LABELS[name]}: ${safeText(why)}`)}]`
      : '';
    const cell = (v: number | null, text: string): string => (v === null ? `unknown${mark}` : text);
    return [
      METRIC_LABELS[name],
      cell(m.original, t.original),
      cell(m.replay, t.replay),
      deltaCell(m),
      dirCell(m.direction),
    ];
  });
  lines.push(
    renderTable(['Metric', 'Original', 'Replay', 'Delta', ''], metricRows, ['left', 'right', 'right', 'left', 'left'], {
      color,
    }),
  );
  if (footnotes.length) lines.push('unknown values:', ...footnotes);
  const t = c.timing;
  lines.push(
    `replay time: queue wait ${formatValue(t.queueWaitMs, 'ms')}, provider ${formatValue(t.providerMs, 'ms')}, wall ${formatValue(t.wallMs, 'ms')}; ` +
      `${countOf(t.sentCalls, 'call')} sent, ${t.cachedCalls} from cache`,
    '',
  );

  // The quality verdict next to the metrics, above the span tree.
  lines.push(paint('Scores', '1', color));
  lines.push(...(c.scores.length ? scoreTables(c.scores, color) : ['  (no trace-level scores)']));
  const spread = spreadLines(c);
  if (spread.length)
    lines.push(
      '',
      paint(`Spread over ${c.samples ?? 'the'} samples`, '1', color) +
        ` (replay side, min–median–max; above: ${shownSampleText(c)})`,
      renderTable(
        ['', 'Min–median–max'],
        spread.map((l) => [safeText(l.label), l.text]),
        ['left', 'right'],
        { color, indent: '  ' },
      ),
    );
  if (c.skippedEvaluators.length)
    lines.push(`skipped: ${c.skippedEvaluators.map((s) => `${s.evaluatorId} (${safeText(s.reason)})`).join(', ')}`);
  if (c.platformScores.length) {
    for (const side of ['original', 'replay'] as const) {
      const scores = c.platformScores.filter((p) => (p.target.traceId === c.replayTraceId) === (side === 'replay'));
      if (scores.length)
        lines.push(
          `platform scores (${side}): ` +
            scores.map((p) => `${safeText(p.name)}=${safeText(String(p.value))} [${p.source}]`).join(', '),
        );
    }
  }
  lines.push('');

  const k = c.counts;
  lines.push(
    paint('Spans', '1', color) +
      ` (${k.replayed} replayed, ${k.reused} reused, ${k.failed} failed, ${k.cancelled} cancelled, ${k.missing} missing, ${k.extra} extra)`,
  );
  lines.push(spanTable(c, color));
  const toolCalls = toolCallLines(c, color);
  if (toolCalls.length) lines.push('', ...toolCalls);

  const changes = llmChanges(c, color);
  if (changes.length) lines.push('', paint('Changes per LLM span', '1', color), ...changes);
  if (c.warnings.length)
    lines.push(
      '',
      paint('Warnings', '1', color),
      ...c.warnings.map((w) => `  - [${w.source}] ${safeText(warningText(w))}`),
    );
  return lines.join('\n') + '\n';
}

/** The last cell: REGRESSION, else the direction; with A/A samples the noise band and the verdict. */
function endCells(s: PairedStat, regressed: boolean, noise: boolean, versus = false): Cell[] {
  if (!noise) return [regressed ? { text: 'REGRESSION', color: '31;1' } : versus ? { text: '' } : dirCell(s.direction)];
  const verdict = verdictText(s);
  return [
    { text: noiseText(s, versus) },
    regressed
      ? { text: `REGRESSION (${verdict})`, color: '31;1' }
      : {
          text: verdict,
          color: s.verdict === 'worse' || s.verdict === 'better' ? DIRECTION_COLOR[s.verdict] : undefined,
        },
  ];
}

function statRow(s: PairedStat, label: string, threshold: number | undefined, noise = false): Cell[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  const t = statTexts(s);
  return [
    { text: label },
    { text: t.original },
    { text: t.replay },
    { text: t.delta, color: DIRECTION_COLOR[s.direction] },
    { text: t.ci },
    { text: t.counts },
    { text: t.n },
    ...endCells(s, regressed, noise),
  ];
}

/** A reference-based evaluator: the mean of the replay's scores against the original and its CI. */
function versusRow(s: PairedStat, threshold: number | undefined, noise = false): Cell[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  const t = versusTexts(s);
  return [
    { text: s.name },
    { text: t.mean },
    { text: t.ci },
    { text: t.counts },
    { text: t.n },
    ...endCells(s, regressed, noise, true),
  ];
}

export function renderBatchText(agg: BatchAggregate, options: TextRenderOptions & { threshold?: number } = {}): string {
  const color = options.color ?? false;
  const level = `${Math.round(agg.level * 100)}% CI`;
  const noise = hasNoise([...agg.evaluators, ...METRIC_NAMES.map((n) => agg.metrics[n])]);
  const ends = noise ? ['A/A noise', 'Verdict'] : [''];
  const header = ['', 'Original', 'Replay', 'Mean delta', level, 'W/L/T', 'n', ...ends];
  const align: Align[] = ['left', 'right', 'right', 'left', 'left', 'right', 'left', ...ends.map((): Align => 'left')];
  const lines = [
    paint(`Batch of ${countOf(agg.count, 'replay')}`, '1', color) +
      (agg.samples ? ` (${samplesText(agg.samples)})` : '') +
      (agg.incomplete ? ` (${agg.incomplete} incomplete)` : ''),
    `bootstrap: ${agg.resamples} resamples, seed ${agg.seed}; W/L/T = replay better / worse / same` +
      (agg.samples ? '; per trace, its samples are averaged and resampled within it' : ''),
    '',
    paint('Evaluators', '1', color),
  ];
  const free = agg.evaluators.filter((s) => !s.referenceBased);
  const versus = agg.evaluators.filter((s) => s.referenceBased);
  if (!agg.evaluators.length) lines.push('  (no scores)');
  if (free.length)
    lines.push(
      renderTable(
        header,
        free.map((s) => statRow(s, s.name, options.threshold, noise)),
        align,
        { color },
      ),
    );
  if (versus.length) {
    if (free.length) lines.push('');
    lines.push(
      'scored against the original (1.000 = the same as the original; differs / same counts the replays):',
      renderTable(
        ['', 'Replay vs original (mean)', level, 'Differs/same', 'n', ...ends],
        versus.map((s) => versusRow(s, options.threshold, noise)),
        ['left', 'right', 'left', 'right', 'left', ...ends.map((): Align => 'left')],
        { color },
      ),
    );
  }
  lines.push(
    '',
    paint('Metrics', '1', color),
    renderTable(
      header,
      METRIC_NAMES.map((n) => statRow(agg.metrics[n], METRIC_LABELS[n], undefined, noise)),
      align,
      { color },
    ),
  );
  const drift = batchToolDriftText(agg.toolDrift);
  if (drift) lines.push('', paint('Tool calls', '1', color), `  ${drift}`);
  return lines.join('\n') + '\n';
}
