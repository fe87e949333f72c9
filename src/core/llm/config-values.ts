// Reading provider settings from environment variables: what counts as set, and the typed error for
// a value that is not the documented shape.
import { UserError } from '../util/user-error';

/** A provider setting from the environment that is not the documented shape. */
export class ProviderConfigError extends UserError {
  readonly code = 'PROVIDER_CONFIG_INVALID';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** The first of `names` that is set, with its name. */
export function firstEnv(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}
