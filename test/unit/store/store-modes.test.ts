// Traces hold prompts and model outputs: a store folder is private to its user on POSIX (folders
// 0700, files 0600), and a folder made wider by an earlier version is narrowed when opened.
import { strict as assert } from 'node:assert';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TraceStore } from '../../../src/core/store/trace-store';
import { llmTrace, makeTempDir, removeDir } from './store-fixtures';

async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

describe('TraceStore file modes', function () {
  let dir: string;
  before(function () {
    if (process.platform === 'win32') this.skip();
  });
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('creates its folders 0700 and its files 0600', async () => {
    const root = path.join(dir, 'store');
    const store = await TraceStore.open(root);
    await store.putTraces([
      llmTrace({ id: 't1', name: 'one', startMs: 1 }),
      llmTrace({ id: 't2', name: 'two', startMs: 2 }),
    ]);
    await store.putTrace(llmTrace({ id: 't3', name: 'three', startMs: 3 }));
    const jobs = await store.collection<{ id: string }>('replays');
    await jobs.put('job-1', { id: 'job-1' });
    await store.close();
    assert.equal(await modeOf(root), 0o700);
    for (const sub of ['traces', 'replays', 'pending-logs'])
      assert.equal(await modeOf(path.join(root, sub)), 0o700, sub);
    for (const file of ['index.json', 'index.log', 'traces/t1.json', 'traces/t3.json', 'replays/job-1.json']) {
      assert.equal(await modeOf(path.join(root, file)), 0o600, file);
    }
  });

  it('narrows a store folder an earlier version left readable by others', async () => {
    const root = path.join(dir, 'old-store');
    await mkdir(root, { mode: 0o755 });
    await chmod(root, 0o755);
    const store = await TraceStore.open(root);
    await store.close();
    assert.equal(await modeOf(root), 0o700);
    assert.ok((await readdir(root)).includes('traces'));
  });
});
