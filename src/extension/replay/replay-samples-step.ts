// The "Samples" pick of the "Replay Trace" summary (issue 18, the CLI's --repeat N): opened from the
// summary's Samples row, Back returns to the summary. N replays of each trace with the changes and,
// when N > 1, N without them (A/A: how much the recorded model disagrees with itself), which the batch
// panel turns into a verdict. Rows for 1, 3, 5 and 10, a typed number (Enter on it), or "Other number…".
// The default is the setting traceReplay.replay.repeat (replay-repeat-setting.ts).
import type * as vscode from 'vscode';
import type { SampleCounts } from '../../core/replay/replay-samples';
import { BACK, type QuickInputs, type StepResult } from '../common/multi-step-input';
import { countsOf, MAX_SAMPLES, sampleCountProblem, SAMPLES_DETAIL, samplesText } from './replay-sample-texts';

export interface SamplesItem extends vscode.QuickPickItem {
  /** The samples with the changes this row picks. */
  repeat?: number;
  /** "Other number…": a box to type it in. */
  custom?: boolean;
  /** Typed text that is no count: the detail says why, the row cannot be picked. */
  problem?: string;
}

const CHOICES = [1, 3, 5, 10];

function choiceItem(n: number, traces: number): SamplesItem {
  if (n === 1) return { label: '1 (a single replay)', description: 'no A/A samples, so no verdict', repeat: 1 };
  return { label: String(n), description: samplesText(countsOf(n), traces), detail: SAMPLES_DETAIL, repeat: n };
}

/** The pick's rows: 1, 3, 5, 10 and the current count when it is another, then "Other number…". */
export function samplesItems(current: number, traces = 1): SamplesItem[] {
  const counts = [...new Set([...CHOICES, current])].sort((a, b) => a - b);
  return [
    ...counts.map((n) => choiceItem(n, traces)),
    { label: '$(edit) Other number…', description: `type 1 to ${MAX_SAMPLES}`, custom: true },
  ];
}

/** The row for a typed count (Enter picks it); an inert one saying why for anything else; none when
 *  a row already has that count or nothing is typed. */
export function typedSamplesItem(value: string, items: SamplesItem[], traces = 1): SamplesItem | undefined {
  const text = value.trim();
  if (text === '' || items.some((i) => i.repeat !== undefined && String(i.repeat) === text)) return undefined;
  const problem = sampleCountProblem(text);
  if (problem !== undefined)
    return { label: text, description: '$(error) not a number of samples', detail: problem, problem, alwaysShow: true };
  return { ...choiceItem(Number(text), traces), alwaysShow: true };
}

/** The pick; resolves with the counts, BACK (to the summary) or undefined (cancelled). */
export async function askSamples(
  inputs: QuickInputs,
  title: string,
  current: SampleCounts,
  traces = 1,
): Promise<StepResult<SampleCounts>> {
  for (;;) {
    const items = samplesItems(current.repeat, traces);
    const picked = await inputs.pickOne<SamplesItem>({
      title: `${title}: samples`,
      back: true,
      items,
      activeItem: items.find((i) => i.repeat === current.repeat),
      placeholder: 'Replays of each trace with your changes (as many run without them, A/A): pick, or type a number',
      typedItem: (v) => typedSamplesItem(v, items, traces),
      inert: (i) => i.problem !== undefined,
    });
    if (picked === undefined || picked === BACK) return picked;
    if (picked.repeat !== undefined) return countsOf(picked.repeat);
    const typed = await inputs.inputText({
      title: `${title}: samples`,
      back: true,
      value: String(current.repeat),
      prompt: `Replays of each trace with your changes, 1 to ${MAX_SAMPLES}; more than 1 adds as many A/A replays without them`,
      validate: sampleCountProblem,
    });
    if (typed === undefined) return undefined;
    if (typed !== BACK) return countsOf(Number(typed.trim()));
  }
}
