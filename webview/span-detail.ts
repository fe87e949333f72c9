// The selected row of the comparison: what changed in the LLM call's input and output (inline diffs,
// plus a button opening VS Code's own diff editor), per-span metrics, errors, warnings, scores.
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { MetricName } from '../src/core/compare/comparison-types';
import type { ComparisonJson, SpanJson } from '../src/core/compare/render-json';
import type { SpanSide } from '../src/protocol';
import { button, statusBadge, trendMark, valueText } from './common-views';
import { renderTextDiff } from './diff-view';
import { el, icon, type Child } from './dom';
import { renderScoreTable, rowLabel } from './score-table';
import { renderTable } from './table';
import { metricCard, rowSpanId, spanStatusView } from './view-model';

export interface SpanDetailActions {
  interactive: boolean;
  openDiff(spanId: string, side: SpanSide): void;
  openSpan(traceId: string, spanId: string): void;
}

const SPAN_METRICS: MetricName[] = ['llmDurationMs', 'inputTokens', 'outputTokens', 'costUsd'];

function collapsible(heading: string, open: boolean, ...children: Child[]): HTMLElement {
  const c = el(
    'vscode-collapsible',
    { attrs: { heading, open } },
    el('div', { className: 'collapsible-body' }, ...children),
  );
  return c;
}

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function llmSections(row: SpanJson, a: SpanDetailActions): HTMLElement[] {
  const llm = row.llm!;
  const spanId = rowSpanId(row);
  const name = rowLabel(row);
  const metrics = renderTable(
    ['Metric', 'Original', 'Replay', 'Change'],
    SPAN_METRICS.map((m) => {
      const card = metricCard(m, llm.metrics[m as keyof typeof llm.metrics]);
      return [card.label, valueText(card.original), valueText(card.replay), trendMark(card.trend)];
    }),
    // The change column gets the most room: "-$0.000041 (+283.3%)" must never be cut.
    { label: `Metrics of ${name}`, className: 'span-metrics', columns: ['24%', '22%', '22%', '32%'] },
  );
  const input = llm.input;
  const inputParts: Child[] = [];
  if (input.model.changed)
    inputParts.push(
      el(
        'p',
        { className: 'model-change' },
        icon('sparkle'),
        'Model',
        el('del', null, input.model.original ?? 'unknown'),
        ' → ',
        el('ins', null, input.model.replay ?? 'unknown'),
      ),
    );
  if (input.parameters.length) {
    inputParts.push(
      renderTable(
        ['Parameter', 'Original', 'Replay'],
        input.parameters.map((p) => [el('code', null, p.name), json(p.original ?? '—'), json(p.replay ?? '—')]),
        { label: 'Changed parameters', className: 'params-table' },
      ),
    );
  }
  if (input.toolsChanged)
    inputParts.push(el('p', { className: 'with-icon' }, icon('tools'), 'The tool definitions differ.'));
  inputParts.push(renderTextDiff(input.messages, `Input messages of ${name}`));
  if (a.interactive)
    inputParts.push(
      button('Open in Diff Editor', 'diff', () => a.openDiff(spanId, 'input'), {
        action: 'open-diff-input',
        title: `Open the input of ${name} in VS Code's diff editor`,
      }),
    );

  const sections = [
    metrics,
    collapsible(input.changed ? 'Input (changed)' : 'Input (unchanged)', input.changed, ...inputParts),
  ];
  const output = llm.output;
  if (output) {
    const outParts: Child[] = [renderTextDiff(output.text, `Output of ${name}`)];
    for (const t of output.toolCalls) {
      outParts.push(
        el(
          'h4',
          { className: 'with-icon' },
          icon('tools'),
          'Tool call ',
          String(t.index + 1),
          ': ',
          t.nameChanged
            ? el('span', null, el('del', null, t.originalName ?? '—'), ' → ', el('ins', null, t.replayName ?? '—'))
            : (t.originalName ?? t.replayName ?? ''),
        ),
        renderTextDiff(t.arguments, `Arguments of tool call ${t.index + 1}`),
      );
    }
    if (output.finishReason.changed)
      outParts.push(
        el(
          'p',
          null,
          'Finish reason ',
          el('del', null, output.finishReason.original ?? '—'),
          ' → ',
          el('ins', null, output.finishReason.replay ?? '—'),
        ),
      );
    if (a.interactive)
      outParts.push(
        button('Open in Diff Editor', 'diff', () => a.openDiff(spanId, 'output'), {
          action: 'open-diff-output',
          title: `Open the output of ${name} in VS Code's diff editor`,
        }),
      );
    sections.push(collapsible(output.changed ? 'Output (changed)' : 'Output (unchanged)', true, ...outParts));
  } else {
    sections.push(el('p', { className: 'muted' }, `The replayed call produced no output (${row.status}).`));
  }
  return sections;
}

export function renderSpanDetail(c: ComparisonJson, row: SpanJson | undefined, a: SpanDetailActions): HTMLElement {
  if (!row) return el('div', { className: 'span-detail muted' }, 'No spans.');
  const name = rowLabel(row);
  const spanName = row.original?.name ?? row.replay?.name ?? '';
  const status = spanStatusView(row);
  // "#2 gpt-4o-mini", then the span's own name when it says something else.
  const parts: Child[] = [
    el(
      'h3',
      null,
      el('span', { className: 'span-title' }, name),
      spanName && spanName !== name ? el('span', { className: 'span-subtitle muted' }, spanName) : null,
      statusBadge(status),
    ),
  ];
  const notes: Child[] = [];
  if (row.error) notes.push(el('li', { className: 'note-error' }, icon('error'), row.error));
  if (row.divergence) notes.push(el('li', { className: 'note-warning' }, icon('git-compare'), row.divergence));
  for (const w of row.warnings) notes.push(el('li', { className: 'note-warning' }, icon('warning'), w));
  if (notes.length) parts.push(el('ul', { className: 'notes' }, ...notes));
  if (row.llm) parts.push(...llmSections(row, a));
  else if (row.status === 'reused')
    parts.push(el('p', { className: 'muted' }, 'Not an LLM call: the recorded result was reused as is.'));
  else if (row.status === 'missing')
    parts.push(el('p', { className: 'muted' }, 'This span of the original has no counterpart in the replay.'));
  else if (row.status === 'extra') parts.push(el('p', { className: 'muted' }, 'This span exists only in the replay.'));
  if (row.scores.length)
    parts.push(
      renderScoreTable(
        row.scores.map((score) => ({ score })),
        `Scores of ${name}`,
        false,
      ),
    );
  if (a.interactive && row.original)
    parts.push(
      button('Open Span in Trace', 'go-to-file', () => a.openSpan(c.originalTraceId, row.original!.spanId), {
        secondary: true,
        action: 'open-span',
      }),
    );
  return el('div', { className: 'span-detail', attrs: { 'aria-live': 'polite' } }, ...parts);
}
