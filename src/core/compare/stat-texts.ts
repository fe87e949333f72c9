// The cells of a batch row, shared by the text, markdown and JUnit renderers: means and their delta
// written with one precision (formatChange), the CI in that precision, and the counts that fit the
// unit (wins / losses / ties; changed / same for token counts; differs / same against the original).
import type { PairedStat } from './aggregate-batch';
import { formatChange, formatValue, trendArrow } from './format-values';
import { NEUTRAL_UNITS } from './metric-delta';
import { VERDICT_LABELS } from './noise-floor';

export interface StatTexts {
  original: string;
  replay: string;
  /** "▼ -0.120", agreeing with the two means. */
  delta: string;
  ci: string;
  /** "3/1/0" (wins/losses/ties), or "4 changed, 0 same" for a neutral unit. */
  counts: string;
  /** "8", "8 (+2 unpaired)". */
  n: string;
}

const nText = (s: PairedStat): string => `${s.n}${s.unpaired ? ` (+${s.unpaired} unpaired)` : ''}`;

export function statTexts(s: PairedStat, countSeparator = '/'): StatTexts {
  const f = formatChange(s.meanOriginal, s.meanReplay, s.unit);
  const counts = NEUTRAL_UNITS.has(s.unit)
    ? `${s.changed ?? 0} changed, ${s.ties} same`
    : [s.wins, s.losses, s.ties].join(countSeparator);
  return {
    original: f.original,
    replay: f.replay,
    delta: `${trendArrow({ delta: f.shownDelta ?? s.meanDelta, unit: s.unit })} ${f.delta}`,
    ci: s.ci ? `[${f.signed(s.ci.low)}, ${f.signed(s.ci.high)}]` : '—',
    counts,
    n: nText(s),
  };
}

export interface VersusTexts {
  /** Mean of the replay's scores against the original ("0.812"). */
  mean: string;
  ci: string;
  /** "5/3": replays that differ from the original / that score the same as it. */
  counts: string;
  n: string;
}

/** A reference-based evaluator: its one meaningful number, the replay scored against the original. */
export function versusTexts(s: PairedStat, countSeparator = '/'): VersusTexts {
  const ci = s.replayCi ?? null;
  return {
    mean: formatValue(s.meanReplay, 'score'),
    ci: ci ? `[${formatValue(ci.low, 'score')}, ${formatValue(ci.high, 'score')}]` : '—',
    counts: [s.wins + s.losses, s.ties].join(countSeparator),
    n: nText(s),
  };
}

/** What noiseText reads of a noise floor (a PairedStat's, or its JSON in the webview). */
export interface NoiseBand {
  low: number;
  high: number;
}

/** The A/A noise band with repeated samples ("[-0.120, -0.080]" in the delta's precision; for a
 *  reference-based evaluator in its replay-vs-original scale, the original's mean plus the band), or
 *  "—" without A/A samples. */
export function noiseText(
  s: Pick<PairedStat, 'meanOriginal' | 'meanReplay' | 'unit'> & { noise?: NoiseBand | null },
  versus = false,
): string {
  if (!s.noise) return '—';
  if (versus) {
    const base = s.meanOriginal ?? 0;
    return `[${formatValue(base + s.noise.low, 'score')}, ${formatValue(base + s.noise.high, 'score')}]`;
  }
  const f = formatChange(s.meanOriginal, s.meanReplay, s.unit);
  return `[${f.signed(s.noise.low)}, ${f.signed(s.noise.high)}]`;
}

/** "worse", "not enough evidence"... */
export function verdictText(s: PairedStat): string {
  return VERDICT_LABELS[s.verdict];
}

/** True when the batch had A/A samples (then the tables show the noise band and the verdict). */
export function hasNoise(stats: readonly PairedStat[]): boolean {
  return stats.some((s) => s.noise);
}

/** "4 traces x 3 samples, + 3 A/A samples each (no overrides)". */
export function samplesText(samples: { repeat: number; baselineRepeat: number; traces: number }): string {
  const each = `${samples.traces} trace${samples.traces === 1 ? '' : 's'} x ${samples.repeat} sample${samples.repeat === 1 ? '' : 's'}`;
  return samples.baselineRepeat
    ? `${each}, + ${samples.baselineRepeat} A/A sample${samples.baselineRepeat === 1 ? '' : 's'} each (no overrides)`
    : each;
}
