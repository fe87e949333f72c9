// Parameter overrides (`--param k=v`, a settings form) merged over the recorded parameters. Wire
// names (max_tokens, top_p, stop_sequences, ...) and our camelCase names are both accepted; a null
// value removes the recorded parameter; unknown names go to `extra` and are sent as they are.
import { UserError } from '../util/user-error';
import type { ModelParameters } from '../model/trace';

const TYPED: Record<string, keyof Omit<ModelParameters, 'extra'>> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  max_output_tokens: 'maxTokens',
  maxTokens: 'maxTokens',
  top_p: 'topP',
  topP: 'topP',
  top_k: 'topK',
  topK: 'topK',
  stop: 'stop',
  stop_sequences: 'stop',
  seed: 'seed',
  frequency_penalty: 'frequencyPenalty',
  frequencyPenalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  presencePenalty: 'presencePenalty',
  n: 'n',
  reasoning_effort: 'reasoningEffort',
  reasoningEffort: 'reasoningEffort',
};

/** A typed parameter given a value of the wrong type. */
export class ParameterOverrideError extends UserError {
  readonly code = 'PARAMETER_OVERRIDE_INVALID';
  override readonly kind = 'usage';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParameterOverrideError';
  }
}

function typedValue(name: string, field: keyof ModelParameters, value: unknown): unknown {
  if (field === 'stop') {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    throw new ParameterOverrideError(name, `${name} must be a string or a list of strings.`);
  }
  if (field === 'reasoningEffort') {
    if (typeof value === 'string') return value;
    throw new ParameterOverrideError(name, `${name} must be a string (e.g. low, medium, high).`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new ParameterOverrideError(name, `${name} must be a number, got ${JSON.stringify(value)}.`);
}

export function mergeParameterOverrides(
  recorded: ModelParameters,
  overrides: Record<string, unknown>,
): ModelParameters {
  const out: ModelParameters = { ...recorded };
  let extra = recorded.extra !== undefined ? { ...recorded.extra } : undefined;
  for (const [name, value] of Object.entries(overrides)) {
    const field = TYPED[name];
    if (field !== undefined) {
      if (value === null) delete out[field];
      else (out as Record<string, unknown>)[field] = typedValue(name, field, value);
      continue;
    }
    extra ??= {};
    if (value === null) delete extra[name];
    else extra[name] = value;
  }
  if (extra !== undefined && Object.keys(extra).length > 0) out.extra = extra;
  else delete out.extra;
  return out;
}
