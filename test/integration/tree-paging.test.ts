// The Traces view with more traces than one page, plus the small pure helpers the view uses.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RawSpan } from '../../src/core/model/trace';
import type { TraceReplayApi } from '../../src/extension/extension';
import { formatTokens, relativeTime } from '../../src/extension/common/format';
import { resolveStoreDir } from '../../src/extension/store/store-host';
import { PAGE_SIZE } from '../../src/extension/views/traces-tree';
import { activatedApi, whenRoots } from './helpers';

function rootSpan(i: number): RawSpan {
  const start = BigInt(Date.UTC(2020, 0, 1)) * 1_000_000n + BigInt(i) * 1_000_000_000n;
  return {
    traceId: `cccccccccccccccccccccccc${i.toString(16).padStart(8, '0')}`,
    spanId: `dddddddd${i.toString(16).padStart(8, '0')}`,
    name: `paged-${i}`,
    otelKind: 1,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 1_000_000n).toString(),
    attributes: {},
    events: [],
    links: [],
    status: { code: 'ok' },
    resource: { 'service.name': 'paging-test' },
    scope: { name: 'paging-test' },
  };
}

describe('Traces view paging', () => {
  let api: TraceReplayApi;
  before(async () => {
    api = await activatedApi();
  });

  it(`shows ${PAGE_SIZE} traces and a "Load more" row, which loads the next page`, async () => {
    const store = await api.store();
    const before = await store.countTraces({ origin: 'recorded' }); // the view lists recordings, not replays
    const extra = PAGE_SIZE + 5 - before;
    const paged = whenRoots(api.tracesTree, (roots) => roots.some((n) => n.type === 'loadMore'));
    await store.ingest(Array.from({ length: extra }, (_, i) => rootSpan(i)));
    const roots = await paged;
    assert.strictEqual(roots.filter((n) => n.type === 'trace').length, PAGE_SIZE);
    const more = roots[roots.length - 1];
    assert.strictEqual(more.type, 'loadMore');
    const item = api.tracesTree.getTreeItem(more);
    assert.strictEqual(item.command?.command, 'traceReplay.loadMoreTraces');
    assert.match(String(item.label), new RegExp(`${PAGE_SIZE} of ${PAGE_SIZE + 5}`));

    const all = whenRoots(api.tracesTree, (r) => r.filter((n) => n.type === 'trace').length === PAGE_SIZE + 5);
    await vscode.commands.executeCommand('traceReplay.loadMoreTraces');
    const after = await all;
    assert.ok(!after.some((n) => n.type === 'loadMore'), 'no "Load more" row once everything is shown');
  });

  it('Refresh re-reads the store and fires a change', async () => {
    const changed = new Promise<void>((resolve) => {
      const sub = api.tracesTree.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('traceReplay.refreshTraces');
    await changed;
  });
});

describe('view helpers', () => {
  it('resolves the store folder: absolute as is, relative under the workspace, else global storage', () => {
    const abs = path.resolve('/somewhere/traces');
    assert.strictEqual(resolveStoreDir(abs, '/ws', '/global'), abs);
    assert.strictEqual(resolveStoreDir('.trace-replay', '/ws', '/global'), path.join('/ws', '.trace-replay'));
    assert.strictEqual(resolveStoreDir('.trace-replay', undefined, '/global'), path.join('/global', '.trace-replay'));
    assert.strictEqual(resolveStoreDir('  ', '/ws', '/global'), path.join('/ws', '.trace-replay'));
  });

  it('formats ages and token counts compactly', () => {
    const now = Date.UTC(2025, 5, 1, 12);
    assert.strictEqual(relativeTime(now - 10_000, now), 'just now');
    assert.strictEqual(relativeTime(now + 5_000, now), 'just now');
    assert.strictEqual(relativeTime(now - 5 * 60_000, now), '5 min ago');
    assert.strictEqual(relativeTime(now - 3 * 3_600_000, now), '3 h ago');
    assert.strictEqual(relativeTime(now - 86_400_000, now), 'yesterday');
    assert.strictEqual(relativeTime(Date.UTC(2024, 0, 2), now), '2024-01-02');
    assert.deepStrictEqual([950, 1234, 12_345, 2_500_000].map(formatTokens), ['950', '1.2k', '12k', '2.5M']);
  });
});

describe('traceReplay.storePath', () => {
  it('switching it reopens the store and the view follows (empty store -> welcome state)', async () => {
    const api = await activatedApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-store-'));
    const config = vscode.workspace.getConfiguration('traceReplay');
    try {
      assert.ok((await api.tracesTree.getChildren()).length > 0);
      const emptied = whenRoots(api.tracesTree, (roots) => roots.length === 0);
      await config.update('storePath', dir, vscode.ConfigurationTarget.Global);
      await emptied;
      assert.strictEqual(api.storeDir(), dir);
      assert.strictEqual(await (await api.store()).countTraces(), 0);
    } finally {
      const restored = whenRoots(api.tracesTree, (roots) => roots.length > 0);
      await config.update('storePath', undefined, vscode.ConfigurationTarget.Global);
      await restored;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
