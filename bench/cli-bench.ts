// CLI start-up: `trace-replay --help`, `traces` on a 10k-trace store and the first request of a
// one-trace replay, each as a ratio to bare `node -e 0` measured in the same run (medians of 5).
// Runs dist/cli.js as a user does (after `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './bench-result';
import { buildTrace } from './store-bench';
import { TraceStore } from '../src/core/store/trace-store';
import { startFakeLlmServer } from '../test/support/fake-llm/fake-llm-server';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeRun(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return performance.now() - start;
}

export async function benchCli(): Promise<BenchResult[]> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-replay-cli-bench-'));
  const server = await startFakeLlmServer();
  try {
    const store = path.join(dir, 'store');
    const s = await TraceStore.open(store);
    const base = Date.UTC(2025, 0, 1);
    for (let from = 1; from <= 10_000; from += 1_000) {
      await s.putTraces(Array.from({ length: 1_000 }, (_, i) => buildTrace(from + i, 3, base + (from + i) * 60_000)));
    }
    const oneTrace = buildTrace(20_001, 2, base);
    await s.close();
    const single = path.join(dir, 'single');
    const one = await TraceStore.open(single);
    await one.putTrace(oneTrace);
    await one.close();

    const node: number[] = [];
    const help: number[] = [];
    const traces: number[] = [];
    const firstRequest: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(timeRun(['-e', '0']));
      help.push(timeRun([CLI, '--help']));
      traces.push(timeRun([CLI, 'traces', '--store', store, '--limit', '20']));
      // From spawn to the fake server receiving the replay's first request.
      server.reset();
      const arrived = new Promise<number>((resolve) =>
        server.setResponder(() => (resolve(performance.now()), undefined)),
      );
      const start = performance.now();
      const child = spawn(process.execPath, [CLI, 'replay', oneTrace.id, '--store', single, '--no-cache', '--json'], {
        cwd: ROOT,
        stdio: 'ignore',
        env: { ...process.env, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: server.openaiBaseUrl },
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      firstRequest.push((await arrived) - start);
      await exited;
    }
    const base0 = median(node);
    const ratio = (values: number[]): number => median(values) / base0;
    return [
      { name: 'node -e 0 (median of 5)', value: base0, unit: 'ms' },
      { name: 'trace-replay --help / node -e 0', value: ratio(help), unit: 'x', goal: '<= 2x' },
      { name: 'trace-replay traces on a 10k store / node -e 0', value: ratio(traces), unit: 'x', goal: '<= 3x' },
      {
        name: 'one-trace replay, spawn to first request / node -e 0',
        value: ratio(firstRequest),
        unit: 'x',
        goal: '<= 4x',
      },
    ];
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
