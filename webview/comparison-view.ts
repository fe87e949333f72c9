// The comparison panel: header (trace name, status, overrides; ids secondary and copyable), the
// verdict (quality: the evaluators' scores, next to duration / tokens / cost cards), merged warnings,
// the two span trees side by side (one row per aligned pair), the selected span's diffs, all scores
// and the trace's replay history.
import type { ComparisonJson, SpanJson } from '../src/core/compare/render-json';
import type { ComparisonWarning, SpanRef } from '../src/core/compare/comparison-types';
import { spanLabel } from '../src/core/compare/format-values';
import { formatTemplateRef, type TemplateRef } from '../src/core/prompts/template-ref';
import type { ComparisonShowParams, SpanSide } from '../src/protocol';
import { button, copyableId, renderHistory, statusBadge, trendMark, valueText } from './common-views';
import { el, icon, section, type Child } from './dom';
import { renderPlatformScores, renderQuality, renderScores } from './score-table';
import { renderSampleSpread } from './sample-strip';
import { renderSpanDetail } from './span-detail';
import { renderToolDrift } from './tool-drift-table';
import { renderTreeList } from './tree-list';
import {
  CARD_METRICS,
  formatDuration,
  initialRowIndex,
  jobStatusView,
  kindIcon,
  metricCard,
  spanStatusView,
} from './view-model';

export interface ComparisonActions {
  interactive: boolean;
  openDiff(replayId: string, spanId: string, side: SpanSide): void;
  selectReplay(jobId: string): void;
  openSpan(traceId: string, spanId: string): void;
  openTemplate(path: string): void;
  /** Read the platform's scores of this replay again. */
  refreshPlatformScores(replayId: string): void;
}

function overridesChips(c: ComparisonJson, templateRef: TemplateRef | undefined, a: ComparisonActions): Child[] {
  const o = c.overrides;
  const chips: Child[] = [];
  if (o.model) chips.push(el('span', { className: 'chip' }, icon('sparkle'), `model ${o.model}`));
  for (const [k, v] of Object.entries(o.parameters ?? {}))
    chips.push(el('span', { className: 'chip' }, icon('settings'), ` ${k} = ${JSON.stringify(v)}`));
  const ref = templateRef ?? o.template;
  if (ref) {
    // A template file opens in an editor; a platform's prompt version (langfuse:..., phoenix:...) is a label.
    const template = formatTemplateRef(ref);
    chips.push(
      a.interactive && ref.kind === 'file'
        ? button(template.split(/[\\/]/).pop() ?? template, 'file-code', () => a.openTemplate(ref.path), {
            secondary: true,
            action: 'open-template',
            title: `Open the prompt template ${template}`,
          })
        : el('span', { className: 'chip', title: template }, icon('file-code'), `template ${template}`),
    );
  }
  if (o.mode) chips.push(el('span', { className: 'chip' }, icon('list-ordered'), o.mode));
  if (o.fromSpanId) chips.push(el('span', { className: 'chip' }, icon('debug-step-into'), `from span ${o.fromSpanId}`));
  if (o.toolPolicy && o.toolPolicy !== 'recorded')
    chips.push(el('span', { className: 'chip' }, icon('tools'), `${o.toolPolicy} tools`));
  if (o.cache === false) chips.push(el('span', { className: 'chip' }, 'no cache'));
  if (!chips.length) chips.push(el('span', { className: 'muted' }, 'no overrides (same model and parameters)'));
  return chips;
}

function header(c: ComparisonJson, templateRef: TemplateRef | undefined, a: ComparisonActions): HTMLElement {
  const t = c.timing;
  const timing = el(
    'p',
    { className: 'timing' },
    icon('clock'),
    'Queue wait ',
    el(
      'strong',
      { title: 'time queued before the job started' },
      t.queueWaitMs === null ? 'unknown' : formatDuration(t.queueWaitMs),
    ),
    ' · provider time ',
    el('strong', { title: 'time spent in the provider calls actually sent' }, formatDuration(t.providerMs)),
    ' · wall ',
    el('strong', null, formatDuration(t.wallMs)),
    ` · ${t.sentCalls} call${t.sentCalls === 1 ? '' : 's'} sent, ${t.cachedCalls} cached`,
  );
  // What the user recognises first: the trace's name and what was changed; the ids are for copying.
  return el(
    'header',
    { className: 'panel-header' },
    el(
      'h1',
      null,
      el('span', { className: 'trace-name' }, c.traceName || 'Trace'),
      statusBadge(jobStatusView(c.jobStatus)),
    ),
    el('div', { className: 'chips', attrs: { 'aria-label': 'Overrides' } }, ...overridesChips(c, templateRef, a)),
    timing,
    el(
      'p',
      { className: 'ids' },
      copyableId('original trace', c.originalTraceId, a.interactive, 16),
      icon('arrow-right', 'replayed as'),
      copyableId('replay trace', c.replayTraceId, a.interactive, 16),
      copyableId('job', c.replayId, a.interactive, 13),
    ),
  );
}

function metricCards(c: ComparisonJson): HTMLElement {
  const cards = CARD_METRICS.map((name) => {
    const v = metricCard(name, c.metrics[name]);
    return el(
      'div',
      {
        className: `metric-card ${v.trend.className}`,
        attrs: {
          role: 'group',
          'aria-label': `${v.label}: original ${v.original.text}, replay ${v.replay.text}, ${v.trend.label} ${v.trend.text}`,
          'data-metric': name,
        },
      },
      el('div', { className: 'metric-label' }, v.label),
      el(
        'div',
        { className: 'metric-values' },
        valueText(v.original),
        ' ',
        icon('arrow-small-right', 'to'),
        ' ',
        valueText(v.replay),
      ),
      el('div', { className: 'metric-delta' }, trendMark(v.trend)),
    );
  });
  return el('div', { className: 'metric-cards' }, ...cards);
}

function warnings(c: ComparisonJson): HTMLElement | null {
  if (!c.warnings.length) return null;
  const icons: Record<string, string> = {
    span: 'warning',
    divergence: 'git-compare',
    job: 'error',
    score: 'beaker',
    alignment: 'list-tree',
  };
  // Repeated warnings arrive merged (one message naming every span, with a count).
  const count = (w: ComparisonWarning): number => (w as ComparisonWarning & { count?: number }).count ?? 1;
  return el(
    'ul',
    { className: 'warnings', attrs: { 'aria-label': 'Warnings' } },
    ...c.warnings.map((w) =>
      el(
        'li',
        { className: `warning warning-${w.source}` },
        icon(icons[w.source] ?? 'warning', w.source),
        el(
          'span',
          null,
          el('span', { className: 'warning-source' }, `${w.source}: `),
          w.message,
          count(w) > 1
            ? el('span', { className: 'warning-count', title: `occurred ${count(w)} times` }, ` (×${count(w)})`)
            : null,
        ),
      ),
    ),
  );
}

/** The span a replay from a span (--from-span, "Replay from Here") forked at. */
function forkMark(): HTMLElement {
  return el(
    'span',
    {
      className: 'fork-point',
      title: 'The replay forked here: earlier spans kept their recorded output, this one and later ones were replayed',
    },
    icon('debug-step-into'),
    'fork point',
  );
}

function sideCell(ref: SpanRef | null, depth: number, fork = false): HTMLElement {
  if (!ref) return el('div', { className: 'side empty', attrs: { 'aria-label': 'none' } }, '—');
  const indent = el('span', { className: 'indent', attrs: { 'aria-hidden': 'true' } });
  // A CSSOM property, not a style attribute: the CSP has no 'unsafe-inline' for styles.
  indent.style.setProperty('--depth', String(depth));
  return el(
    'div',
    { className: `side${ref.statusCode === 'error' ? ' side-error' : ''}` },
    indent,
    icon(kindIcon(ref.kind), ref.kind),
    // "#1 gpt-4o-mini": an LLM call by its step and model (two calls named alike stay apart); the
    // span's own name goes to the tooltip.
    el(
      'span',
      { className: 'span-name', title: ref.model && ref.step !== undefined ? `${ref.name} · ${ref.model}` : ref.name },
      spanLabel(ref),
    ),
    ref.model && ref.step === undefined ? el('span', { className: 'span-model' }, ref.model) : null,
    fork ? forkMark() : null,
    el('span', { className: 'span-duration' }, formatDuration(ref.durationMs)),
  );
}

function spanRow(r: SpanJson): Child[] {
  const s = spanStatusView(r);
  return [
    el('span', { className: `row-status ${s.className}` }, icon(s.icon, s.label)),
    sideCell(r.original, r.depth),
    sideCell(r.replay, r.depth, r.forkPoint === true),
  ];
}

function counts(c: ComparisonJson): HTMLElement {
  const items = Object.entries(c.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => {
      const v = spanStatusView({ status, cached: false });
      return el('span', { className: `count ${v.className}` }, icon(v.icon), `${n} ${v.label}`);
    });
  return el('p', { className: 'counts' }, ...items);
}

export function renderComparison(p: ComparisonShowParams, a: ComparisonActions): HTMLElement {
  const c = p.comparison;
  const first = initialRowIndex(c.spans);
  const detailHost = el('div', { className: 'detail-host' });
  const detailActions = {
    interactive: a.interactive,
    openDiff: (spanId: string, side: SpanSide) => a.openDiff(c.replayId, spanId, side),
    openSpan: a.openSpan,
  };
  const showDetail = (i: number): void => detailHost.replaceChildren(renderSpanDetail(c, c.spans[i], detailActions));
  const tree = renderTreeList({
    label: 'Aligned span trees: original and replay',
    rows: c.spans,
    level: (r) => r.depth,
    renderRow: spanRow,
    rowClass: (r) => `status-row-${r.status}`,
    selected: first,
    onSelect: showDetail,
  });
  showDetail(first);
  const trees = el(
    'div',
    { className: 'span-trees' },
    el(
      'div',
      { className: 'tree-head', attrs: { 'aria-hidden': 'true' } },
      el('span', null, ''),
      el('span', null, 'Original'),
      el('span', null, 'Replay'),
    ),
    tree.element,
  );
  return el(
    'main',
    { className: 'comparison', attrs: { 'data-replay-id': c.replayId } },
    header(c, p.template, a),
    el(
      'section',
      { className: 'verdict', attrs: { 'aria-label': 'Verdict: quality, duration, tokens and cost' } },
      renderQuality(c),
      metricCards(c),
    ),
    warnings(c),
    renderSampleSpread(c),
    section('Spans', 'spans', counts(c), el('div', { className: 'spans-layout' }, trees, detailHost)),
    renderToolDrift(c, (i) => tree.select(i, true)),
    section(
      'Scores',
      'scores',
      renderScores(c),
      renderPlatformScores(c, p.platform, a.interactive ? () => a.refreshPlatformScores(c.replayId) : undefined),
    ),
    section(
      'Replay history',
      'history',
      renderHistory(p.history, {
        current: c.replayId,
        interactive: a.interactive,
        actionLabel: 'Show',
        onOpen: a.selectReplay,
      }),
    ),
  );
}
