// Command arguments as VS Code passes them: a node clicked in a view plus the whole selection
// (multi-select), or plain ids when a command is run programmatically or from a tree item's command.
import type { ReplaysTreeNode } from '../views/replays-tree';
import type { TraceRef } from '../sources/trace-sources';
import type { TracesTreeNode } from '../views/traces-tree';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function jobIdOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v) && v.type === 'replay' && isObject(v.job) && typeof v.job.id === 'string')
    return (v as unknown as { job: { id: string } }).job.id;
  return undefined;
}

/** (clicked, selection) -> job ids: the selection when it holds the clicked node, else the clicked one. */
export function jobIdsFromArgs(arg: unknown, all: unknown): string[] {
  const selection = Array.isArray(all) ? (all as ReplaysTreeNode[]).map(jobIdOf).filter((x): x is string => !!x) : [];
  const clicked = Array.isArray(arg)
    ? arg.map(jobIdOf).filter((x): x is string => !!x)
    : [jobIdOf(arg)].filter((x): x is string => !!x);
  if (selection.length && clicked.every((id) => selection.includes(id))) return [...new Set(selection)];
  return [...new Set(clicked)];
}

function traceIdOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return undefined;
  const node = v as { type?: unknown; summary?: unknown; traceId?: unknown };
  if (node.type === 'trace' && isObject(node.summary)) return (node as TracesTreeNode & { type: 'trace' }).summary.id;
  if (node.type === 'group' && typeof node.traceId === 'string') return node.traceId;
  return undefined;
}

/** Same rule for trace nodes (Traces view) and trace groups (Replays view). */
export function traceIdsFromArgs(arg: unknown, all: unknown): string[] {
  const selection = Array.isArray(all) ? all.map(traceIdOf).filter((x): x is string => !!x) : [];
  const clicked = Array.isArray(arg)
    ? arg.map(traceIdOf).filter((x): x is string => !!x)
    : [traceIdOf(arg)].filter((x): x is string => !!x);
  if (selection.length && clicked.every((id) => selection.includes(id))) return [...new Set(selection)];
  return [...new Set(clicked)];
}

function traceRefOf(v: unknown): TraceRef | undefined {
  if (isObject(v)) {
    const node = v as { type?: unknown; summary?: { id?: unknown }; sourceId?: unknown; traceId?: unknown };
    if (node.type === 'trace' && typeof node.summary?.id === 'string' && typeof node.sourceId === 'string')
      return { id: node.summary.id, sourceId: node.sourceId };
    // { traceId, sourceId }: a platform trace row's click.
    if (node.type === undefined && typeof node.traceId === 'string' && typeof node.sourceId === 'string')
      return { id: node.traceId, sourceId: node.sourceId };
  }
  const id = traceIdOf(v);
  return id === undefined ? undefined : { id };
}

/** Like traceIdsFromArgs, keeping which source a Traces view row was listed from (platform rows
 *  carry the platform's id, which TraceSources.localTraceIds turns into the store copy's id). */
export function traceRefsFromArgs(arg: unknown, all: unknown): TraceRef[] {
  const refs = (v: unknown): TraceRef[] =>
    (Array.isArray(v) ? v : [v]).map(traceRefOf).filter((x): x is TraceRef => !!x);
  const key = (r: TraceRef): string => `${r.sourceId ?? ''}\n${r.id}`;
  const selection = Array.isArray(all) ? refs(all) : [];
  const clicked = refs(arg);
  const chosen =
    selection.length && clicked.every((c) => selection.some((s) => key(s) === key(c))) ? selection : clicked;
  return [...new Map(chosen.map((r) => [key(r), r])).values()];
}
