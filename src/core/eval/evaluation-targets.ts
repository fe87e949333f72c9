// What gets scored in a trace: each LLM span's output and the trace's final output, each paired with
// its reference (the original's output at the same place). Scoring the original against itself is
// what makes reference evaluators give the original 1 and the replay a comparable number.
import type { Span, Trace } from '../model/trace';
import type { ScoreErrorCode, ScoreTarget } from './evaluation-types';
import type { EvaluatedOutput, EvaluatorInput } from './evaluator-types';

export interface EvaluationTarget {
  target: ScoreTarget;
  input: EvaluatorInput;
  /** The replay produced no output here (failed / cancelled span): every score is null with this. */
  unavailable?: { code: ScoreErrorCode; message: string };
}

/** The text evaluators compare: the answer's text, or its tool calls when it has no text (an agent
 *  step), so a text metric still sees a changed tool request. */
export function outputText(output: EvaluatedOutput): string {
  if (output.text.trim() !== '' || output.toolCalls.length === 0) return output.text;
  return output.toolCalls
    .map((c) => `${c.name}(${typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments)})`)
    .join('\n');
}

function isLlmSpan(span: Span): boolean {
  return span.kind === 'llm' && span.llm !== undefined;
}

function spanOutput(span: Span): EvaluatedOutput {
  const out = span.llm?.output;
  return { text: out?.text ?? '', toolCalls: out?.toolCalls ?? [] };
}

function ioOutput(value: unknown): EvaluatedOutput {
  return { text: typeof value === 'string' ? value : JSON.stringify(value), toolCalls: [] };
}

function unavailableFor(span: Span): EvaluationTarget['unavailable'] {
  const status = span.replay?.status;
  if (status === 'failed') return { code: 'SPAN_FAILED', message: 'span failed in the replay' };
  if (status === 'cancelled') return { code: 'SPAN_CANCELLED', message: 'span was cancelled in the replay' };
  return undefined;
}

/** The last LLM span to finish (array order breaks ties), else the root span when it recorded an output. */
function finalSource(trace: Trace): { span: Span; fromIo: boolean } | undefined {
  let last: Span | undefined;
  for (const span of trace.spans) {
    if (isLlmSpan(span) && (last === undefined || span.endTime >= last.endTime)) last = span;
  }
  if (last !== undefined) return { span: last, fromIo: false };
  const root = trace.spans.find((s) => s.parentId === undefined);
  return root?.io?.output !== undefined ? { span: root, fromIo: true } : undefined;
}

function sourceOutput(source: { span: Span; fromIo: boolean }): EvaluatedOutput {
  return source.fromIo ? ioOutput(source.span.io?.output) : spanOutput(source.span);
}

/** The span of `reference` that `span` stands for: the one it replays, or itself. */
function referenceSpan(span: Span, reference: Trace, byId: Map<string, Span>): Span | undefined {
  if (span.traceId === reference.id && byId.get(span.id) === span) return span;
  if (span.replay !== undefined) return byId.get(span.replay.originalSpanId);
  return byId.get(span.id);
}

/**
 * The targets of `trace`, referenced against `reference` (the original trace; pass the original
 * itself to score the original). Spans come in trace order, the final output last.
 */
export function evaluationTargets(trace: Trace, reference: Trace): EvaluationTarget[] {
  const byId = new Map(reference.spans.map((s) => [s.id, s]));
  const targets: EvaluationTarget[] = [];
  for (const span of trace.spans) {
    if (!isLlmSpan(span)) continue;
    const ref = referenceSpan(span, reference, byId);
    const input: EvaluatorInput = {
      target: { traceId: trace.id, spanId: span.id },
      scope: 'span',
      output: spanOutput(span),
      messages: span.llm?.messages ?? [],
      span,
      trace,
    };
    if (ref !== undefined && isLlmSpan(ref)) input.reference = { output: spanOutput(ref), span: ref };
    const target: EvaluationTarget = { target: input.target, input };
    const unavailable = unavailableFor(span);
    if (unavailable) target.unavailable = unavailable;
    targets.push(target);
  }
  const source = finalSource(trace);
  if (source !== undefined) {
    const refSource = trace === reference ? source : finalSource(reference);
    const input: EvaluatorInput = {
      target: { traceId: trace.id },
      scope: 'final',
      output: sourceOutput(source),
      messages: source.fromIo ? [] : (source.span.llm?.messages ?? []),
      span: source.span,
      trace,
    };
    if (refSource !== undefined)
      input.reference = { output: sourceOutput(refSource), span: refSource.span, trace: reference };
    const target: EvaluationTarget = { target: input.target, input };
    const unavailable = source.fromIo ? undefined : unavailableFor(source.span);
    if (unavailable) target.unavailable = unavailable;
    targets.push(target);
  }
  return targets;
}
