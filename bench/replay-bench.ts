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
import { startFakeLlmServer } from '../test/support/fake-llm/fake-llm-server';
import type { BenchResult } from './bench-result';

const N = 30;
const LATENCY_MS = 100;
const CONCURRENCY = 3;

export async function benchReplay(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-replay-bench-'));
  const server = await startFakeLlmServer({ responder: () => ({ delayMs: LATENCY_MS }) });
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
      openai: { kind: 'openai', baseURL: server.openaiBaseUrl, apiKey: 'sk-bench', maxRetries: 0 },
    });
    const queue = await ReplayQueue.open(services, { concurrency: CONCURRENCY });
    // Warm-up (SDK client creation, module loading) outside the measurement.
    await queue.wait((await queue.enqueue(ids[0], { cache: false })).id);
    server.reset();

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
      { name: 'max requests in flight at the server', value: server.maxConcurrent, unit: 'requests', goal: `<= ${CONCURRENCY}` },
      // Same process as the fake server and the SDK, so this is an upper bound for the engine alone.
      { name: 'CPU per replayed span (engine + SDK + fake server)', value: (cpu.user + cpu.system) / 1000 / N, unit: 'ms' },
    ];
  } finally {
    await store.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
