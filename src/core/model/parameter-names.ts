// Model parameters in the spelling users write and providers document (max_tokens, not maxTokens):
// the --param and wizard keys, the comparison's parameter rows, and the request parameters written
// back to a platform.
import type { ModelParameters } from './trace';

const PARAMETER_SPELLING: Record<string, string> = {
  maxTokens: 'max_tokens',
  topP: 'top_p',
  topK: 'top_k',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  reasoningEffort: 'reasoning_effort',
  toolChoice: 'tool_choice',
  responseFormat: 'response_format',
};

export function parameterName(key: string): string {
  return PARAMETER_SPELLING[key] ?? key;
}

/** The set parameters as one snake_case object, extras merged in (a typed value wins over an extra
 *  of the same name); empty when none is set. */
export function snakeCaseParameters(p: ModelParameters): Record<string, unknown> {
  const { extra, ...typed } = p;
  const out: Record<string, unknown> = { ...(extra ?? {}) };
  for (const [k, v] of Object.entries(typed)) if (v !== undefined) out[parameterName(k)] = v;
  return out;
}
