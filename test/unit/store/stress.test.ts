// Three processes on one store at once, each with its own OTLP receiver, an import and replays
// (what a user has with the extension's receiver running and the CLI in a terminal, times three):
// every write succeeds, and afterwards every trace, every job and its replayed trace is in the
// store and in its index.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { openReplayJobs, listReplayJobs } from '../../../src/core/replay/replay-history';
import { TraceStore } from '../../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { makeTempDir, readIndexFiles, removeDir } from './store-fixtures';
import { SHARED_TRACE_ID } from './stress-worker';

const run = promisify(execFile);
const WORKER = path.join(__dirname, 'stress-worker.ts');
const FIXTURES = path.resolve(__dirname, '../../fixtures/otlp');
const FILES = ['traceloop-openai-single.json', 'traceloop-openai-chain.json', 'openinference-openai-agent.json'].map(
  (f) => path.join(FIXTURES, f),
);

interface WorkerReport {
  ids: string[];
  statuses: number[];
  importFailures: unknown[];
  jobs: { id: string; status: string; error?: string; replayTraceId?: string }[];
}

describe('three processes on one store (receive + import + replay)', function () {
  this.timeout(180_000);
  let dir: string;
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer();
  });
  after(() => server.close());
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('loses no trace, fails no write and leaves every job consistent', async () => {
    const TRACES = 25;
    const REPLAYS = 4;
    const outputs = await Promise.all(
      [0, 1, 2].map((n) =>
        run(
          process.execPath,
          ['--import', 'tsx', WORKER, dir, String(n), String(TRACES), String(REPLAYS), server.openaiBaseUrl, ...FILES],
          { cwd: path.resolve(__dirname, '../../..') },
        ),
      ),
    );
    const reports = outputs.map((o) => JSON.parse(o.stdout) as WorkerReport);
    for (const r of reports) {
      assert.deepEqual(
        r.statuses.filter((s) => s !== 200),
        [],
        'every OTLP request was answered 200 (no 503 for a failed write)',
      );
      assert.deepEqual(r.importFailures, [], 'every import succeeded');
      assert.deepEqual(
        r.jobs.map((j) => j.status),
        Array(REPLAYS).fill('COMPLETED'),
        JSON.stringify(r.jobs.map((j) => j.error)),
      );
    }

    // Read before any process opens the store again (opening reconciles the index with the folder).
    const indexed = await readIndexFiles(dir);
    const store = await TraceStore.open(dir);
    try {
      const listed = new Set((await store.listTraces()).map((s) => s.id));
      const own = reports.flatMap((r) => r.ids);
      const replayed = reports.flatMap((r) => r.jobs.map((j) => j.replayTraceId!));
      for (const id of [...own, ...replayed]) {
        assert.ok(listed.has(id), `trace ${id} listed`);
        assert.ok(indexed.has(id), `trace ${id} in the index files`);
        assert.ok(await store.getTrace(id), `trace ${id} readable`);
      }
      // 75 received + the shared one + 3 fixture traces imported by all three (merged, not tripled)
      // + 12 replays.
      assert.equal(listed.size, 3 * TRACES + 1 + FILES.length + 3 * REPLAYS);
      const template = await store.getTrace(own[0]);
      const shared = await store.getTrace(SHARED_TRACE_ID);
      assert.equal(
        shared?.spans.length,
        3 * TRACES * template!.spans.length,
        "every process's spans of the shared trace were merged",
      );
      assert.equal(indexed.get(SHARED_TRACE_ID)?.spanCount, shared?.spans.length, 'and its index entry counts them');
      assert.equal(indexed.size, listed.size, 'the index files and the listing agree');
      const jobs = await listReplayJobs(await openReplayJobs(store));
      assert.equal(jobs.length, 3 * REPLAYS);
      assert.ok(jobs.every((j) => j.status === 'COMPLETED' && j.replayTraceId && listed.has(j.replayTraceId)));
      // Reopening from disk alone (no process memory) finds the same.
      assert.equal(store.openReport.index, 'loaded');
      assert.deepEqual(store.openReport.corruptDocuments, []);
    } finally {
      await store.close();
    }
  });
});
