// One of the processes of stress.test.ts: on the shared store it runs an OTLP receiver and posts
// TRACES traces of its own to it, imports the shared fixture files (every worker imports the same
// traces: concurrent merges of one trace), and replays REPLAYS of its traces against the fake LLM
// server. Prints one JSON line: what it posted, what the receiver answered, its jobs.
//   node --import tsx stress-worker.ts STORE WORKER TRACES REPLAYS OPENAI_BASE_URL FIXTURE...
import { readFile } from 'node:fs/promises';
import { importOtlpFiles } from '../../../src/core/ingest/import-files';
import { startOtlpReceiver } from '../../../src/core/otlp/receiver';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import { TraceStore } from '../../../src/core/store/trace-store';

interface OtlpBody {
  resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string }[] }[] }[];
}

/** A trace every worker adds spans to (read-modify-write of one document from three processes). */
export const SHARED_TRACE_ID = 'ffffffff000000000000000000000000';

async function main(): Promise<void> {
  const [storeDir, workerArg, tracesArg, replaysArg, baseURL, ...fixtures] = process.argv.slice(2);
  const worker = Number(workerArg);
  const store = await TraceStore.open(storeDir);
  const receiver = await startOtlpReceiver({
    port: 0,
    onSpans: async (spans) => void (await store.ingest(spans)),
    onLog: () => undefined,
  });
  const template = (JSON.parse(await readFile(fixtures[0], 'utf-8')) as OtlpBody[])[0];
  const ids: string[] = [];
  const statuses: number[] = [];
  const posts: Promise<void>[] = [];
  for (let i = 0; i < Number(tracesArg); i++) {
    const id = `${(worker + 1).toString(16).padStart(8, '0')}${i.toString(16).padStart(24, '0')}`;
    ids.push(id);
    const body = structuredClone(template);
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) span.traceId = id;
    // The same spans again, renamed into the shared trace with span ids of this worker and post.
    const shared = structuredClone(template);
    for (const rs of shared.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          span.traceId = SHARED_TRACE_ID;
          span.spanId = `${(worker + 1).toString(16)}${i.toString(16).padStart(3, '0')}${span.spanId.slice(4)}`;
          if (span.parentSpanId)
            span.parentSpanId = `${(worker + 1).toString(16)}${i.toString(16).padStart(3, '0')}${span.parentSpanId.slice(4)}`;
        }
      }
    }
    for (const b of [body, shared]) {
      posts.push(
        fetch(receiver.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(b),
        }).then((r) => {
          statuses.push(r.status);
        }),
      );
    }
  }
  const imported = importOtlpFiles(store, fixtures);
  await Promise.all(posts);
  const report = await imported;
  const queue = await ReplayQueue.open(
    createReplayServices(store, {
      openai: { kind: 'openai', baseURL, apiKey: 'sk-stress', keySource: 'OPENAI_API_KEY', maxRetries: 2 },
    }),
  );
  const jobs = await Promise.all(
    ids.slice(0, Number(replaysArg)).map(async (id) => queue.wait((await queue.enqueue(id, { cache: false })).id)),
  );
  await queue.close();
  await receiver.close();
  await store.close();
  process.stdout.write(
    `${JSON.stringify({ ids, statuses, importFailures: report.files.filter((f) => !f.ok).map((f) => f.errors), jobs: jobs.map((j) => ({ id: j.id, status: j.status, error: j.error, replayTraceId: j.replayTraceId })) })}\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
