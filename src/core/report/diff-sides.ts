// The two texts behind a neutral diff: the original is what was equal or deleted, the replay what
// was equal or inserted. The diff editor and the "copy" actions work on these, not on the chunks.
import type { TextDiff } from '../compare/comparison-types';

export interface DiffSides {
  original: string;
  replay: string;
}

export function diffSides(diff: Pick<TextDiff, 'chunks'>): DiffSides {
  const original: string[] = [];
  const replay: string[] = [];
  for (const c of diff.chunks) {
    if (c.op !== 'insert') original.push(c.text);
    if (c.op !== 'delete') replay.push(c.text);
  }
  // Chunks keep their whitespace and line ends (JSON chunks are whole lines with their newline).
  return { original: original.join(''), replay: replay.join('') };
}
