// The trace detail panel: the span tree with kinds, durations, tokens and cost; the selected span's
// messages, tools, parameters, output, usage and prompt-template link (an LLM span that recorded its
// input has "Replay from Here": the replay forks at it); a Replay button and the trace's replay
// history, each entry opening its comparison.
import type { MessagePart } from '../src/core/model/trace';
import type { TraceDetailSpan, TraceShowParams } from '../src/protocol';
import { button, copyableId, renderHistory, valueText } from './common-views';
import { el, icon, section, type Child } from './dom';
import { renderTable } from './table';
import { renderTreeList } from './tree-list';
import { formatDuration, formatWhen, kindIcon, valueView } from './view-model';
import { countOf, formatValue, spanLabel } from '../src/core/compare/format-values';

export interface TraceActions {
  interactive: boolean;
  replay(traceId: string): void;
  /** "Replay from Here" on an LLM span. */
  replayFromSpan(traceId: string, spanId: string): void;
  openComparison(jobId: string): void;
  openTemplate(path: string): void;
}

const pretty = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v)));

function partText(p: MessagePart): Child {
  switch (p.type) {
    case 'text':
      return el('pre', { className: 'text' }, p.text);
    case 'reasoning':
      return el('pre', { className: 'text reasoning' }, p.text);
    case 'tool_call':
      return el('div', null, icon('tools'), p.name, el('pre', { className: 'text' }, pretty(p.arguments)));
    case 'tool_result':
      return el(
        'div',
        null,
        icon(p.isError ? 'error' : 'output'),
        'tool result',
        el('pre', { className: 'text' }, p.content),
      );
    case 'image':
      // Images are not loaded (the CSP forbids remote images and they may be huge): named only.
      return el('p', { className: 'muted' }, icon('file-media'), `image ${p.mediaType ?? ''}`);
    default:
      return el('pre', { className: 'text' }, pretty(p.value));
  }
}

function tokens(s: TraceDetailSpan): string {
  if (!s.usage) return '';
  return `${formatValue(s.usage.inputTokens ?? null, 'tokens')} → ${formatValue(s.usage.outputTokens ?? null, 'tokens')} tok`;
}

/** Step numbers of the trace's LLM spans (1..n in start order, ties in tree order), as the comparison
 *  numbers them, so the trace and its comparisons both say "#2 gpt-4o-mini". */
export function llmStepsOf(spans: readonly TraceDetailSpan[]): Map<string, number> {
  const llm = spans.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'llm');
  llm.sort((a, b) => a.s.startOffsetMs - b.s.startOffsetMs || a.i - b.i);
  return new Map(llm.map(({ s }, i) => [s.spanId, i + 1]));
}

/** "#2 gpt-4o-mini" for an LLM span, else the span's name. */
function labelOf(s: TraceDetailSpan, steps: ReadonlyMap<string, number>): string {
  return spanLabel({ name: s.name, model: s.model, step: steps.get(s.spanId) });
}

function spanRow(s: TraceDetailSpan, steps: ReadonlyMap<string, number>): Child[] {
  const indent = el('span', { className: 'indent', attrs: { 'aria-hidden': 'true' } });
  indent.style.setProperty('--depth', String(s.depth));
  return [
    el(
      'div',
      { className: `side${s.statusCode === 'error' ? ' side-error' : ''}` },
      indent,
      icon(kindIcon(s.kind), s.kind),
      // The useful part first: the call's step and model (the span's own name in the tooltip).
      el(
        'span',
        { className: 'span-name', title: steps.has(s.spanId) && s.model ? `${s.name} · ${s.model}` : s.name },
        labelOf(s, steps),
      ),
      s.model && !steps.has(s.spanId) ? el('span', { className: 'span-model' }, s.model) : null,
      el('span', { className: 'span-tokens' }, tokens(s)),
      s.costUsd !== undefined ? valueText(valueView(s.costUsd, 'usd', s.costReason)) : null,
      el('span', { className: 'span-duration' }, formatDuration(s.durationMs)),
    ),
  ];
}

function spanDetail(
  traceId: string,
  s: TraceDetailSpan,
  a: TraceActions,
  steps: ReadonlyMap<string, number>,
): HTMLElement {
  const label = labelOf(s, steps);
  // Only an LLM span with recorded input can be forked at (the engine refuses the others).
  const forkable = a.interactive && s.kind === 'llm' && (s.messages?.some((m) => m.parts.length > 0) ?? false);
  const parts: Child[] = [
    el(
      'h3',
      null,
      icon(kindIcon(s.kind), s.kind),
      el('span', { className: 'span-title' }, label),
      label !== s.name ? el('span', { className: 'span-subtitle muted' }, s.name) : null,
      forkable
        ? button('Replay from here', 'debug-step-into', () => a.replayFromSpan(traceId, s.spanId), {
            secondary: true,
            action: 'replay-from-span',
            title:
              'Replay from this call: earlier spans keep their recorded output, this call and every later one are replayed, chained',
          })
        : null,
    ),
  ];
  const facts: Child[][] = [
    ['Kind', s.kind],
    ['Duration', formatDuration(s.durationMs)],
    ['Status', s.statusMessage ? `${s.statusCode}: ${s.statusMessage}` : s.statusCode],
  ];
  if (s.model) facts.push(['Model', `${s.provider ? `${s.provider}:` : ''}${s.model}`]);
  if (s.toolName) facts.push(['Tool', s.toolName]);
  if (s.costUsd !== undefined) facts.push(['Cost', valueText(valueView(s.costUsd, 'usd', s.costReason))]);
  if (s.usage) {
    const u = s.usage;
    facts.push([
      'Usage',
      `${u.inputTokens ?? '?'} in, ${u.outputTokens ?? '?'} out${u.cacheReadTokens ? `, ${u.cacheReadTokens} cache read` : ''}${u.reasoningTokens ? `, ${u.reasoningTokens} reasoning` : ''}`,
    ]);
  }
  parts.push(el('dl', { className: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)])));
  if (s.warnings.length)
    parts.push(
      el(
        'ul',
        { className: 'notes' },
        ...s.warnings.map((w) => el('li', { className: 'note-warning' }, icon('warning'), w)),
      ),
    );
  if (s.prompt || s.templatePath) {
    const p = s.prompt;
    const label = p ? `${p.name ?? 'prompt'}${p.version ? ` v${p.version}` : ''}${p.label ? ` (${p.label})` : ''}` : '';
    parts.push(
      el(
        'p',
        { className: 'prompt-link' },
        icon('file-code'),
        `Prompt template ${label}`,
        s.templatePath && a.interactive
          ? button('Open Template', 'go-to-file', () => a.openTemplate(s.templatePath!), {
              secondary: true,
              action: 'open-template',
            })
          : s.templatePath
            ? el('code', null, s.templatePath)
            : null,
      ),
    );
  }
  if (s.messages) {
    parts.push(
      el('h4', null, 'Messages'),
      s.messages.length
        ? el(
            'ol',
            { className: 'messages' },
            ...s.messages.map((m) =>
              el(
                'li',
                { className: `message role-${m.role}` },
                el('span', { className: 'role' }, m.role, m.name ? ` (${m.name})` : ''),
                ...m.parts.map(partText),
              ),
            ),
          )
        : el(
            'p',
            { className: 'muted' },
            'No messages were recorded on this span (the instrumentation did not capture content).',
          ),
    );
  }
  if (s.parameters) {
    const entries = Object.entries(s.parameters).filter(([, v]) => v !== undefined);
    parts.push(
      el('h4', null, 'Parameters'),
      entries.length
        ? renderTable(
            ['Parameter', 'Value'],
            entries.map(([k, v]) => [el('code', null, k), pretty(v)]),
            { label: 'Parameters', className: 'params-table' },
          )
        : el('p', { className: 'muted' }, 'None recorded (the provider defaults applied).'),
    );
  }
  if (s.tools?.length)
    parts.push(
      el('h4', null, 'Tools'),
      el(
        'ul',
        { className: 'tools' },
        ...s.tools.map((t) => el('li', null, el('code', null, t.name), t.description ? ` — ${t.description}` : '')),
      ),
    );
  if (s.output) {
    const out: Child[] = [el('pre', { className: 'text output-text' }, s.output.text || '(no text)')];
    for (const c of s.output.toolCalls)
      out.push(el('div', null, icon('tools'), c.name, el('pre', { className: 'text' }, pretty(c.arguments))));
    if (s.output.finishReason) out.push(el('p', { className: 'muted' }, `finish reason: ${s.output.finishReason}`));
    parts.push(el('h4', null, 'Output'), ...out);
  }
  if (s.io) {
    if (s.io.input !== undefined)
      parts.push(el('h4', null, 'Input'), el('pre', { className: 'text' }, pretty(s.io.input)));
    if (s.io.output !== undefined)
      parts.push(el('h4', null, 'Output'), el('pre', { className: 'text' }, pretty(s.io.output)));
  }
  return el('div', { className: 'span-detail', attrs: { 'aria-live': 'polite' } }, ...parts);
}

export function renderTrace(t: TraceShowParams, a: TraceActions, selectSpanId?: string): HTMLElement {
  const found = selectSpanId ? t.spans.findIndex((s) => s.spanId === selectSpanId) : -1;
  const first =
    found >= 0
      ? found
      : Math.max(
          0,
          t.spans.findIndex((s) => s.kind === 'llm'),
        );
  const detailHost = el('div', { className: 'detail-host' });
  const steps = llmStepsOf(t.spans);
  const show = (i: number): void =>
    detailHost.replaceChildren(
      t.spans[i] ? spanDetail(t.traceId, t.spans[i], a, steps) : el('p', { className: 'muted' }, 'No spans.'),
    );
  const tree = renderTreeList({
    label: 'Span tree',
    rows: t.spans,
    level: (s) => s.depth,
    renderRow: (s) => spanRow(s, steps),
    selected: first,
    onSelect: show,
  });
  show(first);
  const totals = t.totals;
  return el(
    'main',
    { className: 'trace' },
    el(
      'header',
      { className: 'panel-header' },
      el(
        'h1',
        null,
        t.name || 'Trace',
        ' ',
        a.interactive
          ? button('Replay', 'debug-rerun', () => a.replay(t.traceId), {
              action: 'replay-trace',
              title: 'Replay this trace with another model, prompt version or parameters',
            })
          : null,
      ),
      el(
        'p',
        { className: 'ids' },
        copyableId('trace', t.traceId, a.interactive, 16),
        t.serviceName ? el('span', null, t.serviceName) : null,
        el('span', null, formatWhen(new Date(t.startTime).toISOString())),
      ),
      el(
        'p',
        { className: 'timing' },
        `${formatDuration(t.durationMs)} · ${countOf(totals.spans, 'span')}, ${countOf(totals.llmSpans, 'LLM call')} · ${formatValue(totals.inputTokens, 'tokens')} in / ${formatValue(totals.outputTokens, 'tokens')} out tokens · cost `,
        valueText(valueView(totals.costUsd, 'usd', totals.costReason)),
      ),
      t.replayNotice
        ? el('p', { className: 'replay-notice note-warning', attrs: { role: 'note' } }, icon('warning'), t.replayNotice)
        : null,
    ),
    section(
      'Spans',
      'spans',
      el('div', { className: 'spans-layout' }, el('div', { className: 'span-trees single' }, tree.element), detailHost),
    ),
    section(
      'Replay history',
      'history',
      renderHistory(t.history, {
        interactive: a.interactive,
        actionLabel: 'Open Comparison',
        onOpen: a.openComparison,
      }),
    ),
  );
}
