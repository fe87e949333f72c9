// Parsers of option values: a bad value is one sentence naming the option and what it takes, exit 2
// (usage), never a stack trace or a silently ignored value.
import { CliError } from './cli-error';

/** A whole number from `min` to `max` (inclusive). */
export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return (value: string): number => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new CliError(`${flag} must be a whole number ${range}, got "${value}".`, 'usage');
    return n;
  };
}

/** A number greater than 0 (fractions allowed). */
export function positiveNumber(flag: string): (value: string) => number {
  return (value: string): number => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new CliError(`${flag} must be a number greater than 0, got "${value}".`, 'usage');
    return n;
  };
}
