// The parameters step of Replay Trace edits model parameters as one line of text,
// `temperature=0.2, max_tokens=512, stop=["\n"]`: values are JSON when they parse as JSON, else
// plain strings; `key=null` removes a recorded parameter. Only what the user changed is sent.
import { UserError } from '../../core/util/user-error';
import { parametersText } from '../../core/compare/format-values';
import { parameterName } from '../../core/compare/llm-span-diff';
import type { ModelParameters } from '../../core/model/trace';
import { InvalidOverrideError, validateParameterOverrides } from '../../core/replay/replay-parameters';

export class ParameterTextError extends UserError {
  readonly code = 'PARAMETER_TEXT_INVALID';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'ParameterTextError';
  }
}

/** The recorded parameters in provider spelling, typed ones first, then the extras. */
export function recordedParameters(p: ModelParameters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    if (key === 'extra' || value === undefined) continue;
    out[parameterName(key)] = value;
  }
  for (const [key, value] of Object.entries(p.extra ?? {})) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/** The text this file parses back: core's parametersText, as the reports and tree rows write it. */
export function formatParameters(params: Record<string, unknown>): string {
  return parametersText(params);
}

/** Splits on commas outside quotes and brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"') quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Parses `k=v, k2=v2`; throws ParameterTextError (one sentence) on a malformed entry or a value
 *  of the wrong type for a known parameter. */
export function parseParameters(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of splitTopLevel(text)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][\w.-]*$/.test(key))
      throw new ParameterTextError(`"${part}" is not key=value (e.g. temperature=0.2).`);
    const raw = part.slice(eq + 1).trim();
    if (raw === '') throw new ParameterTextError(`${key} has no value; write ${key}=null to remove it.`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[key] = value;
  }
  try {
    validateParameterOverrides(out);
  } catch (err) {
    if (err instanceof InvalidOverrideError) throw new ParameterTextError(err.message);
    throw err;
  }
  return out;
}

/** What to send as overrides: keys whose value differs from the recorded one, and null for a
 *  recorded key the user deleted. Undefined when nothing changed. */
export function changedParameters(
  recorded: Record<string, unknown>,
  edited: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(edited)) if (JSON.stringify(recorded[k]) !== JSON.stringify(v)) out[k] = v;
  for (const k of Object.keys(recorded)) if (!(k in edited)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}
