// Two and more processes on one store folder (the extension's receiver and a CLI import or replay
// in a terminal): writes take turns under the folder lock and none is lost, in the documents or in
// index.json; a process that was open all along sees the others' traces when it lists.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOCK_NAME } from '../../../src/core/store/folder-lock';
import { StoreBusyError } from '../../../src/core/store/store-errors';
import { TraceStore } from '../../../src/core/store/trace-store';
import { makeTempDir, rawSpan, readIndexFiles, removeDir, spanId, traceId } from './store-fixtures';

const run = promisify(execFile);

const WRITER = path.join(__dirname, 'cross-process-writer.ts');

function writer(dir: string, n: number, count: number): Promise<{ stdout: string }> {
  return run(process.execPath, ['--import', 'tsx', WRITER, dir, String(n), String(count)], {
    cwd: path.resolve(__dirname, '../../..'),
  });
}

describe('TraceStore across processes', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('three processes ingesting at once lose no trace, no span and no index entry', async () => {
    const COUNT = 40;
    // This process keeps the store open the whole time, as the extension does.
    const mine = await TraceStore.open(dir);
    await mine.ingest([rawSpan({ traceId: traceId(1), spanId: spanId(1), name: 'before' })]);
    const results = await Promise.all([0, 1, 2].map((n) => writer(dir, n, COUNT)));
    for (const r of results) assert.equal(r.stdout.trim(), `done ${COUNT}`);

    // 3 x 40 own traces + the shared one + this process's first one.
    assert.equal((await readIndexFiles(dir)).size, 3 * COUNT + 2, 'the index files hold every trace');
    const listed = await mine.listTraces();
    assert.equal(listed.length, 3 * COUNT + 2, "the process open all along lists the others' traces");
    const shared = await mine.getTrace(traceId(0xfffff));
    assert.equal(shared?.spans.length, 3 * COUNT, "every process's spans were merged into the shared trace");

    // A write of this process after theirs keeps their index entries.
    await mine.ingest([rawSpan({ traceId: traceId(2), spanId: spanId(2), name: 'after' })]);
    assert.equal((await readIndexFiles(dir)).size, 3 * COUNT + 3);
    await mine.close();
  });

  it('tells a listener about traces another process wrote, once it looks', async () => {
    const mine = await TraceStore.open(dir);
    const seen: string[] = [];
    mine.onDidChange((e) => {
      if (e.kind === 'upsert') seen.push(...e.traceIds);
    });
    await writer(dir, 7, 2);
    await mine.listTraces();
    assert.deepEqual(seen.sort(), [traceId(800_000), traceId(800_001), traceId(0xfffff)].sort());
    await mine.close();
  });

  it('fails with StoreBusyError, naming the folder, when another process keeps the lock', async () => {
    const store = await TraceStore.open(dir, { lock: { waitMs: 100 } });
    // A live holder: a lock directory whose mtime is fresh.
    await mkdir(path.join(dir, LOCK_NAME));
    await assert.rejects(store.ingest([rawSpan({ traceId: traceId(3) })]), (err: unknown) => {
      assert.ok(err instanceof StoreBusyError);
      assert.match(err.message, /locked/);
      assert.ok(err.message.includes(dir));
      return true;
    });
    await store.close();
  });

  it('takes over a lock its holder abandoned (killed process: the lock is no longer refreshed)', async () => {
    const store = await TraceStore.open(dir, { lock: { waitMs: 100, staleMs: 2_000 } });
    const lock = path.join(dir, LOCK_NAME);
    await mkdir(lock);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await store.ingest([rawSpan({ traceId: traceId(4), spanId: spanId(4) })]);
    assert.equal((await store.listTraces()).length, 1);
    await store.close();
  });
});
