import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TraceStore, type StoreChangeEvent } from '../../../src/core/store/trace-store';
import { StoreClosedError } from '../../../src/core/store/store-errors';
import { llmTrace, makeTempDir, rawSpan, readIndexFiles, removeDir, spanId, traceId } from './store-fixtures';

describe('TraceStore', () => {
  let dir: string;
  let store: TraceStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    store = await TraceStore.open(dir);
  });

  afterEach(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('creates the folder layout on open', async () => {
    const entries = await readdir(dir);
    assert.ok(entries.includes('traces'));
    assert.ok(entries.includes('index.json'));
    assert.equal(store.openReport.index, 'created');
  });

  it('keeps its folder out of version control with a .gitignore (the evaluator config stays versionable), never replacing one', async () => {
    const ignore = await readFile(path.join(dir, '.gitignore'), 'utf8');
    assert.deepEqual(
      ignore.split('\n').filter((l) => l && !l.startsWith('#')),
      ['*', '!.gitignore', '!evaluators.json'],
    );
    const own = await makeTempDir();
    try {
      await writeFile(path.join(own, '.gitignore'), 'mine\n');
      const other = await TraceStore.open(own);
      await other.close();
      assert.equal(await readFile(path.join(own, '.gitignore'), 'utf8'), 'mine\n');
    } finally {
      await removeDir(own);
    }
  });

  it('round-trips ingested spans through getTrace', async () => {
    const t = traceId(1);
    const root = rawSpan({ traceId: t, spanId: spanId(1), name: 'root', startMs: 1000, endMs: 2000 });
    const child = rawSpan({
      traceId: t,
      spanId: spanId(2),
      parentSpanId: spanId(1),
      name: 'child',
      startMs: 1100,
      endMs: 1500,
    });
    const result = await store.ingest([child, root]);
    assert.deepEqual(result, { traceIds: [t], acceptedSpans: 2, duplicateSpans: 0, rejectedSpans: 0 });

    const trace = await store.getTrace(t);
    assert.ok(trace);
    assert.equal(trace.id, t);
    assert.deepEqual(
      trace.spans.map((s) => s.id),
      [spanId(1), spanId(2)],
    );
    assert.equal(trace.spans[1].parentId, spanId(1));
    const [summary] = await store.listTraces();
    assert.equal(summary.id, t);
    assert.equal(summary.spanCount, 2);
  });

  it('groups spans of several traces in one ingest', async () => {
    const result = await store.ingest([
      rawSpan({ traceId: traceId(1) }),
      rawSpan({ traceId: traceId(2) }),
      rawSpan({ traceId: traceId(1) }),
    ]);
    assert.deepEqual([...result.traceIds].sort(), [traceId(1), traceId(2)]);
    assert.equal((await store.getTrace(traceId(1)))?.spans.length, 2);
    assert.equal((await store.getTrace(traceId(2)))?.spans.length, 1);
  });

  it('merges spans of one trace sent in several ingest calls and updates the summary', async () => {
    const t = traceId(7);
    await store.ingest([
      rawSpan({ traceId: t, spanId: spanId(2), parentSpanId: spanId(1), name: 'llm call', startMs: 1100, endMs: 1200 }),
    ]);
    assert.equal((await store.listTraces())[0].spanCount, 1);
    await store.ingest([rawSpan({ traceId: t, spanId: spanId(1), name: 'agent run', startMs: 1000, endMs: 3000 })]);

    const trace = await store.getTrace(t);
    assert.equal(trace?.spans.length, 2);
    // assembleTrace ran on all spans: the late root now names the trace.
    assert.equal(trace?.name, 'agent run');
    const [summary] = await store.listTraces();
    assert.equal(summary.spanCount, 2);
    assert.equal(summary.name, 'agent run');
    assert.equal(summary.durationMs, 2000);
    assert.equal(await store.countTraces(), 1);
  });

  it('stores the same span once and keeps the more complete copy', async () => {
    const t = traceId(3);
    const unfinished = rawSpan({ traceId: t, spanId: spanId(1), name: 'op', startMs: 1000, endMs: null });
    const finished = rawSpan({
      traceId: t,
      spanId: spanId(1),
      name: 'op',
      startMs: 1000,
      endMs: 1500,
      attributes: { a: 1 },
    });

    const first = await store.ingest([unfinished]);
    assert.equal(first.acceptedSpans, 1);
    const second = await store.ingest([finished]);
    assert.deepEqual([second.acceptedSpans, second.duplicateSpans], [0, 1]);
    let trace = await store.getTrace(t);
    assert.equal(trace?.spans.length, 1);
    assert.equal(trace?.spans[0].endTime, 1500);

    // A less complete re-send (retry of the old batch) does not replace it.
    const third = await store.ingest([unfinished]);
    assert.deepEqual([third.acceptedSpans, third.duplicateSpans], [0, 1]);
    trace = await store.getTrace(t);
    assert.equal(trace?.spans.length, 1);
    assert.deepEqual(trace?.spans[0].attributes, { a: 1 });
  });

  it('counts a span repeated inside one batch as a duplicate', async () => {
    const span = rawSpan({ traceId: traceId(4), spanId: spanId(9) });
    const result = await store.ingest([span, span]);
    assert.deepEqual([result.acceptedSpans, result.duplicateSpans], [1, 1]);
    assert.equal((await store.getTrace(traceId(4)))?.spans.length, 1);
  });

  it('rejects spans whose traceId cannot name a document and keeps the others', async () => {
    const result = await store.ingest([rawSpan({ traceId: '../evil' }), rawSpan({ traceId: traceId(5) })]);
    assert.equal(result.rejectedSpans, 1);
    assert.deepEqual(result.traceIds, [traceId(5)]);
    assert.equal(await store.countTraces(), 1);
  });

  it('loses nothing when many ingests run at once', async () => {
    const traces = 20;
    const batches = 50;
    await Promise.all(
      Array.from({ length: batches }, (_, b) =>
        store.ingest([
          // Every batch adds one span to every trace, so each trace is read-modified-written 50 times.
          ...Array.from({ length: traces }, (_, t) =>
            rawSpan({ traceId: traceId(t + 1), spanId: spanId(b * 1000 + t + 1), startMs: 1000 + b }),
          ),
        ]),
      ),
    );
    assert.equal(await store.countTraces(), traces);
    for (let t = 1; t <= traces; t++) {
      const trace = await store.getTrace(traceId(t));
      assert.equal(trace?.spans.length, batches, `trace ${t}`);
    }
    // The index on disk saw the last write too.
    const onDisk = [...(await readIndexFiles(dir)).values()];
    assert.equal(onDisk.length, traces);
    assert.ok(onDisk.every((s) => s.spanCount === batches));
  });

  it('interleaves ingest and putTrace without losing either', async () => {
    const ops: Promise<unknown>[] = [];
    for (let i = 1; i <= 30; i++) {
      ops.push(store.ingest([rawSpan({ traceId: traceId(i) })]));
      ops.push(store.putTrace(llmTrace({ id: `replay-${i}`, name: `replay ${i}`, startMs: i })));
    }
    await Promise.all(ops);
    assert.equal(await store.countTraces(), 60);
  });

  it('stores whole traces with putTrace, replacing an existing one', async () => {
    const trace = llmTrace({ id: 'imported-1', name: 'import', startMs: 5000, model: 'gpt-4o-mini', spans: 3 });
    trace.replayOf = { originalTraceId: traceId(1), replayId: 'r1' };
    await store.putTrace(trace);
    assert.deepEqual(await store.getTrace('imported-1'), JSON.parse(JSON.stringify(trace)));
    const summary = store.getSummary('imported-1');
    assert.equal(summary?.spanCount, 3);
    assert.deepEqual(summary?.models, ['gpt-4o-mini']);
    assert.deepEqual(summary?.replayOf, trace.replayOf);

    await store.putTrace(llmTrace({ id: 'imported-1', name: 'renamed', startMs: 5000 }));
    assert.equal((await store.getTrace('imported-1'))?.name, 'renamed');
    assert.equal(await store.countTraces(), 1);
  });

  it('keeps trace-level fields of a put trace when spans are merged into it later', async () => {
    const id = traceId(11);
    const trace = llmTrace({ id, name: 'replayed', startMs: 5000 });
    trace.replayOf = { originalTraceId: traceId(10), replayId: 'r1' };
    await store.putTrace(trace);
    await store.ingest([rawSpan({ traceId: id, startMs: 5001 })]);
    const merged = await store.getTrace(id);
    assert.equal(merged?.spans.length, 2);
    assert.deepEqual(merged?.replayOf, trace.replayOf);
  });

  describe('listing', () => {
    beforeEach(async () => {
      await store.putTraces([
        llmTrace({ id: 'a', name: 'Checkout agent', startMs: 1000, model: 'gpt-4o', serviceName: 'shop' }),
        llmTrace({ id: 'b', name: 'Support bot', startMs: 3000, model: 'claude-sonnet-4', serviceName: 'helpdesk' }),
        llmTrace({ id: 'c', name: 'summarize', startMs: 2000, model: 'gpt-4o-mini', serviceName: 'shop' }),
        llmTrace({ id: 'd', name: 'no llm', startMs: 4000, serviceName: 'batch' }),
      ]);
    });

    const ids = (list: { id: string }[]): string[] => list.map((s) => s.id);

    it('lists newest first with offset and limit', async () => {
      assert.deepEqual(ids(await store.listTraces()), ['d', 'b', 'c', 'a']);
      assert.deepEqual(ids(await store.listTraces({ limit: 2 })), ['d', 'b']);
      assert.deepEqual(ids(await store.listTraces({ offset: 1, limit: 2 })), ['b', 'c']);
      assert.deepEqual(ids(await store.listTraces({ offset: 10 })), []);
    });

    it('filters by text over name, model and service, case-insensitively', async () => {
      assert.deepEqual(ids(await store.listTraces({ filter: { text: 'CHECKOUT' } })), ['a']);
      assert.deepEqual(ids(await store.listTraces({ filter: { text: 'gpt-4o' } })), ['c', 'a']);
      assert.deepEqual(ids(await store.listTraces({ filter: { text: 'shop' } })), ['c', 'a']);
      assert.deepEqual(ids(await store.listTraces({ filter: { text: 'nothing like it' } })), []);
    });

    it('filters by exact model and by time range, and pages within the filter', async () => {
      assert.deepEqual(ids(await store.listTraces({ filter: { model: 'GPT-4O' } })), ['a']);
      assert.deepEqual(ids(await store.listTraces({ filter: { since: 2000, until: 3000 } })), ['b', 'c']);
      assert.deepEqual(ids(await store.listTraces({ filter: { since: 2000 }, offset: 1, limit: 1 })), ['b']);
    });

    it('counts with and without a filter', async () => {
      assert.equal(await store.countTraces(), 4);
      assert.equal(await store.countTraces({ text: 'shop' }), 2);
      assert.equal(await store.countTraces({ until: 1999 }), 1);
    });
  });

  it('deletes a trace from documents and index', async () => {
    await store.putTrace(llmTrace({ id: 'gone', name: 'x', startMs: 1 }));
    assert.equal(await store.deleteTrace('gone'), true);
    assert.equal(await store.getTrace('gone'), undefined);
    assert.equal(await store.countTraces(), 0);
    assert.deepEqual(await readdir(path.join(dir, 'traces')), []);
    assert.equal(await store.deleteTrace('gone'), false);
    assert.equal(await store.deleteTrace('../../etc'), false);
  });

  it('emits change events after writes and stops after unsubscribe', async () => {
    const events: StoreChangeEvent[] = [];
    const unsubscribe = store.onDidChange((e) => events.push(e));
    await store.ingest([rawSpan({ traceId: traceId(1) })]);
    await store.putTrace(llmTrace({ id: 'p', name: 'p', startMs: 1 }));
    await store.deleteTrace('p');
    // A pure duplicate changes nothing and is not announced.
    const dup = rawSpan({ traceId: traceId(2), spanId: spanId(42) });
    await store.ingest([dup]);
    await store.ingest([dup]);
    unsubscribe();
    await store.ingest([rawSpan({ traceId: traceId(3) })]);
    assert.deepEqual(events, [
      { kind: 'upsert', traceIds: [traceId(1)] },
      { kind: 'upsert', traceIds: ['p'] },
      { kind: 'delete', traceIds: ['p'] },
      { kind: 'upsert', traceIds: [traceId(2)] },
    ]);
  });

  it('announces a change only once it can be read back', async () => {
    const seen = new Promise<number>((resolve) => {
      store.onDidChange((e) => {
        void store.getTrace(e.traceIds[0]).then((t) => resolve(t?.spans.length ?? -1));
      });
    });
    await store.ingest([rawSpan({ traceId: traceId(1) })]);
    assert.equal(await seen, 1);
  });

  it('keeps working when a listener throws, and reports the error as a process warning', async () => {
    const warned = once(process, 'warning') as Promise<[Error]>;
    const calls: string[] = [];
    store.onDidChange(() => {
      throw new Error('listener bug');
    });
    store.onDidChange((e) => calls.push(e.kind));
    await store.ingest([rawSpan({ traceId: traceId(1) })]);
    assert.deepEqual(calls, ['upsert']);
    assert.equal(await store.countTraces(), 1);
    const [warning] = await warned;
    assert.equal(warning.message, 'listener bug');
  });

  it('is durable: a reopened store has everything an awaited ingest wrote', async () => {
    await store.ingest([rawSpan({ traceId: traceId(1), name: 'persisted', startMs: 10 })]);
    await store.putTrace(llmTrace({ id: 'kept', name: 'kept', startMs: 20 }));
    await store.close();
    store = await TraceStore.open(dir);
    assert.equal(store.openReport.index, 'loaded');
    assert.deepEqual(
      (await store.listTraces()).map((s) => s.id),
      ['kept', traceId(1)],
    );
    assert.equal((await store.getTrace(traceId(1)))?.name, 'persisted');
  });

  it('shares one writer between two opens of the same folder in one process', async () => {
    const other = await TraceStore.open(path.join(dir, '.', ''));
    const events: StoreChangeEvent[] = [];
    store.onDidChange((e) => events.push(e));
    await Promise.all([
      other.ingest([rawSpan({ traceId: traceId(1), spanId: spanId(1) })]),
      store.ingest([rawSpan({ traceId: traceId(1), spanId: spanId(2) })]),
    ]);
    assert.equal((await store.getTrace(traceId(1)))?.spans.length, 2);
    assert.equal(events.length, 2);
    await other.close();
    // Closing one handle leaves the other usable.
    assert.equal(await store.countTraces(), 1);
    await assert.rejects(other.countTraces(), StoreClosedError);
  });

  it('waits for queued writes on close and refuses use afterwards', async () => {
    const pending = Array.from({ length: 10 }, (_, i) => store.ingest([rawSpan({ traceId: traceId(i + 1) })]));
    await store.close();
    const settled = await Promise.allSettled(pending);
    assert.ok(settled.every((s) => s.status === 'fulfilled'));
    await assert.rejects(store.ingest([]), StoreClosedError);
    await assert.rejects(
      store.getTrace(traceId(1)),
      (err: unknown) => err instanceof StoreClosedError && err.dir === dir,
    );
    store = await TraceStore.open(dir);
    assert.equal(await store.countTraces(), 10);
  });

  it('offers document collections sharing the store folder and writer', async () => {
    interface Job {
      state: string;
    }
    const replays = await store.collection<Job>('replays');
    await replays.put('job-1', { state: 'queued' });
    await replays.update('job-1', (j) => (j ? { state: 'done' } : undefined));
    assert.deepEqual(await replays.get('job-1'), { state: 'done' });
    assert.deepEqual(await readdir(path.join(dir, 'replays')), ['job-1.json']);
    assert.strictEqual(await store.collection<Job>('replays'), replays);
    await assert.rejects(store.collection('traces'));
  });
});
