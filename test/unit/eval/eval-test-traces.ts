// Traces for the evaluation tests: decoded from the captured OTLP fixtures (real instrumentation
// against the fake LLM server), and replayed copies built the way the replay engine builds them
// (new ids, replayOf, span.replay), with chosen outputs and failures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LlmOutput, Span, SpanReplayInfo, Trace } from '../../../src/core/model/trace';
import { assembleTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';

const FIXTURES = path.resolve(__dirname, '../../fixtures/otlp');

export function fixtureTrace(name: string): Trace {
  const bodies = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as unknown[];
  const raws = bodies.flatMap((b) => decodeOtlpJson(b).spans);
  return assembleTrace(raws.map(normalizeSpan));
}

export function llmSpans(trace: Trace): Span[] {
  return trace.spans.filter((s) => s.kind === 'llm' && s.llm !== undefined);
}

export interface ReplayEdits {
  /** New outputs of LLM spans, by original span index among the LLM spans. */
  outputs?: Record<number, Partial<LlmOutput>>;
  failed?: number[];
  cancelled?: number[];
}

const replayId = (id: string): string => `e${id.slice(1)}`;

/** A replayed copy of `original`: LLM spans are 'replayed' (or failed/cancelled, with no output),
 *  the others 'reused'. */
export function replayOf(original: Trace, edits: ReplayEdits = {}): Trace {
  const llm = llmSpans(original);
  const spans = original.spans.map((span) => {
    const copy = structuredClone(span);
    copy.id = replayId(span.id);
    copy.traceId = `r${original.id.slice(1)}`;
    if (span.parentId !== undefined) copy.parentId = replayId(span.parentId);
    const index = llm.indexOf(span);
    let status: SpanReplayInfo['status'] = index === -1 ? 'reused' : 'replayed';
    if (index !== -1 && copy.llm) {
      if (edits.failed?.includes(index)) status = 'failed';
      if (edits.cancelled?.includes(index)) status = 'cancelled';
      if (status !== 'replayed') copy.llm.output = { text: '', toolCalls: [] };
      else if (edits.outputs?.[index]) copy.llm.output = { ...copy.llm.output, ...edits.outputs[index] };
    }
    copy.replay = {
      originalSpanId: span.id,
      status,
      warnings: [],
      ...(status === 'failed' ? { error: 'HTTP 500' } : {}),
    };
    return copy;
  });
  return {
    ...structuredClone(original),
    id: `r${original.id.slice(1)}`,
    spans,
    replayOf: { originalTraceId: original.id, replayId: 'job-1' },
  };
}
