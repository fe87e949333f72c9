// Builds a Trace from normalized spans and summarizes it for the trace list. Assembly is a pure
// function of the span set: the store re-assembles after every batch, spans arrive in any order,
// and a span assembled before must come out the same.
import type { Span, Trace, TraceSummary } from '../model/trace';
import { fillFromWrapper } from './fill-wrapped-call';

export function assembleTrace(spans: Span[]): Trace {
  const byId = new Map<string, Span>();
  for (const s of spans) byId.set(s.id, s);
  const children = new Map<string, Span[]>();
  for (const s of byId.values()) {
    if (!s.parentId || !byId.has(s.parentId)) continue;
    let list = children.get(s.parentId);
    if (!list) children.set(s.parentId, (list = []));
    list.push(s);
  }
  const wrapsLlm = llmDescendantFlags(byId, children);
  const depth = depths(byId);
  const settled = new Map<string, Span>();
  for (const s of byId.values()) settled.set(s.id, settleWrapper(s, wrapsLlm.get(s.id) === true));
  fillInnerCalls(settled, children, depth);
  const out = [...settled.values()];
  out.sort((x, y) => compareNanos(x.startTimeUnixNano, y.startTimeUnixNano)
    || (depth.get(x.id) ?? 0) - (depth.get(y.id) ?? 0) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const root = out.find(s => !s.parentId) ?? out.find(s => !byId.has(s.parentId ?? '')) ?? out[0];
  const trace: Trace = {
    id: root?.traceId ?? '',
    name: traceName(out, root),
    startTime: out.reduce((m, s) => Math.min(m, s.startTime), out.length ? Infinity : 0),
    endTime: out.reduce((m, s) => Math.max(m, s.endTime), out.length ? -Infinity : 0),
    spans: out,
  };
  const resource = root?.resource ?? out.find(s => s.resource)?.resource;
  if (resource) {
    trace.resource = resource;
    const service = resource['service.name'];
    if (typeof service === 'string') trace.serviceName = service;
  }
  return trace;
}

/** A span that reads as an LLM call but has an LLM call below it is an instrumentation wrapper:
 *  it becomes a chain keeping its reading in wrappedLlm. Reversible so re-assembly is idempotent. */
function settleWrapper(s: Span, wrapsLlm: boolean): Span {
  if (wrapsLlm && s.llm) {
    const { llm, ...rest } = s;
    return { ...rest, kind: 'chain', wrappedLlm: llm };
  }
  if (!wrapsLlm && s.wrappedLlm && !s.llm) {
    const { wrappedLlm, ...rest } = s;
    return { ...rest, kind: 'llm', llm: wrappedLlm };
  }
  return s;
}

/** Wrappers with exactly one LLM call below them hand their recorded content to it when it has
 *  none; the innermost wrapper goes first so its reading wins. */
function fillInnerCalls(settled: Map<string, Span>, children: Map<string, Span[]>, depth: Map<string, number>): void {
  const wrappers = [...settled.values()].filter(s => s.wrappedLlm).sort((a, b) => (depth.get(b.id) ?? 0) - (depth.get(a.id) ?? 0));
  for (const w of wrappers) {
    const calls: string[] = [];
    const walk = (id: string): void => {
      for (const c of children.get(id) ?? []) {
        const cur = settled.get(c.id);
        if (cur?.llm) calls.push(c.id);
        else walk(c.id);
      }
    };
    walk(w.id);
    if (calls.length !== 1) continue;
    const target = settled.get(calls[0]);
    const filled = target?.llm && w.wrappedLlm ? fillFromWrapper(target.llm, w.wrappedLlm) : undefined;
    if (target && filled) settled.set(target.id, { ...target, llm: filled });
  }
}

function isModelCall(s: Span): boolean {
  return s.llm !== undefined || s.wrappedLlm !== undefined;
}

function llmDescendantFlags(byId: Map<string, Span>, children: Map<string, Span[]>): Map<string, boolean> {
  const flags = new Map<string, boolean>();
  const visiting = new Set<string>();
  const visit = (id: string): boolean => {
    const known = flags.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return false; // a parent cycle in bad data; break it
    visiting.add(id);
    let found = false;
    for (const c of children.get(id) ?? []) {
      if (visit(c.id) || isModelCall(c)) found = true;
    }
    visiting.delete(id);
    flags.set(id, found);
    return found;
  };
  for (const id of byId.keys()) visit(id);
  return flags;
}

function depths(byId: Map<string, Span>): Map<string, number> {
  const out = new Map<string, number>();
  const depthOf = (s: Span, guard: number): number => {
    const known = out.get(s.id);
    if (known !== undefined) return known;
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    const d = parent && guard < byId.size ? depthOf(parent, guard + 1) + 1 : 0;
    out.set(s.id, d);
    return d;
  };
  for (const s of byId.values()) depthOf(s, 0);
  return out;
}

/** Nanosecond timestamps compared exactly (decimal strings without leading zeros). */
function compareNanos(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function traceName(spans: Span[], root: Span | undefined): string {
  const ordered = root ? [root, ...spans.filter(s => s !== root)] : spans;
  for (const key of ['langfuse.trace.name', 'traceloop.workflow.name']) {
    for (const s of ordered) {
      const v = s.attributes[key];
      if (typeof v === 'string' && v) return v;
    }
  }
  return root?.name ?? '';
}

export function summarizeTrace(trace: Trace, updatedAt = Date.now()): TraceSummary {
  const models = new Set<string>();
  const promptNames = new Set<string>();
  let llmSpanCount = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | undefined;
  for (const s of trace.spans) {
    if (s.kind !== 'llm' || !s.llm) continue;
    llmSpanCount++;
    const model = s.llm.responseModel ?? s.llm.requestModel;
    if (model) models.add(model);
    if (s.llm.prompt?.name) promptNames.add(s.llm.prompt.name);
    inputTokens += s.llm.usage?.inputTokens ?? 0;
    outputTokens += s.llm.usage?.outputTokens ?? 0;
    if (s.llm.costUsd !== undefined) cost = (cost ?? 0) + s.llm.costUsd;
  }
  const summary: TraceSummary = {
    id: trace.id,
    name: trace.name,
    startTime: trace.startTime,
    durationMs: trace.endTime - trace.startTime,
    spanCount: trace.spans.length,
    llmSpanCount,
    models: [...models],
    inputTokens,
    outputTokens,
    promptNames: [...promptNames],
    updatedAt,
  };
  if (cost !== undefined) summary.costUsd = cost;
  const errors = trace.spans.filter(s => s.status?.code === 'error').length;
  if (errors > 0) summary.errorSpanCount = errors;
  if (trace.serviceName) summary.serviceName = trace.serviceName;
  if (trace.replayOf) summary.replayOf = trace.replayOf;
  return summary;
}
