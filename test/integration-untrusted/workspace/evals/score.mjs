// A javascript evaluator of the untrusted workspace: it must never be loaded there. Loading it
// leaves js-evaluator-ran.marker in the workspace folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

writeFileSync(join(import.meta.dirname, '..', 'js-evaluator-ran.marker'), 'loaded\n');

export function score() {
  return 1;
}
