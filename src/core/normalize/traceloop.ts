// Traceloop SDK (OpenLLMetry) workflow attributes: traceloop.span.kind for decorated
// workflows/tasks/agents/tools, traceloop.entity.input/output as their recorded io, and the
// managed-prompt link traceloop.prompt.* set on the model call.
import type { Attributes, PromptLink, SpanIo, SpanKind } from '../model/trace';
import { isRecord, jsonAttr, looseValue, str, type ReadContext } from './attribute-readers';

export const TRACELOOP = 'traceloop';

const KINDS: Record<string, SpanKind> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
  session: 'chain',
};
const VARS_PREFIX = 'traceloop.prompt.template_variables.';

export function hasTraceloop(attrs: Attributes): boolean {
  return (
    attrs['traceloop.span.kind'] !== undefined ||
    attrs['traceloop.entity.name'] !== undefined ||
    attrs['traceloop.prompt.key'] !== undefined ||
    attrs['traceloop.prompt.template'] !== undefined ||
    attrs['traceloop.workflow.name'] !== undefined
  );
}

export function traceloopKind(attrs: Attributes): SpanKind | undefined {
  const k = attrs['traceloop.span.kind'];
  return typeof k === 'string' ? KINDS[k.toLowerCase()] : undefined;
}

export function traceloopPrompt(ctx: ReadContext): PromptLink | undefined {
  const a = ctx.attrs;
  const key = str(a, 'traceloop.prompt.key');
  const template = str(a, 'traceloop.prompt.template');
  const version = str(a, 'traceloop.prompt.version');
  if (!key && !template && !version) return undefined;
  let variables: Record<string, unknown> | undefined;
  if (a['traceloop.prompt.template_variables'] !== undefined) {
    const v = jsonAttr(ctx, 'traceloop.prompt.template_variables');
    if (isRecord(v)) variables = v;
  }
  for (const k in a) {
    if (!k.startsWith(VARS_PREFIX)) continue;
    variables ??= {};
    variables[k.slice(VARS_PREFIX.length)] = a[k];
  }
  const link: PromptLink = { source: 'traceloop' };
  if (key) link.name = key;
  if (version) link.version = version;
  const label = str(a, 'traceloop.prompt.version_name');
  if (label) link.label = label;
  if (template) link.template = template;
  if (variables) link.variables = variables;
  return link;
}

export function traceloopIo(ctx: ReadContext): SpanIo | undefined {
  const a = ctx.attrs;
  const io: SpanIo = {};
  if (a['traceloop.entity.input'] !== undefined)
    io.input = looseValue(ctx, 'traceloop.entity.input', a['traceloop.entity.input']);
  if (a['traceloop.entity.output'] !== undefined)
    io.output = looseValue(ctx, 'traceloop.entity.output', a['traceloop.entity.output']);
  return io.input === undefined && io.output === undefined ? undefined : io;
}
