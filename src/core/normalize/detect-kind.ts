// Which kind of work a span records, from the most explicit signal a convention gives.
import type { Attributes, SpanKind } from '../model/trace';
import { langfuseKind, langfuseType } from './langfuse-attributes';
import { traceloopKind } from './traceloop';
import { vercelKind } from './vercel-ai';

const OPENINFERENCE_KINDS: Record<string, SpanKind> = {
  LLM: 'llm',
  TOOL: 'tool',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  EMBEDDING: 'embedding',
  AGENT: 'agent',
  CHAIN: 'chain',
  GUARDRAIL: 'other',
  EVALUATOR: 'other',
  PROMPT: 'other',
  UNKNOWN: 'other',
};

const OPERATION_KINDS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  completion: 'llm',
  embeddings: 'embedding',
  embedding: 'embedding',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  retrieval: 'retrieval',
  rerank: 'retrieval',
  invoke_workflow: 'chain',
};

const REQUEST_TYPE_KINDS: Record<string, SpanKind> = {
  chat: 'llm',
  completion: 'llm',
  rerank: 'retrieval',
  embedding: 'embedding',
};

export function detectKind(a: Attributes, vercelOp: string | undefined): SpanKind {
  const oi = a['openinference.span.kind'];
  if (typeof oi === 'string') return OPENINFERENCE_KINDS[oi.toUpperCase()] ?? 'other';
  if (vercelOp) return vercelKind(vercelOp);
  const op = a['gen_ai.operation.name'];
  if (typeof op === 'string' && OPERATION_KINDS[op]) return OPERATION_KINDS[op];
  const lf = langfuseType(a);
  const lfKind = lf ? langfuseKind(lf) : undefined;
  if (lfKind) return lfKind;
  const tl = traceloopKind(a);
  if (tl) return tl;
  const rt = a['llm.request.type'];
  if (typeof rt === 'string' && REQUEST_TYPE_KINDS[rt]) return REQUEST_TYPE_KINDS[rt];
  if (typeof op === 'string') return 'other';
  if (looksLikeLegacyLlm(a)) return 'llm';
  return 'other';
}

function looksLikeLegacyLlm(a: Attributes): boolean {
  return (
    a['gen_ai.prompt.0.role'] !== undefined ||
    a['gen_ai.prompt.0.content'] !== undefined ||
    a['gen_ai.completion.0.content'] !== undefined ||
    a['gen_ai.usage.prompt_tokens'] !== undefined ||
    a['gen_ai.usage.input_tokens'] !== undefined ||
    (a['gen_ai.system'] !== undefined && a['gen_ai.request.model'] !== undefined)
  );
}
