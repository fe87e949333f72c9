// Store speed: opening and listing a 10,000-trace store, loading a 1,000-span trace; the cost of one
// small write (and of listing) in a 10k and a 100k-trace store, which must not grow with the store.
// `npx tsx bench/store-bench.ts` prints the figures; `npm run bench` runs it with the other suites.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './bench-result';
import type { RawSpan, Trace } from '../src/core/model/trace';
import { millisToNanos } from '../src/core/model/time';
import { normalizeSpan } from '../src/core/normalize/normalize-span';
import { assembleTrace } from '../src/core/normalize/assemble-trace';
import { TraceStore } from '../src/core/store/trace-store';

const TRACE_COUNT = 10_000;
const LARGE_TRACE_COUNT = 100_000;
const SPANS_PER_TRACE = 5;
const BIG_TRACE_SPANS = 1_000;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-haiku-4'];

function hex(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}

function raw(traceNo: number, spanNo: number, startMs: number): RawSpan {
  const isLlm = spanNo > 1;
  return {
    traceId: hex(traceNo, 32),
    spanId: hex(traceNo * 10_000 + spanNo, 16),
    parentSpanId: spanNo === 1 ? undefined : hex(traceNo * 10_000 + 1, 16),
    name: spanNo === 1 ? `agent run ${traceNo}` : `chat ${MODELS[traceNo % MODELS.length]}`,
    otelKind: spanNo === 1 ? 1 : 3,
    startTimeUnixNano: millisToNanos(startMs + spanNo),
    endTimeUnixNano: millisToNanos(startMs + spanNo + 500),
    attributes: isLlm
      ? {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': MODELS[traceNo % MODELS.length],
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 40,
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': `Question number ${traceNo}-${spanNo}: what is the refund policy for order ${traceNo}?`,
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.content': 'Refunds are accepted within 30 days of delivery.',
        }
      : { 'service.name': 'bench' },
    events: [],
    links: [],
    status: { code: 'ok' },
    resource: { 'service.name': 'bench-service' },
    scope: { name: 'bench' },
  };
}

export function buildTrace(traceNo: number, spans: number, startMs: number): Trace {
  const list = Array.from({ length: spans }, (_, i) => normalizeSpan(raw(traceNo, i + 1, startMs)));
  return assembleTrace(list);
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn))[0]);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function benchStore(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-store-bench-'));
  const results: BenchResult[] = [];
  try {
    // Build: whole traces in chunks, so each chunk is one write task (parallel document writes)
    // and one index write, instead of 10,000 index writes.
    let store = await TraceStore.open(dir);
    const base = Date.UTC(2025, 0, 1);
    const [buildMs] = await time(async () => {
      const chunk = 1_000;
      for (let from = 1; from <= TRACE_COUNT; from += chunk) {
        const traces: Trace[] = [];
        for (let n = from; n < from + chunk && n <= TRACE_COUNT; n++)
          traces.push(buildTrace(n, SPANS_PER_TRACE, base + n * 60_000));
        await store.putTraces(traces);
      }
    });
    results.push({
      name: `build ${TRACE_COUNT} traces x ${SPANS_PER_TRACE} spans (putTraces, 1,000 per call)`,
      value: buildMs,
      unit: 'ms',
    });

    const bigNo = TRACE_COUNT + 1;
    const big = buildTrace(bigNo, BIG_TRACE_SPANS, base);
    const [ingestBigMs] = await time(() =>
      store.ingest(Array.from({ length: BIG_TRACE_SPANS }, (_, i) => raw(bigNo + 1, i + 1, base))),
    );
    results.push({ name: `ingest one ${BIG_TRACE_SPANS}-span trace (one call)`, value: ingestBigMs, unit: 'ms' });
    await store.putTrace(big);
    await store.close();

    // Fresh open: a new engine reads index.json and reconciles it with the traces folder listing
    // (the OS file cache is warm, as it is when VS Code reopens a workspace).
    const [openMs, reopened] = await time(() => TraceStore.open(dir));
    store = reopened;
    results.push({ name: `open a ${TRACE_COUNT + 2}-trace store from disk`, value: openMs, unit: 'ms' });

    const [firstListMs, firstPage] = await time(() => store.listTraces({ limit: 100 }));
    if (firstPage.length !== 100) throw new Error(`expected 100 summaries, got ${firstPage.length}`);
    results.push({
      name: 'list 100 of 10k, first call after a fresh open',
      value: firstListMs,
      unit: 'ms',
      goal: '< 20 ms',
    });
    results.push({
      name: 'open + list 100 of 10k (cold start of the trace list)',
      value: openMs + firstListMs,
      unit: 'ms',
    });

    results.push({
      name: 'list 100 of 10k, warm (median of 50)',
      value: await median(50, () => store.listTraces({ offset: 5_000, limit: 100 })),
      unit: 'ms',
      goal: '< 20 ms',
    });
    results.push({
      // A text no trace has: the filter scans all 10k summaries, the worst case.
      name: 'list 100 of 10k, text filter matching none, warm (median of 50)',
      value: await median(50, () => store.listTraces({ limit: 100, filter: { text: 'no such trace' } })),
      unit: 'ms',
      goal: '< 20 ms',
    });
    results.push({
      name: 'count 10k with a model filter (median of 50)',
      value: await median(50, () => store.countTraces({ model: 'gpt-4o-mini' })),
      unit: 'ms',
    });

    const [getMs, loaded] = await time(() => store.getTrace(big.id));
    if (loaded?.spans.length !== BIG_TRACE_SPANS) throw new Error('the 1,000-span trace did not load whole');
    results.push({
      name: `getTrace of a ${BIG_TRACE_SPANS}-span trace from disk, first read`,
      value: getMs,
      unit: 'ms',
    });
    results.push({
      name: `getTrace of a ${BIG_TRACE_SPANS}-span trace from disk (median of 10)`,
      value: await median(10, () => store.getTrace(big.id)),
      unit: 'ms',
    });
    results.push({
      name: 'ingest 1 span into a 10k store (doc + index write)',
      value: await median(10, () => store.ingest([raw(1, 100 + Math.floor(Math.random() * 1e6), base)])),
      unit: 'ms',
      goal: '<= 5 ms',
    });
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  results.push(...(await benchLargeStore()));
  return results;
}

/** 100k one-span traces (the size of the store matters here, not of its traces). */
async function benchLargeStore(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-store-bench-100k-'));
  const results: BenchResult[] = [];
  try {
    const store = await TraceStore.open(dir);
    const base = Date.UTC(2025, 0, 1);
    const [buildMs] = await time(async () => {
      const chunk = 5_000;
      for (let from = 1; from <= LARGE_TRACE_COUNT; from += chunk) {
        const traces: Trace[] = [];
        for (let n = from; n < from + chunk && n <= LARGE_TRACE_COUNT; n++)
          traces.push(buildTrace(n, 1, base + n * 1_000));
        await store.putTraces(traces);
      }
    });
    results.push({
      name: `build ${LARGE_TRACE_COUNT} one-span traces (putTraces, 5,000 per call)`,
      value: buildMs,
      unit: 'ms',
    });
    results.push({
      name: 'ingest 1 span into a 100k store (doc + index write)',
      value: await median(10, () => store.ingest([raw(1, 100 + Math.floor(Math.random() * 1e6), base)])),
      unit: 'ms',
      goal: '<= 5 ms',
    });
    results.push({
      name: 'list 100 of 100k, warm (median of 50)',
      value: await median(50, () => store.listTraces({ offset: 50_000, limit: 100 })),
      unit: 'ms',
      goal: '< 20 ms',
    });
    await store.close();
    const [openMs] = await time(async () => (await TraceStore.open(dir)).close());
    results.push({ name: `open (and close) a ${LARGE_TRACE_COUNT}-trace store from disk`, value: openMs, unit: 'ms' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) {
  void benchStore()
    .then((results) => {
      for (const r of results) {
        const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
        console.log(`${r.name.padEnd(62)} ${value.padStart(10)} ${r.unit}${r.goal ? `   (goal ${r.goal})` : ''}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
