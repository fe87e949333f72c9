// Human-readable output for a terminal: aligned tables and the span tree.
import type { Span, Trace, TraceSummary } from '../core/model/trace';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(headers), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function tracesTable(summaries: TraceSummary[]): string {
  return table(
    ['ID', 'NAME', 'START', 'DURATION', 'SPANS', 'LLM', 'TOKENS IN/OUT', 'MODELS'],
    summaries.map(s => [
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

export function traceTree(trace: Trace): string {
  const children = new Map<string | undefined, Span[]>();
  const ids = new Set(trace.spans.map(s => s.id));
  for (const span of trace.spans) {
    const parent = span.parentId && ids.has(span.parentId) ? span.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const out = [`${trace.name}  (${trace.id})  ${formatTime(trace.startTime)}  ${formatDuration(trace.endTime - trace.startTime)}`];
  const walk = (parent: string | undefined, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((span, i) => {
      const last = i === list.length - 1;
      out.push(`${prefix}${last ? '└─ ' : '├─ '}${spanLine(span)}`);
      walk(span.id, prefix + (last ? '   ' : '│  '));
    });
  };
  walk(undefined, '');
  return out.join('\n');
}

function spanLine(span: Span): string {
  const parts = [`[${span.kind}]`, span.name, formatDuration(span.endTime - span.startTime)];
  const llm = span.llm;
  if (span.kind === 'llm' && llm) {
    const model = llm.responseModel ?? llm.requestModel;
    if (model) parts.push(`${llm.provider ? llm.provider + ':' : ''}${model}`);
    if (llm.usage) parts.push(`${llm.usage.inputTokens ?? 0}→${llm.usage.outputTokens ?? 0} tok`);
  }
  if (span.status.code === 'error') parts.push(`ERROR${span.status.message ? ': ' + span.status.message : ''}`);
  return parts.join('  ');
}
