// Evaluator versions: the type's own version plus a hash of its options (and, for JavaScript
// evaluators, of the module's source), so two results are only compared when they were produced by
// the same scoring rules.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function evaluatorVersion(
  type: string,
  typeVersion: string,
  options: Record<string, unknown>,
  extra = '',
): string {
  return `${type}@${typeVersion}+${shortHash(canonicalJson(options) + extra)}`;
}
