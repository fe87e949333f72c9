// Deterministic text similarity over word tokens: bag-of-words F1 (as in SQuAD) and ROUGE-L (the
// F-measure of the longest common subsequence). Both give 1 for identical texts, 0 for disjoint ones.

export interface SimilarityScore {
  f1: number;
  precision: number;
  recall: number;
}

/** Letters and digits in any script; punctuation and whitespace separate tokens. */
export function tokenize(text: string, caseSensitive = false): string[] {
  const source = caseSensitive ? text : text.toLowerCase();
  return source.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function fMeasure(common: number, candidateLength: number, referenceLength: number): SimilarityScore {
  if (candidateLength === 0 && referenceLength === 0) return { f1: 1, precision: 1, recall: 1 };
  if (common === 0) return { f1: 0, precision: 0, recall: 0 };
  const precision = common / candidateLength;
  const recall = common / referenceLength;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall };
}

export function tokenF1(candidate: string[], reference: string[]): SimilarityScore {
  const counts = new Map<string, number>();
  for (const t of reference) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of candidate) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      common++;
      counts.set(t, left - 1);
    }
  }
  return fMeasure(common, candidate.length, reference.length);
}

/** Length of the longest common subsequence, in O(n*m) time and O(m) memory. */
export function lcsLength(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let curr = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      curr[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], curr[j - 1]);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length];
}

export function rougeL(candidate: string[], reference: string[]): SimilarityScore {
  return fMeasure(lcsLength(candidate, reference), candidate.length, reference.length);
}
