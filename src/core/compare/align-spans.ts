// Aligns the span trees of an original trace and its replay. A replayed span names the span it
// replays (span.replay.originalSpanId); spans without that link (older replays, spans the engine
// added) are paired by position in start order among the leftovers, matching kind and name with a
// longest common subsequence so an inserted or dropped span does not shift every later pair.
import type { Span, Trace } from '../model/trace';
import type { AlignmentStatus, SpanRef } from './comparison-types';

export interface AlignedPair {
  original?: Span;
  replay?: Span;
  status: AlignmentStatus;
  depth: number;
}

// Beyond this many cells the LCS table costs too much memory; plain position order is used instead.
const MAX_LCS_CELLS = 4_000_000;

const isLlmSpan = (s: Span): boolean => s.kind === 'llm' && s.llm !== undefined;

/** Step numbers of a trace's LLM spans: 1..n in start order (ties keep the trace's order). */
export function llmSteps(trace: Trace): Map<string, number> {
  const llm = trace.spans.filter(isLlmSpan);
  const ordered = llm.map((s, i) => ({ s, i })).sort((a, b) => a.s.startTime - b.s.startTime || a.i - b.i);
  return new Map(ordered.map(({ s }, i) => [s.id, i + 1]));
}

/** @param steps the trace's llmSteps (computed once per trace); without it the step is computed here. */
export function spanRef(span: Span, trace: Trace, steps: ReadonlyMap<string, number> = llmSteps(trace)): SpanRef {
  const ref: SpanRef = {
    spanId: span.id,
    name: span.name,
    kind: span.kind,
    startOffsetMs: span.startTime - trace.startTime,
    durationMs: span.endTime - span.startTime,
    statusCode: span.status.code,
  };
  const model = span.llm?.responseModel ?? span.llm?.requestModel;
  if (model !== undefined) ref.model = model;
  const step = steps.get(span.id);
  if (step !== undefined) ref.step = step;
  return ref;
}

const key = (s: Span): string => `${s.kind}\u0000${s.name}`;

function pairByPosition(originals: Span[], replays: Span[]): [Span, Span][] {
  const n = originals.length;
  const m = replays.length;
  if (n === 0 || m === 0) return [];
  if (n * m > MAX_LCS_CELLS) {
    const pairs: [Span, Span][] = [];
    for (let i = 0; i < Math.min(n, m); i++)
      if (key(originals[i]) === key(replays[i])) pairs.push([originals[i], replays[i]]);
    return pairs;
  }
  // lcs[i][j] = length of the LCS of originals[i..] and replays[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        key(originals[i]) === key(replays[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const pairs: [Span, Span][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (key(originals[i]) === key(replays[j])) pairs.push([originals[i++], replays[j++]]);
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

interface Node {
  pair: Omit<AlignedPair, 'depth'>;
  offset: number;
  children: Node[];
}

/** Pairs spans and returns the merged tree depth first, children in start order. */
export function alignSpans(
  original: Trace,
  replay: Trace,
  statusOf: (replaySpan: Span) => AlignmentStatus,
): AlignedPair[] {
  const originalById = new Map(original.spans.map((s) => [s.id, s]));
  const replayToOriginal = new Map<string, Span>();
  const originalToReplay = new Map<string, Span>();
  for (const r of replay.spans) {
    const o = r.replay ? originalById.get(r.replay.originalSpanId) : undefined;
    if (o && !originalToReplay.has(o.id)) {
      replayToOriginal.set(r.id, o);
      originalToReplay.set(o.id, r);
    }
  }
  const leftO = original.spans.filter((s) => !originalToReplay.has(s.id));
  const leftR = replay.spans.filter((s) => !replayToOriginal.has(s.id) && !s.replay);
  for (const [o, r] of pairByPosition(leftO, leftR)) {
    replayToOriginal.set(r.id, o);
    originalToReplay.set(o.id, r);
  }

  const nodes: Node[] = [];
  const nodeOfOriginal = new Map<string, Node>();
  const nodeOfReplay = new Map<string, Node>();
  for (const o of original.spans) {
    const r = originalToReplay.get(o.id);
    const node: Node = {
      pair: r ? { original: o, replay: r, status: statusOf(r) } : { original: o, status: 'missing' },
      offset: o.startTime - original.startTime,
      children: [],
    };
    nodes.push(node);
    nodeOfOriginal.set(o.id, node);
    if (r) nodeOfReplay.set(r.id, node);
  }
  for (const r of replay.spans) {
    if (nodeOfReplay.has(r.id)) continue;
    const node: Node = { pair: { replay: r, status: 'extra' }, offset: r.startTime - replay.startTime, children: [] };
    nodes.push(node);
    nodeOfReplay.set(r.id, node);
  }

  const roots: Node[] = [];
  for (const node of nodes) {
    const { original: o, replay: r } = node.pair;
    const parent =
      (o?.parentId !== undefined ? nodeOfOriginal.get(o.parentId) : undefined) ??
      (r?.parentId !== undefined ? nodeOfReplay.get(r.parentId) : undefined);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }

  const out: AlignedPair[] = [];
  const seen = new Set<Node>();
  // Iterative depth-first walk: deep agent traces must not overflow the stack, and a cycle in bad
  // data (a span its own ancestor) must not loop forever.
  const stack: { node: Node; depth: number }[] = sortByOffset(roots)
    .reverse()
    .map((node) => ({ node, depth: 0 }));
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    out.push({ ...node.pair, depth });
    for (const child of sortByOffset(node.children).reverse()) stack.push({ node: child, depth: depth + 1 });
  }
  // Nodes only reachable through a cycle.
  for (const node of nodes) if (!seen.has(node)) out.push({ ...node.pair, depth: 0 });
  return out;
}

function sortByOffset(nodes: Node[]): Node[] {
  return [...nodes].sort((a, b) => a.offset - b.offset);
}
