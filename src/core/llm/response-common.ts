// Shared by the response readers: what a reader returns, argument parsing, finish-reason vocabulary.
import type { LlmOutput, Usage } from '../model/trace';

/** What a reader gets out of one answer (the gateway adds timings). */
export interface ReadResult {
  output: LlmOutput;
  usage?: Usage;
  responseModel?: string;
  responseId?: string;
  /** Clock value (the `now` the reader was given) of the first content delta of a stream. */
  firstContentAt?: number;
  warnings: string[];
}

/** Monotonic milliseconds. */
export type Clock = () => number;

/** Tool-call arguments parsed when they are JSON, else the raw string (as LlmCall records them). */
export function parseToolArguments(raw: string): unknown {
  if (raw === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Finish reasons in one vocabulary (the OTel GenAI one): stop, length, tool_call, content_filter,
 * error; anything else is kept as the provider spelled it.
 */
const FINISH: Record<string, string> = {
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  completed: 'stop',
  length: 'length',
  max_tokens: 'length',
  max_output_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_calls: 'tool_call',
  function_call: 'tool_call',
  tool_use: 'tool_call',
  content_filter: 'content_filter',
  refusal: 'content_filter',
  failed: 'error',
};

export function normalizeFinishReason(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  return FINISH[raw] ?? raw;
}

/** Drops undefined counts so usage objects compare cleanly. */
export function compact(u: Usage): Usage {
  const out: Usage = { inputIncludesCache: u.inputIncludesCache };
  for (const [k, v] of Object.entries(u))
    if (v !== undefined && v !== null) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}
