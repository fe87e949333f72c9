// The model parameters the OpenAI APIs take (chat.completions; the responses builder drops the ones
// it has no field for, with a warning). Reasoning models take fewer: see openai-dialect.ts.
import type { ModelParameters } from '../../../model/trace';

export const OPENAI_PARAMETERS: ReadonlySet<keyof ModelParameters> = new Set<keyof ModelParameters>([
  'temperature',
  'maxTokens',
  'topP',
  'stop',
  'seed',
  'frequencyPenalty',
  'presencePenalty',
  'n',
  'reasoningEffort',
]);

/** OpenAI-compatible servers (vLLM, Ollama) take top_k as well. */
export const OPENAI_COMPATIBLE_PARAMETERS: ReadonlySet<keyof ModelParameters> = new Set<keyof ModelParameters>([
  ...OPENAI_PARAMETERS,
  'topK',
]);
