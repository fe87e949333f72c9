// One bad file never stops the others (#13): when the store fails to write one body's spans (here a
// write that fails for one trace, as a full or broken disk would), that body is reported with the
// cause and the next bodies and files still import.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importOtlpFiles } from '../../../src/core/ingest/import-files';
import type { RawSpan } from '../../../src/core/model/trace';
import { TraceStore } from '../../../src/core/store/trace-store';
import { makeTempDir, removeDir } from './store-fixtures';

const BROKEN = 'b'.repeat(32);
const GOOD = 'a'.repeat(32);

function body(traceId: string, spanId: string): unknown {
  return {
    resourceSpans: [
      {
        scopeSpans: [
          { spans: [{ traceId, spanId: spanId.repeat(16), name: 'op', startTimeUnixNano: '1', endTimeUnixNano: '2' }] },
        ],
      },
    ],
  };
}

/** The real store, except that writing spans of BROKEN fails like a disk error (the real store
 *  survives the usual per-file faults, e.g. a folder where a document goes, by moving it aside). */
function storeFailingFor(store: TraceStore): TraceStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'ingest') {
        return (spans: RawSpan[]) =>
          spans.some((s) => s.traceId === BROKEN)
            ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))
            : target.ingest(spans);
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('import: a failing write fails its body, never the next ones', () => {
  let dir: string;
  let work: string;
  let store: TraceStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    work = await makeTempDir();
    store = await TraceStore.open(dir);
  });

  afterEach(async () => {
    await store.close();
    await removeDir(dir);
    await removeDir(work);
  });

  it('reports the body with the cause and imports the other bodies and files', async () => {
    const mixed = path.join(work, 'mixed.json');
    await writeFile(mixed, JSON.stringify([body(BROKEN, '1'), body(GOOD, '2')]));
    const next = path.join(work, 'next.json');
    await writeFile(next, JSON.stringify(body(GOOD, '3')));
    const report = await importOtlpFiles(storeFailingFor(store), [mixed, next]);
    const [m, n] = report.files;
    assert.equal(m.ok, false);
    assert.deepEqual(m.errors, ['body 1: could not store 1 span(s): ENOSPC: no space left on device, write']);
    assert.equal(m.spans, 1);
    assert.deepEqual(m.traceIds, [GOOD]);
    assert.equal(n.ok, true);
    assert.equal(n.spans, 1);
    assert.equal((await store.getTrace(GOOD))?.spans.length, 2);
  });
});
