// What "Open in Diff Editor" opens: the original and replayed sides of one LLM span's input or
// output. The output is the WHOLE answer as pretty JSON (text, tool calls with their name and
// parsed arguments, finish reason): a changed tool call is often the real change, and a text-only
// diff would hide it. The input is the request as sent: model, the parameters that differ, the
// tools offered, then the conversation. The sides come from the two recorded calls (exact); when
// a trace is gone they are rebuilt from the comparison's diff chunks, which may not keep
// whitespace exactly (the caller says so). No VS Code import (unit-tested in plain Node).
import { spanLabel } from '../../core/compare/format-values';
import { transcript } from '../../core/compare/llm-span-diff';
import type { ComparisonJson, SpanJson } from '../../core/compare/render-json';
import type { LlmInputDiff, LlmOutputDiff, TextDiff } from '../../core/compare/comparison-types';
import { parseStructured } from '../../core/compare/text-diff';
import { diffSides } from '../../core/report/diff-sides';
import type { SpanSide, TraceDetailSpan } from '../../protocol';

export interface DiffTexts {
  replayId: string;
  spanId: string;
  side: SpanSide;
  /** The traces and the replayed span, to read the two calls exactly. */
  originalTraceId: string;
  replayTraceId: string;
  replaySpanId?: string;
  /** The comparison's request diff (model, changed parameters), for an input. */
  inputDiff?: LlmInputDiff;
  /** How the span is named everywhere ("#2 gpt-4o-mini"). */
  spanName: string;
  /** The diff editor's tab title: "#2 gpt-4o-mini · output: original ↔ replay". */
  title: string;
  original: string;
  replay: string;
  /** 'json' for an output, 'plaintext' for an input (the diff editor highlights accordingly). */
  language: 'json' | 'plaintext';
}

type Side = 'original' | 'replay';

/** One side of a call as the trace panel carries it (what `exactDiffTexts` reads). */
export type RecordedCall = Pick<TraceDetailSpan, 'messages' | 'tools' | 'output'>;

/** Undefined when the span is unknown or has no such side to diff (not an LLM span, no output).
 *  The sides are rebuilt from the diff chunks; `exactDiffTexts` replaces them with the calls. */
export function diffArgsOf(c: ComparisonJson, spanId: string, side: SpanSide): DiffTexts | undefined {
  const row = c.spans.find((r) => (r.original?.spanId ?? r.replay?.spanId) === spanId);
  const llm = row?.llm;
  if (!row || !llm || (side === 'output' && !llm.output)) return undefined;
  const spanName = spanNameOf(row, spanId);
  const base = {
    replayId: c.replayId,
    spanId,
    side,
    originalTraceId: c.originalTraceId,
    replayTraceId: c.replayTraceId,
    spanName,
    title: `${spanName} · ${side}: original ↔ replay`,
  };
  const replaySpanId = row.replay?.spanId;
  const sides =
    side === 'output'
      ? {
          original: outputFromDiff(llm.output!, 'original'),
          replay: outputFromDiff(llm.output!, 'replay'),
          language: 'json' as const,
        }
      : {
          original: inputFromDiff(llm.input, 'original'),
          replay: inputFromDiff(llm.input, 'replay'),
          language: 'plaintext' as const,
        };
  return {
    ...base,
    ...(replaySpanId !== undefined ? { replaySpanId } : {}),
    ...(side === 'input' ? { inputDiff: llm.input } : {}),
    ...sides,
  };
}

/** The same diff with both sides written from the two recorded calls, so nothing is lost. */
export function exactDiffTexts(a: DiffTexts, original: RecordedCall, replay: RecordedCall): DiffTexts {
  if (a.side === 'output') return { ...a, original: outputFromCall(original), replay: outputFromCall(replay) };
  return {
    ...a,
    original: inputFromCall(a.inputDiff, original, 'original'),
    replay: inputFromCall(a.inputDiff, replay, 'replay'),
  };
}

function spanNameOf(row: SpanJson, spanId: string): string {
  const ref = row.original ?? row.replay;
  return ref ? spanLabel(ref) : spanId;
}

interface OutputDocument {
  text: unknown;
  toolCalls: { name: string; arguments: unknown }[];
  finishReason: string | null;
}

/** Keys in reading order (text, tool calls, finish reason); nested objects keep their own order. */
function outputDocument(doc: OutputDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** An answer (or tool arguments) that is JSON nests as JSON, so the two sides line up key by key. */
function structured(value: unknown): unknown {
  return typeof value === 'string' ? (parseStructured(value) ?? value) : value;
}

function outputFromCall(call: RecordedCall): string {
  const out = call.output;
  return outputDocument({
    text: structured(out?.text ?? ''),
    toolCalls: (out?.toolCalls ?? []).map((t) => ({ name: t.name, arguments: structured(t.arguments) })),
    finishReason: out?.finishReason ?? null,
  });
}

function sideOf(diff: TextDiff, side: Side): string {
  return diffSides(diff)[side];
}

/** A JSON diff side is canonical pretty JSON: parsed back so it nests in the output document. */
function valueOf(diff: TextDiff, side: Side): unknown {
  const text = sideOf(diff, side);
  if (diff.format !== 'json' || !text.trim()) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not expected (the comparison wrote it); the text still shows what changed
  }
}

function outputFromDiff(output: LlmOutputDiff, side: Side): string {
  const toolCalls: OutputDocument['toolCalls'] = [];
  for (const t of output.toolCalls) {
    const name = side === 'original' ? t.originalName : t.replayName;
    // A call made on one side only: the other side has no entry at that index.
    if (name === undefined) continue;
    toolCalls.push({ name, arguments: valueOf(t.arguments, side) });
  }
  const finishReason = (side === 'original' ? output.finishReason.original : output.finishReason.replay) ?? null;
  return outputDocument({ text: valueOf(output.text, side), toolCalls, finishReason });
}

/** "model: ..." and each parameter that differs (the comparison's exact values). */
function requestHead(input: LlmInputDiff | undefined, side: Side): string[] {
  if (!input) return [];
  const lines = [`model: ${(side === 'original' ? input.model.original : input.model.replay) ?? 'unknown'}`];
  for (const p of input.parameters) {
    const value = side === 'original' ? p.original : p.replay;
    lines.push(`${p.name}: ${value === undefined ? '(not set)' : JSON.stringify(value)}`);
  }
  return lines;
}

function inputFromDiff(input: LlmInputDiff, side: Side): string {
  const head = requestHead(input, side);
  if (input.toolsChanged)
    head.push('tools: changed between the two sides (their definitions are not part of this diff)');
  return `${head.join('\n')}\n\n${sideOf(input.messages, side)}`;
}

function inputFromCall(input: LlmInputDiff | undefined, call: RecordedCall, side: Side): string {
  const head = requestHead(input, side);
  if (call.tools?.length) head.push(`tools: ${call.tools.map((t) => t.name).join(', ')}`);
  return `${head.join('\n')}\n\n${transcript(call.messages ?? [])}`;
}
