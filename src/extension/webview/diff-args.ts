// What "Open in Diff Editor" opens: the original and replayed texts of one span's input or output,
// rebuilt from the comparison's diff chunks. No VS Code import (unit-tested in plain Node).
import type { ComparisonJson } from '../../core/compare/render-json';
import { diffSides } from '../../core/report/diff-sides';
import type { SpanSide } from '../../protocol';

export interface DiffTexts {
  replayId: string;
  spanId: string;
  side: SpanSide;
  /** Span name, for the editor title. */
  spanName: string;
  original: string;
  replay: string;
  /** 'json' when the comparison diffed JSON, else 'plaintext' (the diff editor highlights accordingly). */
  language: 'json' | 'plaintext';
}

/** Undefined when the span is unknown or has no such diff (not an LLM span, no output). */
export function diffArgsOf(c: ComparisonJson, spanId: string, side: SpanSide): DiffTexts | undefined {
  const row = c.spans.find(r => (r.original?.spanId ?? r.replay?.spanId) === spanId);
  const diff = side === 'input' ? row?.llm?.input.messages : row?.llm?.output?.text;
  if (!row || !diff) return undefined;
  const { original, replay } = diffSides(diff);
  return { replayId: c.replayId, spanId, side, spanName: row.original?.name ?? row.replay?.name ?? spanId, original, replay, language: diff.format === 'json' ? 'json' : 'plaintext' };
}
