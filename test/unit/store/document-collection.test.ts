import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JsonDocumentCollection } from '../../../src/core/store/document-collection';
import { CorruptDocumentError, InvalidDocumentIdError } from '../../../src/core/store/store-errors';
import { WriteQueue } from '../../../src/core/store/write-queue';
import { makeTempDir, removeDir } from './store-fixtures';

interface Job {
  state: 'queued' | 'running' | 'done';
  n: number;
}

function isJob(v: unknown): v is Job {
  return (
    typeof v === 'object' && v !== null && typeof (v as Job).state === 'string' && typeof (v as Job).n === 'number'
  );
}

describe('JsonDocumentCollection', () => {
  let dir: string;
  let jobs: JsonDocumentCollection<Job>;

  beforeEach(async () => {
    dir = await makeTempDir();
    jobs = new JsonDocumentCollection<Job>('replays', dir, new WriteQueue(), { validate: isJob });
    await jobs.ensureDir();
  });

  afterEach(async () => {
    await removeDir(dir);
  });

  it('puts, gets, lists and deletes documents as <dir>/<name>/<id>.json', async () => {
    await jobs.put('r1', { state: 'queued', n: 0 });
    await jobs.putMany([
      ['r2', { state: 'done', n: 2 }],
      ['r3', { state: 'running', n: 3 }],
    ]);
    assert.deepEqual(await jobs.get('r2'), { state: 'done', n: 2 });
    assert.equal(await jobs.get('missing'), undefined);
    assert.deepEqual((await jobs.listIds()).sort(), ['r1', 'r2', 'r3']);
    assert.deepEqual((await readdir(path.join(dir, 'replays'))).sort(), ['r1.json', 'r2.json', 'r3.json']);
    assert.equal(await jobs.has('r3'), true);
    assert.equal(await jobs.delete('r3'), true);
    assert.equal(await jobs.delete('r3'), false);
    assert.equal(await jobs.has('r3'), false);
  });

  it('serializes concurrent read-modify-write updates so none is lost', async () => {
    await jobs.put('counter', { state: 'running', n: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () => jobs.update('counter', (j) => (j ? { ...j, n: j.n + 1 } : undefined))),
    );
    assert.equal((await jobs.get('counter'))?.n, 50);
  });

  it('leaves the file alone when update returns undefined', async () => {
    assert.equal(await jobs.update('nothing', () => undefined), undefined);
    assert.deepEqual(await jobs.listIds(), []);
  });

  it('rejects ids that are not safe file names', async () => {
    for (const id of ['', '../x', 'a/b', '.hidden', 'a\\b']) {
      assert.throws(() => jobs.pathOf(id), InvalidDocumentIdError, id);
    }
    await assert.rejects(jobs.get('../x'), InvalidDocumentIdError);
  });

  it('reports unreadable or invalid documents and moves them aside on request', async () => {
    await writeFile(path.join(dir, 'replays', 'bad.json'), '{');
    await writeFile(path.join(dir, 'replays', 'odd.json'), '{"state":1}');
    await jobs.put('good', { state: 'done', n: 1 });
    await assert.rejects(jobs.get('bad'), CorruptDocumentError);
    await assert.rejects(jobs.get('odd'), CorruptDocumentError);
    const { found, corrupt } = await jobs.getMany(['bad', 'odd', 'good', 'missing']);
    assert.deepEqual([...found.keys()], ['good']);
    assert.deepEqual(corrupt.map((e) => e.id).sort(), ['bad', 'odd']);
    const backup = await jobs.quarantine('bad');
    assert.ok(backup?.startsWith(path.join(dir, 'replays', 'bad.json.corrupt-')));
    assert.deepEqual((await jobs.listIds()).sort(), ['good', 'odd']);
  });
});
