// Parameter overrides merged over a span's recorded ModelParameters. Users write provider-style
// (max_tokens) or camelCase (maxTokens) keys; both land on the typed field. Anything without a typed
// field goes to `extra`, which the provider layer passes through (and warns about when it cannot).
import { UserError } from '../util/user-error';
import type { ModelParameters } from '../model/trace';
import { checkForkOverrides } from './replay-fork';
import type { ReplayOverrides } from './replay-types';

export class InvalidOverrideError extends UserError {
  readonly code = 'INVALID_OVERRIDE';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOverrideError';
  }
}

type TypedKey = Exclude<keyof ModelParameters, 'extra'>;
type Kind = 'number' | 'integer' | 'string' | 'stop';

const FIELDS: Record<TypedKey, Kind> = {
  temperature: 'number',
  maxTokens: 'integer',
  topP: 'number',
  topK: 'integer',
  stop: 'stop',
  seed: 'integer',
  frequencyPenalty: 'number',
  presencePenalty: 'number',
  n: 'integer',
  reasoningEffort: 'string',
};

const ALIASES: Record<string, TypedKey> = {
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  max_output_tokens: 'maxTokens',
  top_p: 'topP',
  top_k: 'topK',
  stop_sequences: 'stop',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  reasoning_effort: 'reasoningEffort',
};

function typedKey(key: string): TypedKey | undefined {
  if (key in FIELDS) return key as TypedKey;
  return ALIASES[key];
}

function checkValue(key: string, kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw new InvalidOverrideError(`Parameter ${key} must be a number, got ${JSON.stringify(value)}.`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw new InvalidOverrideError(`Parameter ${key} must be an integer, got ${JSON.stringify(value)}.`);
    case 'string':
      if (typeof value === 'string') return value;
      throw new InvalidOverrideError(`Parameter ${key} must be a string, got ${JSON.stringify(value)}.`);
    case 'stop':
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      throw new InvalidOverrideError(
        `Parameter ${key} must be a string or an array of strings, got ${JSON.stringify(value)}.`,
      );
  }
}

/** Throws InvalidOverrideError for a value of the wrong type, so a bad override fails before any call. */
export function validateParameterOverrides(overrides: Record<string, unknown> | undefined): void {
  if (!overrides) return;
  for (const [key, value] of Object.entries(overrides)) {
    const typed = typedKey(key);
    if (typed && value !== null) checkValue(key, FIELDS[typed], value);
  }
}

/** A new ModelParameters: recorded values, overridden key by key; null removes a recorded value. */
export function mergeParameters(
  recorded: ModelParameters,
  overrides: Record<string, unknown> | undefined,
): ModelParameters {
  const merged: ModelParameters = { ...recorded, ...(recorded.extra ? { extra: { ...recorded.extra } } : {}) };
  if (!overrides) return merged;
  for (const [key, value] of Object.entries(overrides)) {
    const typed = typedKey(key);
    if (typed) {
      if (value === null) delete merged[typed];
      else (merged as Record<string, unknown>)[typed] = checkValue(key, FIELDS[typed], value);
      // A recorded extra under the provider spelling would otherwise be sent alongside the override.
      if (merged.extra && key in merged.extra) delete merged.extra[key];
    } else if (value === null) {
      if (merged.extra) delete merged.extra[key];
    } else {
      merged.extra = { ...merged.extra, [key]: value };
    }
  }
  if (merged.extra && Object.keys(merged.extra).length === 0) delete merged.extra;
  return merged;
}

/** The response cache only serves deterministic-looking requests. */
export function isCacheable(parameters: ModelParameters): boolean {
  return parameters.temperature === 0 || parameters.seed !== undefined;
}

/** Checks a job's overrides before anything is queued (mode, parameters, fork and tool policy);
 *  throws InvalidOverrideError, ForkSpanError or ToolPolicyError. The fork span itself is checked
 *  against the trace by checkForkSpan (replay-fork.ts). */
export function checkReplayOverrides(overrides: ReplayOverrides, liveTools = false): void {
  if (overrides.mode !== undefined && overrides.mode !== 'independent' && overrides.mode !== 'chained') {
    throw new InvalidOverrideError(`Mode must be independent or chained, got ${JSON.stringify(overrides.mode)}.`);
  }
  validateParameterOverrides(overrides.parameters);
  checkForkOverrides(overrides, liveTools);
}
