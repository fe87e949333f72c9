// Builds a Trace from normalized spans and summarizes it for the trace list. Assembly is a pure
// function of the span set: the store re-assembles after every batch, spans arrive in any order,
// and a span assembled before must come out the same. Any input assembles: parent cycles are cut
// (with a warning on the span) and no step recurses, so a 10,000-deep chain is as safe as a flat one.
import type { Span, Trace, TraceSummary } from '../model/trace';
import { fillFromWrapper } from './fill-wrapped-call';

export function assembleTrace(spans: Span[]): Trace {
  const byId = new Map<string, Span>();
  for (const s of spans) byId.set(s.id, s);
  breakParentCycles(byId);
  const children = new Map<string, Span[]>();
  for (const s of byId.values()) {
    if (!s.parentId || !byId.has(s.parentId)) continue;
    let list = children.get(s.parentId);
    if (!list) children.set(s.parentId, (list = []));
    list.push(s);
  }
  const wrapsLlm = llmAncestors(byId);
  const depth = depths(byId);
  const settled = new Map<string, Span>();
  for (const s of byId.values()) settled.set(s.id, settleWrapper(s, wrapsLlm.has(s.id)));
  fillInnerCalls(settled, children, depth);
  const out = [...settled.values()];
  out.sort(
    (x, y) =>
      compareNanos(x.startTimeUnixNano, y.startTimeUnixNano) ||
      (depth.get(x.id) ?? 0) - (depth.get(y.id) ?? 0) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );

  const root = out.find((s) => !s.parentId) ?? out.find((s) => !byId.has(s.parentId ?? '')) ?? out[0];
  const trace: Trace = {
    id: root?.traceId ?? '',
    name: traceName(out, root),
    startTime: out.reduce((m, s) => Math.min(m, s.startTime), out.length ? Infinity : 0),
    endTime: out.reduce((m, s) => Math.max(m, s.endTime), out.length ? -Infinity : 0),
    spans: out,
  };
  const resource = root?.resource ?? out.find((s) => s.resource)?.resource;
  if (resource) {
    trace.resource = resource;
    const service = resource['service.name'];
    if (typeof service === 'string') trace.serviceName = service;
  }
  return trace;
}

/** Bad data can make spans their own ancestors (a span its own parent, two spans each other's
 *  parent, possibly sent in separate requests). Each such cycle is cut at its earliest-starting
 *  span (ties: the smallest id), which loses its parent and says so in a warning: the choice
 *  depends only on the span set, so every arrival order and every re-assembly gives the same tree.
 *  Parent links form a functional graph, so following them from each span finds every cycle. */
function breakParentCycles(byId: Map<string, Span>): void {
  const done = new Set<string>();
  for (const start of byId.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let cur: string | undefined = start;
    while (cur !== undefined && !done.has(cur) && !onPath.has(cur)) {
      onPath.set(cur, path.length);
      path.push(cur);
      const parentId: string | undefined = byId.get(cur)?.parentId;
      cur = parentId !== undefined && byId.has(parentId) ? parentId : undefined;
    }
    if (cur !== undefined && onPath.has(cur)) {
      const cycle = path.slice(onPath.get(cur));
      const cut = cycle
        .map((id) => byId.get(id)!)
        .reduce((best, s) =>
          (compareNanos(s.startTimeUnixNano, best.startTimeUnixNano) || (s.id < best.id ? -1 : 1)) < 0 ? s : best,
        );
      byId.set(cut.id, withoutParent(cut, cycle.length));
    }
    for (const id of path) done.add(id);
  }
}

function withoutParent(s: Span, cycleLength: number): Span {
  const { parentId, ...rest } = s;
  const cycle = cycleLength === 1 ? 'it is its own parent' : `the parent is also its descendant (${cycleLength} spans)`;
  const warning =
    `The recorded parent ${parentId ?? ''} forms a parent cycle (${cycle}); this span is shown as a root. ` +
    'The exporter or instrumentation sent inconsistent parent span ids; fix the parent links there.';
  const warnings = s.warnings ?? [];
  return { ...rest, warnings: warnings.includes(warning) ? warnings : [...warnings, warning] };
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
 *  none; the innermost wrapper goes first so its reading wins. The calls below each span (at most
 *  two kept: one is all that matters) are collected bottom-up, deepest spans first, without
 *  recursion and in one pass however deep the tree. */
function fillInnerCalls(settled: Map<string, Span>, children: Map<string, Span[]>, depth: Map<string, number>): void {
  const deepestFirst = [...settled.values()].sort((a, b) => (depth.get(b.id) ?? 0) - (depth.get(a.id) ?? 0));
  const callsBelow = new Map<string, string[]>();
  for (const s of deepestFirst) {
    const calls: string[] = [];
    for (const c of children.get(s.id) ?? []) {
      if (calls.length > 1) break;
      if (settled.get(c.id)?.llm) calls.push(c.id);
      else calls.push(...(callsBelow.get(c.id) ?? []));
    }
    callsBelow.set(s.id, calls.slice(0, 2));
  }
  for (const w of deepestFirst) {
    if (!w.wrappedLlm) continue;
    const calls = callsBelow.get(w.id) ?? [];
    if (calls.length !== 1) continue;
    const target = settled.get(calls[0]);
    const filled = target?.llm && w.wrappedLlm ? fillFromWrapper(target.llm, w.wrappedLlm) : undefined;
    if (target && filled) settled.set(target.id, { ...target, llm: filled });
  }
}

function isModelCall(s: Span): boolean {
  return s.llm !== undefined || s.wrappedLlm !== undefined;
}

/** The spans with a model call below them: each call marks its ancestors, stopping at the first
 *  one already marked (its ancestors are too), so the walk is linear. Needs an acyclic tree. */
function llmAncestors(byId: Map<string, Span>): Set<string> {
  const marked = new Set<string>();
  for (const s of byId.values()) {
    if (!isModelCall(s)) continue;
    let parent = s.parentId !== undefined ? byId.get(s.parentId) : undefined;
    while (parent && !marked.has(parent.id)) {
      marked.add(parent.id);
      parent = parent.parentId !== undefined ? byId.get(parent.parentId) : undefined;
    }
  }
  return marked;
}

/** Depth of every span (roots and spans with a missing parent are 0), iteratively: the chain up
 *  to the first span of known depth is collected, then numbered on the way back. Needs an acyclic tree. */
function depths(byId: Map<string, Span>): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of byId.values()) {
    const chain: Span[] = [];
    let cur: Span | undefined = s;
    let base = -1;
    while (cur) {
      const known = out.get(cur.id);
      if (known !== undefined) {
        base = known;
        break;
      }
      chain.push(cur);
      cur = cur.parentId !== undefined ? byId.get(cur.parentId) : undefined;
    }
    for (let i = chain.length - 1; i >= 0; i--) out.set(chain[i].id, ++base);
  }
  return out;
}

/** Nanosecond timestamps compared exactly (decimal strings without leading zeros). */
function compareNanos(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function traceName(spans: Span[], root: Span | undefined): string {
  const ordered = root ? [root, ...spans.filter((s) => s !== root)] : spans;
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
  const errors = trace.spans.filter((s) => s.status?.code === 'error').length;
  if (errors > 0) summary.errorSpanCount = errors;
  if (trace.serviceName) summary.serviceName = trace.serviceName;
  if (trace.replayOf) summary.replayOf = trace.replayOf;
  return summary;
}
