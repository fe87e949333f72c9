// Evaluator versions: the type's own version plus a hash of its options (and, for JavaScript
// evaluators, of the module's source), so two results are only compared when they were produced by
// the same scoring rules.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so the hash does not depend on the order options were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function evaluatorVersion(type: string, typeVersion: string, options: Record<string, unknown>, extra = ''): string {
  return `${type}@${typeVersion}+${shortHash(canonicalJson(options) + extra)}`;
}
