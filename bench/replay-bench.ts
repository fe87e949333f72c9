// Replay queue throughput: N one-call traces replayed through the real provider layer (OpenAI SDK)
// against the loopback fake LLM server at a fixed latency, 3 jobs at a time. The ideal schedule is
// ceil(N/3) x latency; the ratio shows the engine's own overhead (store writes, SDK, scheduling).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeOtlpJson } from '../src/core/otlp/decode-otlp-json';
import { createReplayServices } from '../src/core/replay/default-replay-services';
import { ReplayQueue } from '../src/core/replay/replay-queue';
import { TraceStore } from '../src/core/store/trace-store';
import { spawn, type ChildProcess } from 'node:child_process';
import type { BenchResult } from './bench-result';

const N = 30;
const LATENCY_MS = 100;
const CONCURRENCY = 3;

export async function benchReplay(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-replay-bench-'));
  // The fake server runs in its own process: its CPU is not the engine's, as with a real provider.
  const server = await startServerProcess(LATENCY_MS);
  const store = await TraceStore.open(dir);
  try {
    const bodies = JSON.parse(readFileSync(path.join(__dirname, '../test/fixtures/otlp/traceloop-openai-single.json'), 'utf8')) as unknown[];
    const [sourceId] = (await store.ingest(bodies.flatMap(b => decodeOtlpJson(b).spans))).traceIds;
    const source = (await store.getTrace(sourceId))!;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const id = (i + 1).toString(16).padStart(32, 'a');
      await store.putTrace({ ...source, id, spans: source.spans.map(s => ({ ...s, traceId: id })) });
      ids.push(id);
    }
    const services = createReplayServices(store, {
      openai: { kind: 'openai', baseURL: `${server.url}/v1`, apiKey: 'sk-bench', maxRetries: 0 },
    });
    const queue = await ReplayQueue.open(services, { concurrency: CONCURRENCY });
    // Warm-up (SDK client creation, module loading) outside the measurement.
    await queue.wait((await queue.enqueue(ids[0], { cache: false })).id);

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const jobs = await Promise.all(ids.map(id => queue.enqueue(id, { cache: false })));
    const done = await Promise.all(jobs.map(j => queue.wait(j.id)));
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await queue.close();
    const failed = done.filter(j => j.status !== 'COMPLETED').length;
    if (failed) throw new Error(`${failed} bench replays did not complete: ${done.find(j => j.error)?.error}`);
    const ideal = Math.ceil(N / CONCURRENCY) * LATENCY_MS;
    return [
      { name: `replay ${N} one-call traces at ${LATENCY_MS} ms, ${CONCURRENCY} at once: wall`, value: wall, unit: 'ms' },
      { name: 'wall / ideal schedule (ceil(N/3) x latency)', value: wall / ideal, unit: 'x', goal: '<= 1.05' },
      // The OpenAI SDK runs in the engine's process, as it does in the CLI and the extension.
      { name: 'engine CPU per replayed span (engine + SDK, this process)', value: (cpu.user + cpu.system) / 1000 / N, unit: 'ms' },
    ];
  } finally {
    await store.close();
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function startServerProcess(delayMs: number): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../test/support/fake-llm/serve-fake-llm.ts'), String(delayMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', d => {
      out += String(d);
      const m = out.match(/READY (\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', code => reject(new Error(`fake LLM server process exited (${code})`)));
  });
  return { url, stop: () => child.stdin!.end() };
}
