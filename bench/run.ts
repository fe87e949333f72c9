// `npm run bench`: speed goals are measured here, never asserted in tests. Each suite prints its
// figures; ratios compare figures measured in this one run on this machine.
import { benchActivation } from './activation-bench';
import type { BenchResult } from './bench-result';
import { benchCli } from './cli-bench';
import { benchIngest } from './ingest-bench';
import { benchQueue } from './queue-bench';
import { benchReplay } from './replay-bench';
import { benchStore } from './store-bench';
import { benchWebview } from './webview-bench';

const suites: [string, () => Promise<BenchResult[]>][] = [
  ['OTLP ingest', benchIngest],
  ['store', benchStore],
  ['replay', benchReplay],
  ['replay workers on Redis', benchQueue],
  ['webview', benchWebview],
  ['activation', benchActivation],
  ['cli start-up', benchCli],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, run] of suites) {
    if (only.length && !only.some((o) => name.toLowerCase().includes(o.toLowerCase()))) continue;
    console.log(`\n## ${name}`);
    for (const r of await run()) {
      const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
      console.log(`${r.name.padEnd(66)} ${value.padStart(10)} ${r.unit}${r.goal ? `   (goal ${r.goal})` : ''}`);
    }
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
