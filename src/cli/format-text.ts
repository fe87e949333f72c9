// Human-readable output for a terminal: aligned tables and the span tree.
import { formatDuration } from '../core/compare/format-values';
import type { Span, Trace, TraceSummary } from '../core/model/trace';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export function tracesTable(summaries: TraceSummary[]): string {
  return table(
    ['ID', 'NAME', 'START', 'DURATION', 'SPANS', 'LLM', 'TOKENS IN/OUT', 'MODELS'],
    summaries.map((s) => [
      s.id,
      s.name,
      formatTime(s.startTime),
      formatDuration(s.durationMs),
      String(s.spanCount),
      String(s.llmSpanCount),
      `${s.inputTokens}/${s.outputTokens}`,
      s.models.join(', '),
    ]),
  );
}

/** Deeper levels than this print at this indentation, labelled with their depth. */
const MAX_INDENT = 40;

export function traceTree(trace: Trace): string {
  const children = new Map<string | undefined, Span[]>();
  const ids = new Set(trace.spans.map((s) => s.id));
  for (const span of trace.spans) {
    const parent = span.parentId && ids.has(span.parentId) ? span.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const out = [
    `${trace.name}  (${trace.id})  ${formatTime(trace.startTime)}  ${formatDuration(trace.endTime - trace.startTime)}`,
  ];
  // Iterative, so a 10,000-deep chain prints; past MAX_INDENT levels the indentation stops growing
  // and the line names its depth instead. Spans only reachable through a parent cycle (a trace
  // stored before assembly cut cycles) are printed as roots after the rest, each once.
  const printed = new Set<string>();
  const stack: { span: Span; prefix: string; last: boolean; depth: number }[] = [];
  const pushChildren = (list: Span[], prefix: string, depth: number): void => {
    for (let i = list.length - 1; i >= 0; i--)
      stack.push({ span: list[i], prefix, last: i === list.length - 1, depth });
  };
  const drain = (): void => {
    while (stack.length) {
      const { span, prefix, last, depth } = stack.pop()!;
      if (printed.has(span.id)) continue;
      printed.add(span.id);
      const deep = depth > MAX_INDENT ? `(depth ${depth}) ` : '';
      out.push(`${prefix}${last ? '└─ ' : '├─ '}${deep}${spanLine(span)}`);
      const childPrefix = depth >= MAX_INDENT ? prefix : prefix + (last ? '   ' : '│  ');
      pushChildren(children.get(span.id) ?? [], childPrefix, depth + 1);
    }
  };
  pushChildren(children.get(undefined) ?? [], '', 0);
  drain();
  const unreached = trace.spans.filter((s) => !printed.has(s.id));
  for (const [i, span] of unreached.entries()) {
    if (printed.has(span.id)) continue;
    stack.push({ span, prefix: '', last: i === unreached.length - 1, depth: 0 });
    drain();
  }
  return out.join('\n');
}

function spanLine(span: Span): string {
  const parts = [`[${span.kind}]`, span.name, formatDuration(span.endTime - span.startTime)];
  const llm = span.llm;
  if (span.kind === 'llm' && llm) {
    const model = llm.responseModel ?? llm.requestModel;
    if (model) parts.push(`${llm.provider ? llm.provider + ':' : ''}${model}`);
    if (llm.usage) parts.push(`${llm.usage.inputTokens ?? 0}→${llm.usage.outputTokens ?? 0} tok`);
    // The id `replay --from-span` takes.
    parts.push(`span ${span.id}`);
  }
  if (span.status.code === 'error') parts.push(`ERROR${span.status.message ? ': ' + span.status.message : ''}`);
  return parts.join('  ');
}
