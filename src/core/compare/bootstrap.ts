// Percentile bootstrap of a mean with a seeded PRNG, so a CI gate gives the same answer on the
// same data every run.

export interface ConfidenceInterval {
  low: number;
  high: number;
  /** e.g. 0.95 */
  level: number;
}

/** mulberry32: tiny, fast, good enough for resampling; deterministic for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Linear interpolation between order statistics (the "type 7" quantile of R and NumPy). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  seed?: number;
  resamples?: number;
  level?: number;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_RESAMPLES = 2000;

/** CI of the mean of `values`; null for an empty sample. One value gives a zero-width interval
 *  (nothing to resample) - callers should show n so a reader does not over-trust it. */
export function bootstrapMeanCi(values: readonly number[], options: BootstrapOptions = {}): ConfidenceInterval | null {
  const level = options.level ?? 0.95;
  const n = values.length;
  if (n === 0) return null;
  const resamples = Math.max(1, Math.floor(options.resamples ?? DEFAULT_RESAMPLES));
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[b] = sum / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { low: quantile(means, alpha), high: quantile(means, 1 - alpha), level };
}

/** Mean over groups of each group's mean (every trace weighs the same, whatever its sample count). */
export function groupedMean(groups: readonly (readonly number[])[]): number {
  return mean(groups.filter((g) => g.length > 0).map((g) => mean(g)));
}

/** CI of the mean of group means, by a two-level bootstrap: each resample draws the groups (traces)
 *  with replacement, then within each drawn group its values (samples) with replacement. Groups of
 *  one value each give exactly bootstrapMeanCi of the values (the same seed, the same interval as a
 *  batch without repeated samples). Null when there is no value. */
export function bootstrapGroupedMeanCi(
  groups: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): ConfidenceInterval | null {
  const kept = groups.filter((g) => g.length > 0);
  if (kept.every((g) => g.length === 1))
    return bootstrapMeanCi(
      kept.map((g) => g[0]),
      options,
    );
  const level = options.level ?? 0.95;
  const n = kept.length;
  const resamples = Math.max(1, Math.floor(options.resamples ?? DEFAULT_RESAMPLES));
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const group = kept[Math.floor(random() * n)];
      let inner = 0;
      for (let k = 0; k < group.length; k++) inner += group[Math.floor(random() * group.length)];
      sum += inner / group.length;
    }
    means[b] = sum / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { low: quantile(means, alpha), high: quantile(means, 1 - alpha), level };
}
