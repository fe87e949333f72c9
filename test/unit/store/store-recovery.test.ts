// Corruption and crash behaviour: one broken file never takes the store down, and no write leaves
// a half-written document or index behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TraceStore } from '../../../src/core/store/trace-store';
import { CorruptDocumentError, UnsupportedStoreVersionError } from '../../../src/core/store/store-errors';
import { llmTrace, makeTempDir, rawSpan, removeDir, spanId, traceId } from './store-fixtures';

describe('TraceStore recovery', () => {
  let dir: string;
  let store: TraceStore | undefined;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await removeDir(dir);
  });

  async function seed(count: number): Promise<TraceStore> {
    const s = await TraceStore.open(dir);
    await s.putTraces(
      Array.from({ length: count }, (_, i) =>
        llmTrace({ id: `t${i + 1}`, name: `trace ${i + 1}`, startMs: 1000 * (i + 1) }),
      ),
    );
    return s;
  }

  async function reopen(): Promise<TraceStore> {
    await store?.close();
    store = await TraceStore.open(dir);
    return store;
  }

  it('reports a corrupt trace document with a typed error and keeps the others readable', async () => {
    store = await seed(3);
    await writeFile(path.join(dir, 'traces', 't2.json'), '{"version":1,"trace":{"id":"t2","spa');
    await assert.rejects(store.getTrace('t2'), (err: unknown) => {
      assert.ok(err instanceof CorruptDocumentError);
      assert.equal(err.code, 'STORE_CORRUPT_DOCUMENT');
      assert.equal(err.id, 't2');
      assert.equal(err.path, path.join(dir, 'traces', 't2.json'));
      return true;
    });
    assert.equal((await store.getTrace('t1'))?.name, 'trace 1');
    assert.equal((await store.getTrace('t3'))?.name, 'trace 3');
    assert.equal(await store.countTraces(), 3);
  });

  it('treats a well-formed JSON document of the wrong shape as corrupt', async () => {
    store = await seed(1);
    await writeFile(path.join(dir, 'traces', 't1.json'), '{"hello":"world"}');
    await assert.rejects(store.getTrace('t1'), CorruptDocumentError);
  });

  it('moves a corrupt document aside (kept) when new spans arrive for that trace', async () => {
    store = await TraceStore.open(dir);
    const id = traceId(1);
    await store.ingest([rawSpan({ traceId: id, spanId: spanId(1) })]);
    await writeFile(path.join(dir, 'traces', `${id}.json`), 'garbage');
    const result = await store.ingest([rawSpan({ traceId: id, spanId: spanId(2) })]);
    assert.equal(result.acceptedSpans, 1);
    assert.equal((await store.getTrace(id))?.spans.length, 1);
    const names = await readdir(path.join(dir, 'traces'));
    const backup = names.find((n) => n.startsWith(`${id}.json.corrupt-`));
    assert.ok(backup, `backup kept among ${names.join(', ')}`);
    assert.equal(await readFile(path.join(dir, 'traces', backup), 'utf-8'), 'garbage');
  });

  it('rebuilds a corrupt index.json on open and keeps a copy of the broken file', async () => {
    store = await seed(3);
    await store.close();
    store = undefined;
    await writeFile(path.join(dir, 'index.json'), '{"version":1,"traces":[{"id":"t1"');
    store = await TraceStore.open(dir);
    assert.equal(store.openReport.index, 'rebuilt');
    assert.deepEqual(
      (await store.listTraces()).map((s) => s.id),
      ['t3', 't2', 't1'],
    );
    const backupPath = store.openReport.indexBackupPath;
    assert.ok(backupPath);
    assert.equal(await readFile(backupPath, 'utf-8'), '{"version":1,"traces":[{"id":"t1"');
    // The rewritten index is valid again.
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf-8')) as { traces: unknown[] };
    assert.equal(index.traces.length, 3);
  });

  it('rebuilds an index.json whose entries have the wrong shape', async () => {
    store = await seed(2);
    await store.close();
    store = undefined;
    await writeFile(path.join(dir, 'index.json'), JSON.stringify({ version: 1, traces: [{ id: 't1', name: 3 }] }));
    store = await TraceStore.open(dir);
    assert.equal(store.openReport.index, 'rebuilt');
    assert.equal(await store.countTraces(), 2);
  });

  it('refuses an index written by a newer format and leaves it untouched', async () => {
    await writeFile(path.join(dir, 'index.json'), JSON.stringify({ version: 99, traces: [] }));
    await assert.rejects(TraceStore.open(dir), UnsupportedStoreVersionError);
    assert.equal(await readFile(path.join(dir, 'index.json'), 'utf-8'), JSON.stringify({ version: 99, traces: [] }));
  });

  it('reconciles an index that missed documents (crash between document and index write)', async () => {
    store = await seed(2);
    await store.close();
    store = undefined;
    const staleIndex = await readFile(path.join(dir, 'index.json'), 'utf-8');
    store = await TraceStore.open(dir);
    await store.putTrace(llmTrace({ id: 't3', name: 'late', startMs: 9000 }));
    await store.deleteTrace('t1');
    await store.close();
    store = undefined;
    await writeFile(path.join(dir, 'index.json'), staleIndex);

    store = await TraceStore.open(dir);
    assert.equal(store.openReport.index, 'loaded');
    assert.deepEqual(
      (await store.listTraces()).map((s) => s.id),
      ['t3', 't2'],
    );
  });

  it('rebuildIndex re-reads every document and reports the unreadable ones', async () => {
    store = await seed(3);
    await writeFile(path.join(dir, 'traces', 't2.json'), '');
    const report = await store.rebuildIndex();
    assert.equal(report.traceCount, 2);
    assert.deepEqual(report.corruptDocuments, [{ id: 't2', path: path.join(dir, 'traces', 't2.json') }]);
    assert.deepEqual(
      (await store.listTraces()).map((s) => s.id),
      ['t3', 't1'],
    );
    // The broken file is still there for the user to inspect.
    assert.equal(await readFile(path.join(dir, 'traces', 't2.json'), 'utf-8'), '');
  });

  it('ignores a half-written temp file left by a crash and keeps the previous document', async () => {
    store = await seed(1);
    const target = path.join(dir, 'traces', 't1.json');
    const before = await readFile(target, 'utf-8');
    // What a crash in the middle of a write leaves: a partial temp file, target untouched (the
    // names of lowdb/steno temp files, which earlier versions wrote, and of write-file-atomic's).
    await writeFile(path.join(dir, 'traces', '.t1.json.tmp'), before.slice(0, before.length / 2));
    await writeFile(path.join(dir, 'traces', 't1.json.3166542947'), before.slice(0, before.length / 3));
    await writeFile(path.join(dir, '.index.json.tmp'), '{"version":1,"tra');
    store = await reopen();
    assert.equal(store.openReport.index, 'loaded');
    assert.equal(await store.countTraces(), 1);
    assert.equal((await store.getTrace('t1'))?.name, 'trace 1');
    // The next write lands whole, next to the leftovers (never read as documents).
    await store.putTrace(llmTrace({ id: 't1', name: 'rewritten', startMs: 1000 }));
    assert.equal((await store.getTrace('t1'))?.name, 'rewritten');
    assert.equal(await store.countTraces(), 1);
  });

  it('a write that dies half way leaves the old document whole', async () => {
    store = await seed(1);
    const target = path.join(dir, 'traces', 't1.json');
    const before = await readFile(target, 'utf-8');
    // write-file-atomic writes the temp file with fs.write (looked up at each call): this one dies
    // after writing half the bytes.
    const original = fs.write;
    const crash = Object.assign(new Error('simulated crash'), { code: 'EIO' });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fs.write's overloads, patched for one call shape
    (fs as any).write = (
      fd: number,
      data: string,
      position: number,
      encoding: BufferEncoding,
      cb: (err: Error | null) => void,
    ) => original(fd, String(data).slice(0, Math.floor(String(data).length / 2)), position, encoding, () => cb(crash));
    try {
      await assert.rejects(
        store.putTrace(llmTrace({ id: 't1', name: 'never lands', startMs: 1000, spans: 50 })),
        /simulated crash/,
      );
    } finally {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (fs as any).write = original;
    }
    assert.equal(await readFile(target, 'utf-8'), before);
    assert.deepEqual(await readdir(path.join(dir, 'traces')), ['t1.json'], 'the failed write removed its temp file');
    // The failed task did not wedge the writer.
    await store.putTrace(llmTrace({ id: 't2', name: 'after', startMs: 2000 }));
    assert.equal((await store.getTrace('t2'))?.name, 'after');
    assert.equal((await store.getTrace('t1'))?.name, 'trace 1');
  });

  it('leaves only whole documents and no temp files after a burst of writes', async () => {
    store = await TraceStore.open(dir);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store!.ingest([rawSpan({ traceId: traceId((i % 8) + 1), attributes: { i } })]),
      ),
    );
    const names = await readdir(path.join(dir, 'traces'));
    assert.equal(names.length, 8);
    for (const name of names) {
      assert.ok(!name.startsWith('.'), name);
      assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(dir, 'traces', name), 'utf-8')));
    }
    assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')));
  });

  it('creates missing subfolders when a store folder lost its traces folder', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.json'), JSON.stringify({ version: 1, traces: [] }));
    store = await TraceStore.open(dir);
    assert.ok((await readdir(dir)).includes('traces'));
  });
});
