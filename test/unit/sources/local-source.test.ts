import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTraceSource } from '../../../src/core/sources/local-source';
import { TraceStore } from '../../../src/core/store/trace-store';
import { rawSpan } from '../../support/raw-span-builder';

describe('LocalTraceSource', () => {
  let dir: string;
  let store: TraceStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-source-'));
    store = await TraceStore.open(dir);
    const spans = [0, 1, 2, 3, 4].map((i) =>
      rawSpan({
        traceId: String(i + 1)
          .repeat(32)
          .slice(0, 32),
        name: i % 2 ? 'checkout' : 'search',
        startMs: 1_700_000_000_000 + i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': i === 4 ? 'gpt-4o' : 'claude-haiku-4-5',
        },
      }),
    );
    await store.ingest(spans);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pages the store newest first with an opaque cursor', async () => {
    const source = new LocalTraceSource(store);
    assert.equal(source.id, 'local');
    assert.match(source.label, /^Local store \(local-source-/);
    const first = await source.listTraces({ limit: 2 });
    assert.deepEqual(
      first.traces.map((t) => t.id[0]),
      ['5', '4'],
    );
    const second = await source.listTraces({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.traces.map((t) => t.id[0]),
      ['3', '2'],
    );
    const third = await source.listTraces({ limit: 2, cursor: second.nextCursor });
    assert.deepEqual(
      third.traces.map((t) => t.id[0]),
      ['1'],
    );
    assert.equal(third.nextCursor, undefined);
  });

  it('filters by name, model and time, and reads a trace', async () => {
    const source = new LocalTraceSource(store);
    assert.deepEqual(
      (await source.listTraces({ filter: { name: 'checkout' } })).traces.map((t) => t.id[0]),
      ['4', '2'],
    );
    assert.deepEqual(
      (await source.listTraces({ filter: { model: 'gpt-4o' } })).traces.map((t) => t.id[0]),
      ['5'],
    );
    assert.deepEqual(
      (await source.listTraces({ filter: { since: 1_700_000_003_000 } })).traces.map((t) => t.id[0]),
      ['5', '4'],
    );
    const name = await source.listTraces({ filter: { name: 'search' }, limit: 1 });
    assert.equal(name.traces.length, 1);
    assert.equal(name.nextCursor, '1');
    const trace = await source.getTrace('1'.repeat(32));
    assert.equal(trace?.spans.length, 1);
    assert.equal(await source.getTrace('9'.repeat(32)), undefined);
  });
});
