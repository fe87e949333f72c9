// index.json + index.log: a write appends what changed instead of rewriting every summary, a line
// cut short by a crash costs only itself, and a long log is folded into a fresh snapshot.
import { strict as assert } from 'node:assert';
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPACT_MIN } from '../../../src/core/store/index-file';
import { TraceStore } from '../../../src/core/store/trace-store';
import { llmTrace, makeTempDir, readIndexFiles, removeDir } from './store-fixtures';

function trace(n: number): ReturnType<typeof llmTrace> {
  return llmTrace({ id: `t${n}`, name: `trace ${n}`, startMs: 1_700_000_000_000 + n });
}

describe('TraceStore index log', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('a write appends its summary to index.log and leaves index.json as it was', async () => {
    const store = await TraceStore.open(dir);
    await store.putTraces([trace(1), trace(2)]);
    const before = await stat(path.join(dir, 'index.json'));
    await store.putTrace(trace(3));
    await store.deleteTrace('t1');
    const after = await stat(path.join(dir, 'index.json'));
    assert.equal(after.mtimeMs, before.mtimeMs, 'the snapshot is not rewritten');
    const log = (await readFile(path.join(dir, 'index.log'), 'utf-8')).split('\n').filter(Boolean);
    assert.deepEqual(
      log.slice(-2).map((l) => Object.keys(JSON.parse(l) as object)[0]),
      ['u', 'd'],
    );
    await store.close();
    const reopened = await TraceStore.open(dir);
    assert.deepEqual(
      (await reopened.listTraces()).map((s) => s.id),
      ['t3', 't2'],
    );
    assert.equal(reopened.openReport.index, 'loaded');
    await reopened.close();
  });

  it('skips a log line cut short by a crash and keeps the lines before and after it', async () => {
    const store = await TraceStore.open(dir);
    await store.putTrace(trace(1));
    await store.close();
    await appendFile(path.join(dir, 'index.log'), '\n{"u":{"id":"t9","name":"cut sh');
    const again = await TraceStore.open(dir);
    await again.putTrace(trace(2));
    await again.close();
    const reopened = await TraceStore.open(dir);
    assert.deepEqual((await reopened.listTraces()).map((s) => s.id).sort(), ['t1', 't2']);
    await reopened.close();
  });

  it(`folds a log of ${COMPACT_MIN} entries into a fresh snapshot`, async () => {
    const store = await TraceStore.open(dir);
    for (let n = 1; n <= COMPACT_MIN + 1; n++) await store.putTrace(trace(n));
    const log = (await readFile(path.join(dir, 'index.log'), 'utf-8')).split('\n').filter(Boolean);
    assert.ok(log.length < COMPACT_MIN, `log of ${log.length} lines after compaction`);
    const snapshot = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf-8')) as { traces: unknown[] };
    assert.ok(snapshot.traces.length >= COMPACT_MIN);
    assert.equal((await readIndexFiles(dir)).size, COMPACT_MIN + 1);
    await store.close();
  });
});
