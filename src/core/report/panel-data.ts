// What the panels receive, shaped from the domain: the replay history entries and the trace detail
// (a slim copy of the trace: raw attributes and events stay in the host). Pure, no VS Code.
import type { ComparisonJson } from '../compare/render-json';
import { flatParameters } from '../compare/llm-span-diff';
import type { Span, Trace } from '../model/trace';
import { priceLlmCall } from '../pricing/llm-pricing';
import type { ReplayJob } from '../replay/replay-types';
import { replayabilitySummary, traceReplayability, unreplayableReason } from '../replay/replayability';
import { needsToolDefinitions, toolNamesUsed } from '../replay/tool-definitions';
import type { ComparisonShowParams, ReplayHistoryEntry, TraceDetailSpan, TraceShowParams } from '../../protocol';

export function replayHistoryEntry(job: ReplayJob): ReplayHistoryEntry {
  const e: ReplayHistoryEntry = { jobId: job.id, createdAt: job.createdAt, status: job.status };
  if (job.overrides.model !== undefined) e.model = job.overrides.model;
  if (job.overrides.template !== undefined) e.template = job.overrides.template;
  if (job.error !== undefined) e.error = job.error;
  return e;
}

/** Newest first, whatever order the jobs come in. */
export function replayHistory(jobs: readonly ReplayJob[]): ReplayHistoryEntry[] {
  return [...jobs]
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .map(replayHistoryEntry);
}

/** The `comparison/show` params of a comparison and the jobs of its original trace. */
export function comparisonShowParams(comparison: ComparisonJson, jobs: readonly ReplayJob[]): ComparisonShowParams {
  const params: ComparisonShowParams = {
    comparison,
    history: replayHistory(jobs.filter((j) => j.traceId === comparison.originalTraceId)),
  };
  if (comparison.overrides.template !== undefined) params.template = comparison.overrides.template;
  return params;
}

/** Depth-first order with children in start order (spans whose parent is absent are roots). */
function depthFirst(trace: Trace): { span: Span; depth: number }[] {
  const ids = new Set(trace.spans.map((s) => s.id));
  const children = new Map<string | undefined, Span[]>();
  for (const s of trace.spans) {
    const parent = s.parentId !== undefined && ids.has(s.parentId) ? s.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  const out: { span: Span; depth: number }[] = [];
  // Iterative so a 10,000-span chain does not blow the stack.
  const stack: { span: Span; depth: number }[] = (children.get(undefined) ?? [])
    .map((span) => ({ span, depth: 0 }))
    .reverse();
  while (stack.length) {
    const item = stack.pop()!;
    out.push(item);
    const kids = children.get(item.span.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: item.depth + 1 });
  }
  return out;
}

function spanCost(span: Span): { costUsd: number | null; costReason?: string } {
  const llm = span.llm!;
  if (llm.costUsd !== undefined) return { costUsd: llm.costUsd };
  const priced = priceLlmCall({
    provider: llm.provider,
    model: llm.responseModel ?? llm.requestModel,
    usage: llm.usage,
    at: new Date(span.startTime),
  });
  return priced.costUsd === null ? { costUsd: null, costReason: priced.reason } : { costUsd: priced.costUsd };
}

/** What a replay of this span will refuse or have to fill in, said before the user starts. */
function replayNotes(span: Span): string[] {
  const notes: string[] = [];
  const refused = unreplayableReason(span);
  if (refused !== undefined) notes.push(`Cannot be replayed: ${refused}`);
  if (span.llm !== undefined && needsToolDefinitions(span.llm)) {
    notes.push(
      `This span called ${toolNamesUsed(span.llm).join(', ')} but recorded no tool definitions; a replay takes them from another span of the trace or store, the traceReplay.replay.toolDefinitionsPath file (CLI: --tools FILE), or infers a schema from the recorded arguments.`,
    );
  }
  return notes;
}

function detailSpan(
  span: Span,
  depth: number,
  trace: Trace,
  templatePathOf?: (span: Span) => string | undefined,
): TraceDetailSpan {
  const d: TraceDetailSpan = {
    spanId: span.id,
    depth,
    name: span.name,
    kind: span.kind,
    startOffsetMs: span.startTime - trace.startTime,
    durationMs: span.endTime - span.startTime,
    statusCode: span.status.code,
    warnings: [...(span.warnings ?? []), ...replayNotes(span)],
  };
  if (span.parentId !== undefined) d.parentId = span.parentId;
  if (span.status.message !== undefined) d.statusMessage = span.status.message;
  if (span.toolName !== undefined) d.toolName = span.toolName;
  if (span.io) d.io = { input: span.io.input, output: span.io.output };
  const llm = span.llm;
  if (llm) {
    const model = llm.responseModel ?? llm.requestModel;
    if (model !== undefined) d.model = model;
    if (llm.provider !== undefined) d.provider = llm.provider;
    if (llm.usage) d.usage = llm.usage;
    Object.assign(d, spanCost(span));
    d.messages = llm.messages;
    if (llm.tools) d.tools = llm.tools;
    d.parameters = flatParameters(llm.parameters);
    d.output = {
      text: llm.output.text,
      toolCalls: llm.output.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
    };
    if (llm.output.finishReason !== undefined) d.output.finishReason = llm.output.finishReason;
    if (llm.prompt) d.prompt = llm.prompt;
    const templatePath = templatePathOf?.(span);
    if (templatePath !== undefined) d.templatePath = templatePath;
  }
  return d;
}

export interface TraceDetailOptions {
  /** The workspace template file a span's prompt came from, when the host can tell. */
  templatePathOf?: (span: Span) => string | undefined;
}

/** The `trace/show` params: the trace's spans with their LLM details, and its replays. */
export function traceShowParams(
  trace: Trace,
  jobs: readonly ReplayJob[],
  options: TraceDetailOptions = {},
): TraceShowParams {
  const spans = depthFirst(trace).map(({ span, depth }) => detailSpan(span, depth, trace, options.templatePathOf));
  const llm = spans.filter((s) => s.kind === 'llm' && s.messages !== undefined);
  let costUsd: number | null = 0;
  let costReason: string | undefined;
  for (const s of llm) {
    if (s.costUsd === null || s.costUsd === undefined) {
      costUsd = null;
      costReason ??= `${s.name}: ${s.costReason ?? 'no price data'}`;
    } else if (costUsd !== null) costUsd += s.costUsd;
  }
  const totals: TraceShowParams['totals'] = {
    spans: spans.length,
    llmSpans: llm.length,
    inputTokens: llm.reduce((n, s) => n + (s.usage?.inputTokens ?? 0), 0),
    outputTokens: llm.reduce((n, s) => n + (s.usage?.outputTokens ?? 0), 0),
    costUsd,
  };
  if (costReason !== undefined) totals.costReason = costReason;
  const params: TraceShowParams = {
    traceId: trace.id,
    name: trace.name,
    startTime: trace.startTime,
    durationMs: trace.endTime - trace.startTime,
    totals,
    spans,
    history: replayHistory(jobs.filter((j) => j.traceId === trace.id)),
  };
  if (trace.serviceName !== undefined) params.serviceName = trace.serviceName;
  const blocked = replayabilitySummary(traceReplayability(trace));
  if (blocked !== undefined) params.replayNotice = blocked;
  return params;
}
