// Markdown reports (`compare --format md`, `batch --report FILE.md`). Trace content is untrusted:
// table cells are escaped (pipes, HTML, newlines) and diffs go in fences longer than any backtick run.
import { isRegression, type BatchAggregate, type PairedStat } from './aggregate-batch';
import type { Comparison, MetricDelta, ScoreComparison, TextDiff } from './comparison-types';
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
  spanLabel,
  unknownReason,
  versusOriginalText,
  warningText,
} from './format-values';
import { shownSampleText, spreadLines } from './sample-spread';
import { hasNoise, noiseText, samplesText, statTexts, verdictText, versusTexts } from './stat-texts';
import { batchToolDriftText, toolDriftCountsText, toolDriftEntries } from './tool-drift';

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
  const sep = align.map((a) => (a === 'right' ? '---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header.map(escapeCell)), line(sep), ...rows.map((r) => line(r.map(escapeCell)))].join('\n');
}

function fence(body: string, lang = ''): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length));
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
    .map((c) => (c.op === 'equal' ? c.text : c.op === 'insert' ? `{+${c.text}+}` : `[-${c.text}-]`))
    .join('');
  return fence(body, 'text');
}

/** Metric cells; an unknown value says "unknown" and the line under the table says why. */
function metricCells(m: MetricDelta): string[] {
  const t = metricTexts(m);
  return [
    m.original === null ? 'unknown' : t.original,
    m.replay === null ? 'unknown' : t.replay,
    t.delta,
    directionText(m.direction),
  ];
}

/** Why a score cell is not a plain number: versions differ, an evaluator error, or why a side has no score. */
const scoreNote = (s: ScoreComparison): string =>
  s.versionMismatch
    ? 'versions differ'
    : (s.replay?.error ?? s.original?.error ?? (s.delta.delta === null ? (unknownReason(s.delta) ?? '') : ''));

/** Reference-free evaluators with both sides and the delta; reference-based ones (scored against the
 *  original) with one value, replay vs original. */
function scoreTables(scores: ScoreComparison[]): string[] {
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
        deltaText(s.delta),
        directionText(s.delta.direction),
        scoreNote(s),
      ];
    });
    out.push(
      markdownTable(['Evaluator', 'Original', 'Replay', 'Delta', 'Trend', 'Note'], rows, [
        'left',
        'right',
        'right',
        'left',
        'left',
        'left',
      ]),
      '',
    );
  }
  if (versus.length) {
    const rows = versus.map((s) => [s.evaluatorId, versusOriginalText(s), scoreNote(s)]);
    out.push(markdownTable(['Evaluator', 'Replay vs original', 'Note'], rows, ['left', 'right', 'left']), '');
  }
  return out;
}

export function renderComparisonMarkdown(c: Comparison): string {
  const out: string[] = [];
  // What the user came for first: which trace, replayed how; the ids after.
  out.push(`## ${escapeCell(c.traceName)} replayed (${c.jobStatus})`, '');
  out.push(`- Overrides: ${escapeCell(overridesText(c.overrides))}`);
  out.push(
    `- Replay \`${c.replayId}\`; original trace \`${c.originalTraceId}\`, replay trace \`${c.replayTraceId}\``,
    '',
  );

  out.push('### Metrics', '');
  const metricRows = METRIC_NAMES.map((n) => [METRIC_LABELS[n], ...metricCells(c.metrics[n])]);
  out.push(
    markdownTable(['Metric', 'Original', 'Replay', 'Delta', 'Trend'], metricRows, [
      'left',
      'right',
      'right',
      'left',
      'left',
    ]),
    '',
  );
  for (const n of METRIC_NAMES) {
    const why = unknownReason(c.metrics[n]);
    if (why) out.push(`- ${METRIC_LABELS[n]} unknown: ${escapeCell(why)}`);
  }
  const t = c.timing;
  out.push(
    `- Replay time: queue wait ${formatValue(t.queueWaitMs, 'ms')}, provider ${formatValue(t.providerMs, 'ms')}, wall ${formatValue(t.wallMs, 'ms')}; ${countOf(t.sentCalls, 'call')} sent, ${t.cachedCalls} from cache`,
    '',
  );

  out.push('### Scores', '');
  out.push(...(c.scores.length ? scoreTables(c.scores) : ['_No trace-level scores._', '']));
  if (c.skippedEvaluators.length)
    out.push(`Skipped: ${c.skippedEvaluators.map((s) => `${s.evaluatorId} (${escapeCell(s.reason)})`).join(', ')}`, '');
  if (c.platformScores.length) {
    out.push('Platform scores (original trace):', '');
    out.push(
      markdownTable(
        ['Name', 'Value', 'Source'],
        c.platformScores.map((p) => [p.name, String(p.value), p.source]),
        ['left', 'right', 'left'],
      ),
      '',
    );
  }

  const spread = spreadLines(c);
  if (spread.length)
    out.push(
      `### Spread over ${c.samples ?? 'the'} samples`,
      '',
      `The replay side of each sample (min–median–max); the tables here show ${shownSampleText(c)}.`,
      '',
      markdownTable(
        ['', 'Min–median–max'],
        spread.map((l) => [escapeCell(l.label), l.text]),
        ['left', 'right'],
      ),
      '',
    );
  out.push('### Spans', '');
  const spanRows = c.spans.map((r) => {
    const ref = (r.original ?? r.replay)!;
    const om = r.original?.model;
    const rm = r.replay?.model;
    const durations = formatChange(r.original?.durationMs ?? null, r.replay?.durationMs ?? null, 'ms');
    return [
      r.status,
      `${'\u00a0\u00a0'.repeat(r.depth)}${spanLabel(ref)}`,
      ref.kind,
      durations.original,
      durations.replay,
      om && rm && om !== rm ? `${om} → ${rm}` : (rm ?? om ?? ''),
      r.llm?.output ? (r.llm.output.changed ? 'changed' : 'same') : '',
      [
        r.forkPoint ? '**fork point**' : '',
        r.cached ? 'cached' : '',
        r.error ? `error: ${r.error}` : '',
        r.divergence ? `diverged: ${r.divergence}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    ];
  });
  out.push(
    markdownTable(['Status', 'Span', 'Kind', 'Original', 'Replay', 'Model', 'Output', 'Notes'], spanRows, [
      'left',
      'left',
      'left',
      'right',
      'right',
      'left',
      'left',
      'left',
    ]),
    '',
  );

  if (c.toolDrift.length) {
    out.push('### Tool calls', '', `${toolDriftCountsText(c.toolDriftCounts)}.`, '');
    for (const e of toolDriftEntries(c)) {
      out.push(`- ${escapeCell(e.span)} · **${e.status}** · ${escapeCell(e.calls)} · ${e.result}`);
      for (const change of e.changes) out.push(`  - ${escapeCell(change)}`);
    }
    out.push('');
  }

  const changed = c.spans.filter((r) => r.llm && (r.llm.input.changed || r.llm.output?.changed || r.scores.length));
  if (changed.length) out.push('### Changes per LLM span', '');
  for (const r of changed) {
    const llm = r.llm!;
    const ref = (r.original ?? r.replay)!;
    const label = spanLabel(ref);
    out.push(
      `#### ${escapeCell(label)} (${label === ref.name ? '' : `${escapeCell(ref.name)}, `}\`${ref.spanId}\`)`,
      '',
    );
    if (llm.input.model.changed)
      out.push(
        `- Model: ${escapeCell(llm.input.model.original ?? '—')} → ${escapeCell(llm.input.model.replay ?? '—')}`,
      );
    for (const p of llm.input.parameters)
      out.push(
        `- ${escapeCell(p.name)}: ${escapeCell(JSON.stringify(p.original) ?? '—')} → ${escapeCell(JSON.stringify(p.replay) ?? '—')}`,
      );
    if (llm.input.toolsChanged) out.push('- Tools: changed');
    out.push('');
    if (llm.input.messages.changed) out.push('Messages:', '', diffMarkdown(llm.input.messages), '');
    if (llm.output?.text.changed) out.push('Output:', '', diffMarkdown(llm.output.text), '');
    for (const tc of llm.output?.toolCalls ?? []) {
      if (!tc.nameChanged && !tc.arguments.changed) continue;
      const name = tc.nameChanged ? `${tc.originalName ?? '—'} → ${tc.replayName ?? '—'}` : (tc.replayName ?? '');
      out.push(`Tool call ${tc.index + 1} ${escapeCell(name)}:`, '', diffMarkdown(tc.arguments), '');
    }
    if (r.scores.length) out.push(...scoreTables(r.scores));
  }

  if (c.warnings.length)
    out.push('### Warnings', '', ...c.warnings.map((w) => `- [${w.source}] ${escapeCell(warningText(w))}`), '');
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** The last cells: the trend (or the regression); with A/A samples the noise band and the verdict. */
function endCells(s: PairedStat, regressed: boolean, noise: boolean, versus = false): string[] {
  if (!noise) return [regressed ? '**regression**' : versus ? '' : directionText(s.direction)];
  return [noiseText(s, versus), regressed ? `**regression** (${verdictText(s)})` : verdictText(s)];
}

function statCells(s: PairedStat, label: string, threshold: number | undefined, noise = false): string[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  const t = statTexts(s, ' / ');
  return [label, t.original, t.replay, t.delta, t.ci, t.counts, t.n, ...endCells(s, regressed, noise)];
}

function versusCells(s: PairedStat, threshold: number | undefined, noise = false): string[] {
  const regressed = threshold !== undefined && isRegression(s, threshold);
  const t = versusTexts(s, ' / ');
  return [s.name, t.mean, t.ci, t.counts, t.n, ...endCells(s, regressed, noise, true)];
}

export function renderBatchMarkdown(agg: BatchAggregate, options: { threshold?: number; title?: string } = {}): string {
  const level = `${Math.round(agg.level * 100)}% CI`;
  const noise = hasNoise([...agg.evaluators, ...METRIC_NAMES.map((n) => agg.metrics[n])]);
  const ends = noise ? ['A/A noise band', 'Verdict'] : ['Trend'];
  const header = ['', 'Original (mean)', 'Replay (mean)', 'Mean delta', level, 'Wins / losses / ties', 'n', ...ends];
  const align: ('left' | 'right')[] = [
    'left',
    'right',
    'right',
    'left',
    'left',
    'right',
    'right',
    ...ends.map((): 'left' => 'left'),
  ];
  const out = [
    `## ${escapeCell(options.title ?? 'Batch replay report')}`,
    '',
    `${countOf(agg.count, 'replay')}${agg.samples ? ` (${samplesText(agg.samples)})` : ''}${agg.incomplete ? `, ${agg.incomplete} incomplete` : ''}. Paired deltas are replay − original; ` +
      `bootstrap ${level} over ${agg.resamples} resamples (seed ${agg.seed}). Wins: the replay is better.`,
  ];
  if (noise)
    out.push(
      'Verdicts: better / worse need the CI to exclude the A/A centre and the mean delta to leave the A/A noise band (replaying without overrides); same: the CI lies inside the band; otherwise not enough evidence.',
    );
  if (options.threshold !== undefined)
    out.push(
      noise
        ? `Regression gate: verdict worse with the mean delta more than ${options.threshold} below the A/A centre.`
        : `Regression gate: mean score delta below −${options.threshold} with the CI excluding 0.`,
    );
  out.push('', '### Evaluators', '');
  const statRow = (s: PairedStat, label: string): string[] => statCells(s, label, options.threshold, noise);
  const free = agg.evaluators.filter((s) => !s.referenceBased);
  const versus = agg.evaluators.filter((s) => s.referenceBased);
  if (!agg.evaluators.length) out.push('_No scores._', '');
  if (free.length)
    out.push(
      markdownTable(
        header,
        free.map((s) => statRow(s, s.name)),
        align,
      ),
      '',
    );
  if (versus.length) {
    out.push('Scored against the original (1.000 = the same as the original output):', '');
    out.push(
      markdownTable(
        ['', 'Replay vs original (mean)', level, 'Differs / same', 'n', ...(noise ? ends : ['Gate'])],
        versus.map((s) => versusCells(s, options.threshold, noise)),
        ['left', 'right', 'left', 'right', 'right', ...(noise ? ends : ['Gate']).map((): 'left' => 'left')],
      ),
      '',
    );
  }
  out.push('### Metrics', '');
  out.push(
    markdownTable(
      header,
      METRIC_NAMES.map((n) => statCells(agg.metrics[n], METRIC_LABELS[n], undefined, noise)),
      align,
    ),
  );
  const drift = batchToolDriftText(agg.toolDrift);
  if (drift) out.push('', '### Tool calls', '', `${drift[0].toUpperCase()}${drift.slice(1)}.`);
  return out.join('\n') + '\n';
}
